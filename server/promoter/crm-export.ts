// The CRM column profile (`profile=crm`): the actor list as a promoter's contact list, with names instead of codes,
// ready for a CRM import. One column list (CRM_COLUMNS, documented in the README) for CSV (sv/en) and XLSX; the rows come
// from the one actor predicate (actors/queries.ts fromWhere) with the same masking of sole traders' personal data for
// the public role and the same marketing opt-out (reklamspärr) rule as the plain export.
import { once } from 'node:events'
import ExcelJS from 'exceljs'
import { csvLine, csvPreamble, type CsvLocale } from '../csv/write.js'
import type { DbHandle } from '../db/client.js'
import { Params } from '../db/sql.js'
import type { Role } from '../auth/tokens.js'
import { branchJoin, type ActorFilters } from '../actors/filters.js'
import { fromWhere, personalParam } from '../actors/queries.js'
import { DataChanged, Sink } from '../actors/export.js'
import { currentDataVersion } from '../meta/data-version.js'

export interface CrmRow {
  name: string; orgnr: string | null; legalForm: string | null; co: string | null; street: string | null; postcode: string | null
  city: string | null; kommun: string | null; lan: string | null; group: string | null; category: string | null
  sizeClass: string | null; employees: number | null; registeredOn: string | null; registerUrl: string | null
}

/** The profile: key, Swedish and English header. */
export const CRM_COLUMNS: Array<{ key: keyof CrmRow; sv: string; en: string }> = [
  { key: 'name', sv: 'Namn', en: 'Name' },
  { key: 'orgnr', sv: 'Organisationsnummer', en: 'Organisation number' },
  { key: 'legalForm', sv: 'Juridisk form', en: 'Legal form' },
  { key: 'co', sv: 'c/o', en: 'c/o' },
  { key: 'street', sv: 'Gatuadress', en: 'Street address' },
  { key: 'postcode', sv: 'Postnummer', en: 'Postcode' },
  { key: 'city', sv: 'Postort', en: 'City' },
  { key: 'kommun', sv: 'Kommun', en: 'Municipality' },
  { key: 'lan', sv: 'Län', en: 'County' },
  { key: 'group', sv: 'Branschgrupp', en: 'Branch group' },
  { key: 'category', sv: 'Bransch', en: 'Branch category' },
  { key: 'sizeClass', sv: 'Storleksklass', en: 'Size class' },
  { key: 'employees', sv: 'Anställda', en: 'Employees' },
  { key: 'registeredOn', sv: 'Registreringsdatum', en: 'Registration date' },
  { key: 'registerUrl', sv: 'Länk till Bolagsverket', en: 'Link to Bolagsverket' },
]

/** The size class in words: "1-4 anställda" / "1-4 employees". */
const sizeText = (label: string | null, lang: CsvLocale) => (label === null ? null : lang === 'sv' ? label : label.replace('anställda', 'employees'))

/** One page (keyset on id) of the CRM rows matching the filters. */
async function crmPage (db: Pick<DbHandle, 'query'>, f: ActorFilters, role: Role, after: number, size: number, excludeOptedOut: boolean) {
  const ps = new Params()
  const personal = personalParam(ps, 'company', role)
  const mask = (col: string) => `CASE WHEN t.sole_trader AND NOT ${personal} THEN NULL ELSE ${col} END`
  let ids = `SELECT t.id, t.ref_year ${fromWhere(f, ps, false)} AND t.id > ${ps.p(after)}::bigint`
  if (excludeOptedOut) ids += ' AND t.marketing_opt_out IS NOT TRUE'
  const { rows } = await db.query<CrmRow & { id: number; soleTrader: boolean; sizeLabel: string | null }>(`
    SELECT t.id, t.name, ${mask('t.orgnr')} AS orgnr, lf.title_sv AS "legalForm", ${mask('t.co_address')} AS co, ${mask('t.street')} AS street,
      ${mask('t.postcode')} AS postcode, ${mask('t.city')} AS city, k.name AS kommun, l.name AS lan, b.group_name AS "group",
      b.category_name AS category, sc.label AS "sizeLabel", t.employees, t.registered_on::text AS "registeredOn", t.sole_trader AS "soleTrader"
    FROM (${ids} ORDER BY t.id LIMIT ${size}) x JOIN company t ON t.id = x.id AND t.ref_year = x.ref_year
    ${branchJoin('t', ps.p(f.definition))}
    LEFT JOIN legal_form lf ON lf.code = t.legal_form LEFT JOIN kommun k ON k.code = t.kommun_code
    LEFT JOIN lan l ON l.code = t.lan_code LEFT JOIN size_class sc ON sc.code = t.size_class
    ORDER BY t.id`, ps.values)
  return rows
}

export interface CrmWriter { begin(): Promise<void>; rows(rows: CrmRow[]): Promise<boolean>; end(): Promise<void>; stream: NodeJS.ReadableStream }

export function crmCsv (lang: CsvLocale, stallMs?: number): CrmWriter {
  const sink = new Sink(stallMs)
  return {
    stream: sink.out,
    begin: async () => { await sink.write(csvPreamble(lang) + csvLine(CRM_COLUMNS.map((c) => c[lang]), lang)) },
    rows: (rows) => sink.write(rows.map((r) => csvLine(CRM_COLUMNS.map((c) => r[c.key]), lang)).join('')),
    end: async () => { sink.out.end() },
  }
}

export function crmXlsx (lang: CsvLocale, metadata: Record<string, unknown>, stallMs?: number): CrmWriter {
  const sink = new Sink(stallMs)
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink.out, useStyles: true, useSharedStrings: false })
  const ws = wb.addWorksheet(lang === 'sv' ? 'Kontakter' : 'Contacts', { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = CRM_COLUMNS.map((c) => ({ header: c[lang], key: c.key, width: c.key === 'registerUrl' ? 60 : c.key === 'name' ? 36 : 18 }))
  return {
    stream: sink.out,
    begin: async () => {},
    async rows (rows) {
      for (const r of rows) {
        const row = ws.addRow(CRM_COLUMNS.map((c) => r[c.key]))
        if (r.registerUrl) row.getCell(CRM_COLUMNS.length).value = { text: r.registerUrl, hyperlink: r.registerUrl }
        row.commit()
      }
      await sink.drained()
      return !sink.closed
    },
    async end () {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: CRM_COLUMNS.length } }
      ws.commit()
      const md = wb.addWorksheet('Metadata')
      for (const [k, v] of Object.entries(metadata)) md.addRow([k, typeof v === 'string' ? v : JSON.stringify(v)]).commit()
      md.commit()
      await Promise.race([wb.commit(), once(sink.out, 'close')])
    },
  }
}

/** Streams the CRM rows page by page, never holding the database while the client reads; refuses to mix two imports. */
export async function exportCrm (db: Pick<DbHandle, 'query'>, f: ActorFilters, role: Role, writer: CrmWriter,
  opts: { lang: CsvLocale; excludeOptedOut: boolean; dataVersion: number; registerUrl: string; pageSize?: number }): Promise<number> {
  const size = opts.pageSize ?? 2000
  let after = 0
  let n = 0
  await writer.begin()
  for (;;) {
    const page = await crmPage(db, f, role, after, size, opts.excludeOptedOut)
    if (await currentDataVersion(db) !== opts.dataVersion) throw new DataChanged()
    if (!page.length) break
    after = page[page.length - 1].id
    const rows: CrmRow[] = page.map((r) => ({
      name: r.name, orgnr: r.orgnr, legalForm: r.legalForm, co: r.co, street: r.street, postcode: r.postcode, city: r.city,
      kommun: r.kommun, lan: r.lan, group: r.group, category: r.category, sizeClass: sizeText(r.sizeLabel, opts.lang),
      employees: r.employees, registeredOn: r.registeredOn,
      registerUrl: r.soleTrader || !r.orgnr ? null : opts.registerUrl.replace('{orgnr}', r.orgnr),
    }))
    n += rows.length
    if (!await writer.rows(rows)) return n
    if (page.length < size) break
  }
  await writer.end()
  return n
}
