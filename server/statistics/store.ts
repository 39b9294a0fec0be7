// Stores a recognised statistical table: its provenance row and its cells, replacing a table with the same id.
// Runs inside the import's transaction, so a re-import either replaces the whole table or changes nothing.
import type { Tx } from '../db/client.js'
import { csvLine } from '../ingest/csv-out.js'
import type { RecognisedTable } from './dimensions.js'
import type { DimensionKind } from './table.js'

export interface StoredTable { id: string; title: string; source: string; updated: string | null; unit: string | null }
export interface StoreCounts { cells: number; missing: number; years: number[]; replaced: boolean }

const KIND_COLUMNS: DimensionKind[] = ['contents', 'time', 'region', 'occupation', 'sex', 'age']

/** Removes the synthetic (demo) tables: real figures replace them, whether a real table or a real register arrives. */
export async function removeSyntheticTables (tx: Tx): Promise<void> {
  await tx.query("DELETE FROM stat_table WHERE batch_id IN (SELECT id FROM import_batch WHERE kind = 'statistics' AND synthetic)")
}

export async function storeTable (tx: Tx, t: RecognisedTable, meta: StoredTable & { format: string; fileName: string; batchId: number }): Promise<StoreCounts> {
  const { rowCount } = await tx.query('DELETE FROM stat_table WHERE id = $1', [meta.id]) // cascades to its cells
  await tx.query(`INSERT INTO stat_table (id, title, source, updated, unit, format, file_name, batch_id, dimensions, fixed)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  [meta.id, meta.title, meta.source, meta.updated, meta.unit, meta.format, meta.fileName, meta.batchId,
    JSON.stringify(t.dimensions.filter((d) => d.kind).map((d) => ({ id: d.id, label: d.label, kind: d.kind, categories: d.categories }))),
    Object.keys(t.fixed).length ? JSON.stringify(t.fixed) : null])
  // position of each kind's dimension in the table (-1 = absent → '' in the cell)
  const pos = KIND_COLUMNS.map((k) => t.dimensions.findIndex((d) => d.kind === k))
  const years = new Set<number>()
  let missing = 0
  const cells = t.cells
  const dims = t.dimensions
  async function * lines () {
    let chunk = ''
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]
      const codes = pos.map((p) => (p < 0 ? '' : dims[p].categories[c.at[p]].code))
      years.add(Number(codes[1]))
      if (c.value === null) missing++
      chunk += csvLine([meta.id, ...codes, c.value, c.status])
      if (chunk.length > 1 << 20) { yield chunk; chunk = '' }
    }
    if (chunk) yield chunk
  }
  // csvLine writes '' for an empty string as "" (empty, not NULL), so absent dimensions are stored as ''
  await tx.copyCsv('stat_cell', ['table_id', 'contents', 'year', 'region', 'occupation', 'sex', 'age', 'value', 'status'], lines())
  return { cells: cells.length, missing, years: [...years].sort(), replaced: rowCount > 0 }
}
