// The refresh's first pass (see fingerprint.ts): every line's key and fingerprint staged, and the lines that must be read
// in full found in SQL. The lines left out are the ones whose stored row (this source's alone) has the same fingerprint;
// the match stands if no other import commits before the merge, which holds the data version it was made at
// (mergeCompanies, MergeParams.skipped).
import type { Tx } from '../db/client.js'
import type { RefData } from '../reference/ref-data.js'
import { fingerprint, KeyHashSet, type KeyedLine } from './fingerprint.js'

/** The first pass's keys and fingerprints of the file's lines (line, orgnr, fp), dropped when it ends. */
const KEYS = 'stage_fp'
/** The organisation numbers of the year's rows a refresh compares with the file: all but those of the lines left out. */
export const REST_KEYS = 'stage_rest'

/** A refresh reads every line in full when more than this share of them changed (a second pass would cost more). */
const MAX_CHANGED_SHARE = 0.25

/** KKB_IMPORT_TIMING=1: the time of each step to stderr (as run-import.ts does for the phases) */
const timing = process.env.KKB_IMPORT_TIMING === '1'
let t0 = 0
const lap = (name: string) => { if (timing) { const n = Date.now(); if (name) process.stderr.write(`[refresh] ${name}: ${n - t0} ms\n`); t0 = n } }

const refDigests = new WeakMap<RefData, string>()
/** A digest of the reference data the parsers read (code lists, postcodes), for the fingerprints' seed. */
export function refDataDigest (ref: RefData): string {
  let d = refDigests.get(ref)
  if (d === undefined) {
    const text = JSON.stringify([[...ref.kommuner], [...ref.sni['2007']], [...ref.sni['2025']], [...ref.legalForms], [...ref.postcodes], [...ref.postorter]])
    d = String(fingerprint(text))
    refDigests.set(ref, d)
  }
  return d
}

/** A digest of the reference tables the company merge reads (kommun points and län, legal forms, size classes). */
export async function dbReferenceDigest (s: Tx): Promise<string> {
  const { rows } = await s.query<{ d: string }>(`SELECT md5(
      coalesce((SELECT string_agg(concat_ws('|', code, lan_code, ST_AsText(point)), ',' ORDER BY code) FROM kommun), '') || ';' ||
      coalesce((SELECT string_agg(concat_ws('|', code, natural_person), ',' ORDER BY code) FROM legal_form), '') || ';' ||
      coalesce((SELECT string_agg(concat_ws('|', code, estimate), ',' ORDER BY code) FROM size_class), '')) AS d`)
  return rows[0].d
}

/** Whether the year holds rows of this source with fingerprints (else a refresh has nothing to compare with). */
export async function hasFingerprints (s: Tx, year: number, source: string): Promise<boolean> {
  const { rows } = await s.query<{ any: boolean }>(`SELECT to_regclass($3) IS NOT NULL AND EXISTS (SELECT 1 FROM company
    WHERE ref_year = $1 AND source = $2 AND source_fp IS NOT NULL) AS any`, [year, source, `company_y${Math.trunc(year)}`])
  return rows[0].any
}

export interface FirstPass {
  /** lines keyed (non-blank lines) */
  lines: number
  /** lines to read in full (null: too many, or none left out: read the whole file) */
  parse: Set<number> | null
  /** lines left out (their rows are not in REST_KEYS) */
  skipped: number
  /** how many of the left-out rows are unplaced (counted as after a full read) */
  skippedUnplaced: number
  /** the data version the match was made at: the merge holds it (no other import may have committed since) */
  version: string | null
}

/**
 * Stages (line, key, fingerprint) of every line, then matches them with the year's rows in one join: a line is left out
 * when it is keyed, its key is once in the file and its stored row (this source's alone) has the same fingerprint. The
 * year's other rows (changed, gone, another source's) go to REST_KEYS; the lines to read in full are returned.
 */
export async function firstPass (s: Tx, open: () => AsyncIterable<KeyedLine[]>, year: number, source: string,
  onBatch: (lines: number) => void): Promise<FirstPass> {
  await s.query(`CREATE TEMP TABLE ${KEYS} (line int, orgnr text, fp bigint)`)
  lap('')
  const keyed = open() // (after the statement above: the file's stream flows from its opening)
  const seen = new KeyHashSet()
  const dups = new Set<string>()
  let lines = 0
  async function * csv (): AsyncGenerator<string> {
    for await (const batch of keyed) {
      let chunk = ''
      for (const l of batch) {
        if (l.key !== null && seen.addSeen(l.key)) dups.add(l.key)
        chunk += `${l.line},${l.key ?? ''},${l.fp}\n` // (keys are digits: nothing to quote; empty = NULL)
      }
      lines += batch.length
      onBatch(lines)
      yield chunk
    }
  }
  await s.copyCsv(KEYS, ['line', 'orgnr', 'fp'], csv())
  lap('first pass: keys and fingerprints read and COPYed')
  // a key the file holds twice is read in full, as if it had no key (the merge rejects its second line, as after a full read)
  if (dups.size > 0) await s.query(`UPDATE ${KEYS} t SET orgnr = NULL FROM unnest($1::text[]) d(k) WHERE t.orgnr = d.k`, [[...dups]])
  await s.query(`ANALYZE ${KEYS}`) // (its size for the planner: the join below hashes it, not the year's rows)
  const { rows: [{ version }] } = await s.query<{ version: string | null }>("SELECT (SELECT value FROM meta WHERE key = 'data_version') AS version")
  await s.query(`CREATE TEMP TABLE ${REST_KEYS} (orgnr text)`)
  const { rows } = await s.query<{ skipped: number; unplaced: number; parse: number[] | null }>(`WITH m AS MATERIALIZED (
      SELECT t.line, c.orgnr, c.kommun_code IS NULL AS unplaced,
        coalesce(c.source = $2 AND c.sources IS NULL AND c.source_fp = t.fp, false) AS skip
      FROM ${KEYS} t FULL JOIN (SELECT orgnr, source, sources, source_fp, kommun_code FROM company WHERE ref_year = $1) c ON c.orgnr = t.orgnr),
    rest AS (INSERT INTO ${REST_KEYS} SELECT orgnr FROM m WHERE orgnr IS NOT NULL AND NOT skip)
    SELECT count(*) FILTER (WHERE skip)::int AS skipped, count(*) FILTER (WHERE skip AND unplaced)::int AS unplaced,
      CASE WHEN count(*) FILTER (WHERE line IS NOT NULL AND NOT skip) <= $3
        THEN coalesce(array_agg(line) FILTER (WHERE line IS NOT NULL AND NOT skip), '{}') END AS parse FROM m`,
  [year, source, Math.floor(lines * MAX_CHANGED_SHARE)])
  await s.query(`DROP TABLE ${KEYS}`)
  lap('first pass: matched with the year')
  const { skipped, unplaced, parse } = rows[0]
  if (skipped === 0 || parse === null) {
    await s.query(`DROP TABLE ${REST_KEYS}`)
    return { lines, parse: null, skipped: 0, skippedUnplaced: 0, version }
  }
  await s.query(`ANALYZE ${REST_KEYS}`)
  return { lines, parse: new Set(parse), skipped, skippedUnplaced: unplaced, version }
}
