import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Project root, resolved from this file so the CLI, the server and tests agree wherever they are started. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const DATA_DIR = path.join(ROOT, 'data')
export const MIGRATIONS_DIR = path.join(ROOT, 'migrations')
