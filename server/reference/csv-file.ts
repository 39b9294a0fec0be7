import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { DATA_DIR } from '../paths.js'

/** Reads one of the small reference CSVs shipped in data/ (UTF-8, comma, header row). */
export function readDataCsv<T extends Record<string, string>> (name: string, dir = DATA_DIR): T[] {
  return parse(readFileSync(path.join(dir, name)), { columns: true, skip_empty_lines: true, bom: true }) as T[]
}
