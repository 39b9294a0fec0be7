// The rejected rows of an import, page by page in report order (line, id): one short keyset query per page, so a
// download of the report never holds a database connection while its client reads.
import type { DbHandle } from '../db/client.js'

export interface ImportErrorRow { id: number; file: string; line: number; column: string; value: string; reason: string }

export async function * importErrorPages (db: Pick<DbHandle, 'query'>, batchId: number, pageSize = 5000): AsyncGenerator<ImportErrorRow[]> {
  let after: [number, number] = [-1, 0]
  for (;;) {
    const { rows } = await db.query<ImportErrorRow>(`SELECT id, file, line, "column", value, reason FROM import_error
      WHERE batch_id = $1 AND (line, id) > ($2, $3) ORDER BY line, id LIMIT ${pageSize}`, [batchId, after[0], after[1]])
    if (!rows.length) return
    const last = rows[rows.length - 1]
    after = [last.line, last.id]
    yield rows
    if (rows.length < pageSize) return
  }
}
