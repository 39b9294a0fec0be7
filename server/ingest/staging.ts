// Staging tables (TEMP: staged outside the import's transaction, statement by statement, and dropped when the
// import's session ends, see DbHandle.session) and the record → CSV row mapping for each kind of import. A plain mapping:
// every rule (placement, size class, sole trader) was applied by the parser or is applied by the merge.
import type { CompanyRecord, EducationRecord, EnrichmentRecord, WorkplaceRecord } from './types.js'
import type { CuratedRecord } from './formats/curated.js'

/** employees is an integer column; the formats allow annual averages with decimals (2,5), which would fail the COPY */
export const whole = (n: number | null) => (n === null ? null : Math.round(n))

export interface StagingSpec<T> {
  table: string
  ddl: string
  columns: string[]
  row: (r: T) => unknown[]
  /** the columns whose values never need quoting (csvLinePlain), where they are known */
  plain?: readonly boolean[]
  /** rows written in blocks, each in the order of this key of its row's values (see BlockOrder) */
  orderKey?: (values: unknown[]) => string
}

/**
 * Rows collected into blocks of about `size` rows and written block by block, each block's rows in the order of their
 * keys (byte order; rows with the same key in the order they came). A table written so holds a key's rows in one run per
 * block: a year of 1.3 M companies keyed by kommun and branch holds a kommun's firms in ~80 runs of adjacent pages
 * instead of scattered over all of them, with no more than one block in memory.
 */
export class BlockOrder {
  private runs = new Map<string, string[]>()
  private n = 0
  constructor (private readonly size: number) {}
  /** adds a row's line; a block, ordered, when it is full */
  add (key: string, line: string): string | null {
    let run = this.runs.get(key)
    if (run === undefined) { run = []; this.runs.set(key, run) }
    // (a line is built from pieces of the parser's text chunk: flattened, it holds only itself, not the whole chunk)
    line.charCodeAt(0)
    run.push(line)
    return ++this.n >= this.size ? this.flush() : null
  }

  /** the rows collected so far, ordered ('' when none) */
  flush (): string {
    const keys = [...this.runs.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    let out = ''
    for (const k of keys) out += this.runs.get(k)!.join('')
    this.runs.clear()
    this.n = 0
    return out
  }
}

/**
 * One block in BlockOrder's order, its rows written as UTF-8 bytes as they come: no string of a row is kept, so a worker
 * thread (line-workers.ts) holds a block's rows outside its heap, not as thousands of strings its garbage collector
 * would move to the old generation and sweep later. The rows are ordered once, at the end.
 */
export class ByteBlock {
  private buf = Buffer.allocUnsafeSlow(1 << 20)
  private used = 0
  private readonly starts: number[] = []
  private readonly keyOf: number[] = []
  private readonly keys = new Map<string, number>()

  add (key: string, line: string): void {
    // (a UTF-16 code unit is at most three bytes of UTF-8)
    if (this.buf.length - this.used < line.length * 3) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.used + line.length * 3))
      this.buf.copy(bigger, 0, 0, this.used)
      this.buf = bigger
    }
    let k = this.keys.get(key)
    if (k === undefined) { k = this.keys.size; this.keys.set(key, k) }
    this.starts.push(this.used)
    this.keyOf.push(k)
    this.used += this.buf.write(line, this.used)
  }

  /** the rows so far, ordered (bytes of their own, which a worker can move to another thread) */
  bytes (): Uint8Array {
    const sorted = [...this.keys.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    // each key's first byte in the output, in key order; then every row to its key's next place (rows of a key in the order they came)
    const at = new Array<number>(this.keys.size).fill(0)
    for (let r = 0; r < this.starts.length; r++) at[this.keyOf[r]] += this.end(r) - this.starts[r]
    let pos = 0
    for (const key of sorted) { const k = this.keys.get(key)!; const size = at[k]; at[k] = pos; pos += size }
    const out = new Uint8Array(this.used)
    for (let r = 0; r < this.starts.length; r++) {
      const k = this.keyOf[r]
      out.set(this.buf.subarray(this.starts[r], this.end(r)), at[k])
      at[k] += this.end(r) - this.starts[r]
    }
    return out
  }

  private end (r: number): number { return r + 1 < this.starts.length ? this.starts[r + 1] : this.used }
}

export const companyStaging: StagingSpec<CompanyRecord> = {
  table: 'stage_company',
  ddl: `CREATE TEMP TABLE stage_company (line int, orgnr text, name text, legal_form text, sole_trader bool, sni text[],
    sni_version text, kommun_code text, placement text, street text, postcode text, city text, lon float8, lat float8,
    location_precision text, employees int, size_class text, turnover float8, value_added float8, registered_on date, deregistered_on date,
    active bool, marketing_opt_out bool, description text, liquidation text, co_address text, fp bigint)`,
  columns: ['line', 'orgnr', 'name', 'legal_form', 'sole_trader', 'sni', 'sni_version', 'kommun_code', 'placement', 'street',
    'postcode', 'city', 'lon', 'lat', 'location_precision', 'employees', 'size_class', 'turnover', 'value_added', 'registered_on', 'deregistered_on',
    'active', 'marketing_opt_out', 'description', 'liquidation', 'co_address', 'fp'],
  row: (r) => [r.line, r.orgnr, r.name, r.legalForm, r.soleTrader, r.sni, r.sniVersion, r.kommunCode, r.placement, r.street,
    r.postcode, r.city, r.lon, r.lat, r.locationPrecision, whole(r.employees), r.sizeClass, r.turnover, r.valueAdded, r.registeredOn, r.deregisteredOn,
    r.active, r.marketingOptOut, r.description, r.liquidation, r.coAddress ?? null, r.fp ?? null],
}

export const workplaceStaging: StagingSpec<WorkplaceRecord> = {
  table: 'stage_workplace',
  ddl: `CREATE TEMP TABLE stage_workplace (line int, workplace_id text, orgnr text, name text, sni text[], sni_version text,
    kommun_code text, placement text, street text, postcode text, city text, lon float8, lat float8, location_precision text,
    employees int, size_class text, active bool)`,
  columns: ['line', 'workplace_id', 'orgnr', 'name', 'sni', 'sni_version', 'kommun_code', 'placement', 'street', 'postcode',
    'city', 'lon', 'lat', 'location_precision', 'employees', 'size_class', 'active'],
  row: (r) => [r.line, r.workplaceId, r.orgnr, r.name, r.sni, r.sniVersion, r.kommunCode, r.placement, r.street, r.postcode,
    r.city, r.lon, r.lat, r.locationPrecision, whole(r.employees), r.sizeClass, r.active],
}

export const educationStaging: StagingSpec<EducationRecord> = {
  table: 'stage_education',
  ddl: `CREATE TEMP TABLE stage_education (line int, provider text, provider_type text, programme text, sun_code text,
    places int, applicants int, kommun_code text, placement text, street text, postcode text, city text, lon float8, lat float8,
    location_precision text, start_year int, url text, reference text, area text, decision text, decision_text text,
    places_applied int, places_granted int)`,
  columns: ['line', 'provider', 'provider_type', 'programme', 'sun_code', 'places', 'applicants', 'kommun_code', 'placement', 'street',
    'postcode', 'city', 'lon', 'lat', 'location_precision', 'start_year', 'url', 'reference', 'area', 'decision', 'decision_text',
    'places_applied', 'places_granted'],
  row: (r) => {
    const a = r.application
    return [r.line, r.provider, r.providerType, r.programme, r.sunCode, r.places, r.applicants, r.kommunCode, r.placement, r.street,
      r.postcode, r.city, r.lon, r.lat, r.locationPrecision, r.startYear, r.url, a?.reference ?? null, a?.area ?? null,
      a?.decision ?? null, a?.decisionText ?? null, a?.placesApplied ?? null, a?.placesGranted ?? null]
  },
}

export const enrichmentStaging: StagingSpec<EnrichmentRecord> = {
  table: 'stage_enrichment',
  ddl: `CREATE TEMP TABLE stage_enrichment (line int, orgnr text, protection_no int, name text, names jsonb, legal_form_text text,
    registered_on date, deregistered_on date, deregistration_reason text, proceedings text, events jsonb, description text,
    street text, co_address text, postcode text, city text, country text, kommun_code text, placement text,
    location_precision text)`,
  columns: ['line', 'orgnr', 'protection_no', 'name', 'names', 'legal_form_text', 'registered_on', 'deregistered_on',
    'deregistration_reason', 'proceedings', 'events', 'description', 'street', 'co_address', 'postcode', 'city', 'country',
    'kommun_code', 'placement', 'location_precision'],
  row: (r) => [r.line, r.orgnr, r.protectionNo, r.name, JSON.stringify(r.names), r.legalFormText, r.registeredOn, r.deregisteredOn,
    r.deregistrationReason, r.liquidation, JSON.stringify(r.events), r.description, r.street, r.coAddress, r.postcode, r.city,
    r.country, r.kommunCode, r.placement, r.locationPrecision],
}

/** Curated entries were read whole by the parser (server/curated/validate.ts): staged as JSON, inserted one by one. */
export const curatedStaging: StagingSpec<CuratedRecord> = {
  table: 'stage_curated',
  ddl: 'CREATE TEMP TABLE stage_curated (line int, fields jsonb)',
  columns: ['line', 'fields'],
  row: (r) => [r.line, JSON.stringify(r.fields)],
}
