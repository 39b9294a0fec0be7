// Occupation key figures from an imported statistical table (SCB's Yrkesregistret: employed people by workplace region,
// SSYK 2012, sex, age, year): per region and year `employed` (all occupations in the table), `kkOccupations` (the codes
// of an occupation list, by default Kreametern's 31), their share, per 10 000 inhabitants, LQ against riket and the
// change against the previous year, broken down by sex, age group and occupation. A län the table has only as kommuner
// is the sum of its kommuner. A missing cell (..) stays missing: a sum over it is the sum of the known cells, flagged.
import type { DbHandle } from '../db/client.js'
import { badRequest, notFound } from '../errors.js'
import { geography, populationOf, resolveYears, RIKET, type Geography } from '../keyfigures/compute.js'
import { change, changePct, locationQuotient, per10k, shareOf } from '../keyfigures/formulas.js'
import { RIKET_CODE } from './dimensions.js'
import { DEFAULT_OCCUPATION_LIST, getOccupationList } from './occupation-lists.js'
import type { Category, DimensionKind } from './table.js'

export type OccupationLevel = 'kommun' | 'lan' | 'riket'
/** 'includes-missing': the sum includes missing (..) cells and is the sum of the known ones; 'missing': nothing known */
export type CellFlag = null | 'includes-missing' | 'missing'

/** The occupation formulas in words, Swedish and English: the one place they are written (the API's meta, the XLSX
 * metadata and /api/key-figures/methodology all read them). */
export const OCCUPATION_METHOD = {
  en: {
    counts: 'People by the region of their workplace (SCB Yrkesregistret, the table\'s own definition, e.g. employed 16-64 years in November), not companies: a person is counted where they work, not where they live.',
    employed: 'Sum of the table\'s cells over all its occupations (4-digit SSYK 2012, including "yrke okänt" where the table has it), sexes and age groups: people counted by the table\'s own definition (SCB Yrkesregistret: employed people by the region of their workplace).',
    kkOccupations: 'The same sum over the occupations of the occupation list (Kreametern: 31 SSYK 2012 codes).',
    share: 'kkOccupations / employed',
    per10k: 'kkOccupations / population × 10 000 (population of the region on 31 December of the year, or the latest earlier year available)',
    lq: '(kkOccupations / employed) / (kkOccupations_riket / employed_riket); 1 for riket',
    change: 'kkOccupations − kkOccupations of the previous year in the table; changePct = change / previous × 100',
    groups: 'bySex and byAge restrict both sums to the group; byOccupation gives one occupation of the list as kkOccupations, with employed = all occupations of the region (so share and lq are that occupation\'s). per10k is always against the whole population.',
    regions: 'kommun = the table\'s kommun cells; län = the table\'s län cells, or the sum of its kommuner where the table has only kommuner (coverage says how many); riket = the table\'s "00", else the sum of its län, else of its kommuner.',
    missing: 'A missing or protected cell ("..") is never counted as 0: a sum that includes one is the sum of the known cells, flagged "includes-missing" (missingCells says how many); with no known cell the value is null, flagged "missing", written ".." in CSV and XLSX.',
  },
  sv: {
    counts: 'Personer efter arbetsställets region (SCB:s yrkesregister, enligt tabellens egen definition, t.ex. anställda 16-64 år i november), inte företag: en person räknas där hen arbetar, inte där hen bor.',
    employed: 'Summan av tabellens celler över alla dess yrken (SSYK 2012 på fyrsiffernivå, inklusive "yrke okänt" där tabellen har det), kön och åldersgrupper: personer räknade enligt tabellens egen definition (SCB:s yrkesregister: sysselsatta efter arbetsställets region).',
    kkOccupations: 'Samma summa över yrkena i yrkeslistan (Kreametern: 31 SSYK 2012-koder).',
    share: 'kkOccupations / employed (de kulturella och kreativa yrkenas andel av de sysselsatta)',
    per10k: 'kkOccupations / folkmängd × 10 000 (regionens folkmängd den 31 december året, eller senaste tidigare år som finns)',
    lq: 'Lokaliseringskvot: (kkOccupations / employed) / (kkOccupations_riket / employed_riket); 1 för riket',
    change: 'kkOccupations − kkOccupations föregående år i tabellen; changePct = förändringen / föregående år × 100',
    groups: 'bySex och byAge begränsar båda summorna till gruppen; byOccupation ger ett yrke i listan som kkOccupations, med employed = alla yrken i regionen (andel och lokaliseringskvot avser då det yrket). per10k räknas alltid mot hela folkmängden.',
    regions: 'kommun = tabellens kommunceller; län = tabellens länsceller, eller summan av länets kommuner där tabellen bara har kommuner (coverage anger hur många); riket = tabellens "00", annars summan av länen, annars av kommunerna.',
    missing: 'En saknad eller skyddad cell ("..") räknas aldrig som 0: en summa som innehåller en sådan är summan av de kända cellerna och flaggas "includes-missing" (missingCells anger hur många); utan någon känd cell är värdet null, flaggat "missing", och skrivs ".." i CSV och XLSX.',
  },
} as const
/** The English text (the API's meta.formulas). */
export const OCCUPATION_FORMULAS = OCCUPATION_METHOD.en

export interface OccupationQuery {
  level: OccupationLevel
  regions?: string[]
  lan?: string[]
  years?: number[] | 'all' | 'latest'
  /** SCB sex code ("1" män, "2" kvinnor) or total */
  sex?: string
  table?: string
  contents?: string
  list?: string
}

type Flags = { employed: CellFlag; kkOccupations: CellFlag; share: CellFlag; per10k: CellFlag; lq: CellFlag; change: CellFlag }
export interface GroupFigures {
  group: 'total' | 'sex' | 'age' | 'occupation'; code: string; label: string
  employed: number | null; kkOccupations: number | null; share: number | null; per10k: number | null; lq: number | null
  change: number | null; changePct: number | null
  /** missing cells inside the employed sum (the kkOccupations sum is part of it) */
  missingCells: number
  flags: Flags
}
export interface OccupationRow extends Omit<GroupFigures, 'group' | 'code' | 'label'> {
  year: number; regionLevel: OccupationLevel; regionCode: string; regionName: string; parentCode: string | null
  population: number | null; populationYear: number | null
  /** where the region's figures come from: its own cells, or the sum of its kommuner/län in the table */
  from: 'table' | 'kommuner' | 'lan'; coverage: { present: number; of: number } | null
  bySex: GroupFigures[]; byAge: GroupFigures[]; byOccupation: GroupFigures[]
}

interface TableDimension { id: string; label: string; kind: DimensionKind; categories: Category[] }
export interface TableInfo {
  id: string; title: string; source: string; updated: string | null; unit: string | null; importedAt: string; dimensions: TableDimension[]
  /** imported as synthetic (the demo's table): never SCB's figures */
  synthetic: boolean
}

// ---------------------------------------------------------------------------------------------------------
// Sums that know their missing cells

interface Acc { sum: number; known: number; missing: number }
const acc = (): Acc => ({ sum: 0, known: 0, missing: 0 })
function addTo (a: Acc, b: Acc) { a.sum += b.sum; a.known += b.known; a.missing += b.missing }
const valueOf = (a: Acc | undefined): number | null => (a && a.known > 0 ? a.sum : null)
function flagOf (a: Acc | undefined): CellFlag {
  if (!a || a.known === 0) return 'missing'
  return a.missing > 0 ? 'includes-missing' : null
}
const RANK: Record<string, number> = { null: 0, 'includes-missing': 1, missing: 2 }
const worst = (...f: CellFlag[]): CellFlag => f.reduce<CellFlag>((w, x) => (RANK[String(x)] > RANK[String(w)] ? x : w), null)

interface Pair { employed: Acc; kk: Acc }
const pair = (): Pair => ({ employed: acc(), kk: acc() })
interface RegionAgg { total: Pair; sex: Map<string, Pair>; age: Map<string, Pair>; occ: Map<string, Acc> }
const regionAgg = (): RegionAgg => ({ total: pair(), sex: new Map(), age: new Map(), occ: new Map() })
function get<K, V> (m: Map<K, V>, k: K, make: () => V): V { let v = m.get(k); if (!v) { v = make(); m.set(k, v) } return v }

function mergeAgg (into: RegionAgg, from: RegionAgg) {
  addTo(into.total.employed, from.total.employed); addTo(into.total.kk, from.total.kk)
  for (const [k, p] of from.sex) { const t = get(into.sex, k, pair); addTo(t.employed, p.employed); addTo(t.kk, p.kk) }
  for (const [k, p] of from.age) { const t = get(into.age, k, pair); addTo(t.employed, p.employed); addTo(t.kk, p.kk) }
  for (const [k, a] of from.occ) addTo(get(into.occ, k, acc), a)
}

// ---------------------------------------------------------------------------------------------------------

export async function pickOccupationTable (db: DbHandle, id?: string): Promise<TableInfo> {
  const { rows } = await db.query<TableInfo>(`SELECT t.id, t.title, t.source, t.updated, t.unit, t.imported_at::text AS "importedAt", t.dimensions,
      coalesce(b.synthetic, false) AS synthetic
    FROM stat_table t LEFT JOIN import_batch b ON b.id = t.batch_id WHERE ($1::text IS NULL OR t.id = $1) ORDER BY t.imported_at DESC, t.id`, [id ?? null])
  if (id && !rows.length) throw notFound(`no statistical table "${id}"`)
  const usable = rows.filter((t) => t.dimensions.some((d) => d.kind === 'occupation') && t.dimensions.some((d) => d.kind === 'region'))
  if (!usable.length) {
    if (id) throw badRequest(`table "${id}" has no SSYK 2012 occupation dimension`)
    throw notFound('no statistical table with occupations (SSYK 2012) and regions is imported: npm run import -- statistics FILE --format json-stat|csv')
  }
  return usable[0]
}

const dimOf = (t: TableInfo, kind: DimensionKind) => t.dimensions.find((d) => d.kind === kind)

/** The categories a sum runs over: the details where the table has them, else its total ('' when there is no such dimension). */
function sumCategories (t: TableInfo, kind: 'sex' | 'age'): Category[] {
  const d = dimOf(t, kind)
  if (!d) return [{ code: '', label: '' }]
  const details = d.categories.filter((c) => !c.total)
  return details.length ? details : d.categories
}

const SEX_PARAM: Record<string, string> = { 1: '1', 2: '2', män: '1', kvinnor: '2', men: '1', women: '2', man: '1', kvinna: '2' }

interface RegionSpec { code: string; name: string; parent: string | null; sources: string[]; kommuner: string[]; from: OccupationRow['from']; coverage: OccupationRow['coverage'] }

function regionsOf (level: OccupationLevel, present: Set<string>, geo: Geography): RegionSpec[] {
  const kommuner = geo.regions.kommun
  if (level === 'kommun') {
    return kommuner.filter((k) => present.has(k.code)).map((k) => ({ code: k.code, name: k.name, parent: k.parent, sources: [k.code], kommuner: [k.code], from: 'table', coverage: null }))
  }
  const lans = geo.regions.lan
  if (level === 'lan') {
    const out: RegionSpec[] = []
    for (const l of lans) {
      if (present.has(l.code)) { out.push({ code: l.code, name: l.name, parent: RIKET.code, sources: [l.code], kommuner: l.kommuner, from: 'table', coverage: null }); continue }
      const ks = l.kommuner.filter((k) => present.has(k))
      if (ks.length) out.push({ code: l.code, name: l.name, parent: RIKET.code, sources: ks, kommuner: l.kommuner, from: 'kommuner', coverage: { present: ks.length, of: l.kommuner.length } })
    }
    return out
  }
  const all = kommuner.map((k) => k.code)
  const base = { code: RIKET.code, name: RIKET.name, parent: null, kommuner: all }
  if (present.has(RIKET_CODE)) return [{ ...base, sources: [RIKET_CODE], from: 'table', coverage: null }]
  const l = lans.filter((x) => present.has(x.code)).map((x) => x.code)
  if (l.length) return [{ ...base, sources: l, from: 'lan', coverage: { present: l.length, of: lans.length } }]
  const ks = all.filter((k) => present.has(k))
  return ks.length ? [{ ...base, sources: ks, from: 'kommuner', coverage: { present: ks.length, of: all.length } }] : []
}

export async function computeOccupationFigures (db: DbHandle, q: OccupationQuery) {
  const table = await pickOccupationTable(db, q.table)
  const list = await getOccupationList(db, q.list ?? DEFAULT_OCCUPATION_LIST)
  const codes = list.codes.map((c) => c.code)
  const contentsDim = dimOf(table, 'contents')
  const contents = q.contents ?? contentsDim?.categories[0].code ?? ''
  if (contentsDim && !contentsDim.categories.some((c) => c.code === contents)) {
    throw badRequest(`contents "${contents}" is not in table ${table.id} (${contentsDim.categories.map((c) => c.code).join(', ')})`)
  }
  const allYears = dimOf(table, 'time')!.categories.map((c) => Number(c.code)).sort((a, b) => a - b)
  const years = resolveYears(q.years, allYears)
  const prev = (y: number) => allYears[allYears.indexOf(y) - 1] as number | undefined
  const needed = [...new Set([...years, ...years.map(prev).filter((y): y is number => y !== undefined)])]

  let sexCats = sumCategories(table, 'sex')
  let sex: string | null = null
  if (q.sex && !['total', '1+2', '1 2'].includes(q.sex.toLowerCase())) {
    sex = SEX_PARAM[q.sex.toLowerCase()] ?? null
    const cat = dimOf(table, 'sex')?.categories.find((c) => c.code === sex)
    if (!sex || !cat) throw badRequest(`sex "${q.sex}": use 1 (män), 2 (kvinnor) or total${dimOf(table, 'sex') ? '' : ' (the table has no sex dimension)'}`)
    sexCats = [cat]
  }
  const ageCats = sumCategories(table, 'age')

  const filter = `table_id = $1 AND contents = $2 AND year = ANY($3::int[]) AND sex = ANY($4::text[]) AND age = ANY($5::text[])`
  const params = [table.id, contents, needed, sexCats.map((c) => c.code), ageCats.map((c) => c.code), codes]
  const { rows: cells } = await db.query<{ year: number; region: string; sex: string; age: string; kk: boolean; sum: number; known: number; missing: number }>(`
    SELECT year, region, sex, age, occupation = ANY($6::text[]) AS kk, coalesce(sum(value), 0)::float8 AS sum,
      count(value)::int AS known, (count(*) - count(value))::int AS missing
    FROM stat_cell WHERE ${filter} GROUP BY 1, 2, 3, 4, 5`, params)
  const { rows: occ } = await db.query<{ year: number; region: string; occupation: string; sum: number; known: number; missing: number }>(`
    SELECT year, region, occupation, coalesce(sum(value), 0)::float8 AS sum, count(value)::int AS known, (count(*) - count(value))::int AS missing
    FROM stat_cell WHERE ${filter} AND occupation = ANY($6::text[]) GROUP BY 1, 2, 3`, params)

  // per (year, table region): the sums, by sex, age and occupation
  const aggs = new Map<string, RegionAgg>()
  const present = new Set<string>()
  for (const c of cells) {
    present.add(c.region)
    const a = get(aggs, `${c.year}|${c.region}`, regionAgg)
    const x: Acc = { sum: c.sum, known: c.known, missing: c.missing }
    for (const p of [a.total, get(a.sex, c.sex, pair), get(a.age, c.age, pair)]) { addTo(p.employed, x); if (c.kk) addTo(p.kk, x) }
  }
  for (const c of occ) addTo(get(get(aggs, `${c.year}|${c.region}`, regionAgg).occ, c.occupation, acc), c)

  const geo = await geography(db)
  const aggFor = (year: number, r: RegionSpec): RegionAgg => {
    const out = regionAgg()
    for (const s of r.sources) { const a = aggs.get(`${year}|${s}`); if (a) mergeAgg(out, a) }
    return out
  }
  const riket = regionsOf('riket', present, geo)[0]
  let regions = regionsOf(q.level, present, geo)
  if (q.lan?.length) regions = regions.filter((r) => q.lan!.includes(q.level === 'kommun' ? r.parent ?? '' : r.code))
  if (q.regions?.length) regions = regions.filter((r) => q.regions!.includes(r.code))

  const sexLabel = new Map(dimOf(table, 'sex')?.categories.map((c) => [c.code, c.label]))
  const ageLabel = new Map(dimOf(table, 'age')?.categories.map((c) => [c.code, c.label]))
  const rows: OccupationRow[] = []
  for (const year of years) {
    const py = prev(year)
    const rk = riket ? aggFor(year, riket) : regionAgg()
    for (const r of regions) {
      const now = aggFor(year, r)
      const before = py !== undefined ? aggFor(py, r) : null
      const pop = populationOf(geo, r.kommuner, year)
      const figures = (group: GroupFigures['group'], code: string, label: string, p: Pair, riketPair: Pair, prevKk: Acc | null): GroupFigures => {
        const employed = valueOf(p.employed)
        const kk = valueOf(p.kk)
        const share = shareOf(kk, employed)
        const riketShare = shareOf(valueOf(riketPair.kk), valueOf(riketPair.employed))
        const pk = prevKk ? valueOf(prevKk) : null
        const f: Flags = { employed: flagOf(p.employed), kkOccupations: flagOf(p.kk), share: null, per10k: null, lq: null, change: null }
        f.share = worst(f.employed, f.kkOccupations)
        f.per10k = f.kkOccupations
        f.lq = q.level === 'riket' ? f.share : worst(f.share, flagOf(riketPair.kk), flagOf(riketPair.employed))
        f.change = prevKk ? worst(f.kkOccupations, flagOf(prevKk)) : null
        return {
          group, code, label, employed, kkOccupations: kk, share, per10k: kk === null ? null : per10k(kk, pop.population),
          lq: q.level === 'riket' ? (kk ? 1 : null) : locationQuotient(share, riketShare),
          change: kk === null ? null : change(kk, pk), changePct: kk === null ? null : changePct(kk, pk),
          missingCells: p.employed.missing, flags: f,
        }
      }
      const total = figures('total', 'total', 'Totalt', now.total, rk.total, before?.total.kk ?? null)
      const { group: _g, code: _c, label: _l, ...t } = total
      const sexCodes = dimOf(table, 'sex') ? sexCats.map((c) => c.code) : []
      const ageCodes = dimOf(table, 'age') ? ageCats.map((c) => c.code) : []
      rows.push({
        year, regionLevel: q.level, regionCode: r.code, regionName: r.name, parentCode: r.parent,
        population: pop.population, populationYear: pop.year, from: r.from, coverage: r.coverage, ...t,
        bySex: sexCodes.map((s) => figures('sex', s, sexLabel.get(s) ?? s, now.sex.get(s) ?? pair(), rk.sex.get(s) ?? pair(), before?.sex.get(s)?.kk ?? null)),
        byAge: ageCodes.map((a) => figures('age', a, ageLabel.get(a) ?? a, now.age.get(a) ?? pair(), rk.age.get(a) ?? pair(), before?.age.get(a)?.kk ?? null)),
        byOccupation: list.codes.map((o) => figures('occupation', o.code, o.name, { employed: now.total.employed, kk: now.occ.get(o.code) ?? acc() },
          { employed: rk.total.employed, kk: rk.occ.get(o.code) ?? acc() }, before ? before.occ.get(o.code) ?? acc() : null)),
      })
    }
  }
  return {
    table: { id: table.id, title: table.title, source: table.source, updated: table.updated, unit: table.unit, importedAt: table.importedAt,
      synthetic: table.synthetic,
      contents: contentsDim ? { code: contents, label: contentsDim.categories.find((c) => c.code === contents)!.label } : null },
    occupationList: { id: list.id, version: list.version, name: list.name, source: list.source, codes: list.codes },
    level: q.level, years, allYears, sex, rows,
  }
}
export type OccupationResult = Awaited<ReturnType<typeof computeOccupationFigures>>
