// Recognises the dimensions of a statistical table as SCB publishes them, without renaming: region (kommun 4 digits,
// län 2 digits, riket "00"), occupation (SSYK 2012, 4 digits, e.g. "Yrke2012"), sex ("1", "2", "1+2"), age groups,
// time (years) and the contents ("ContentsCode", role metric). Any other dimension is accepted only when it has a
// single category (it is then a fixed property of the table, kept as provenance); anything not understood is refused.
import { ImportError } from '../ingest/import-error.js'
import type { Category, Dimension, DimensionKind, ParsedTable } from './table.js'

export const RIKET_CODE = '00'

export interface RegionNames { kommun: Map<string, string>; lan: Map<string, string> }

export interface RecognisedDimension extends Dimension { kind: DimensionKind | null }
export interface RecognisedTable extends Omit<ParsedTable, 'dimensions'> {
  dimensions: RecognisedDimension[]
  /** single-category dimensions that are not recognised: { id: { code, label } } */
  fixed: Record<string, { label: string; code: string; categoryLabel: string }>
}

const norm = (s: string) => s.normalize('NFC').trim().toLowerCase()

/** The kind of a dimension from its id, label and declared role; null = not one we know. */
export function kindOf (d: Dimension): DimensionKind | null {
  const id = norm(d.id)
  const label = norm(d.label)
  if (d.role === 'time' || id === 'tid' || ['år', 'tid', 'year', 'time', 'period'].includes(label)) return 'time'
  if (d.role === 'metric' || id === 'contentscode' || ['tabellinnehåll', 'contents'].includes(label)) return 'contents'
  if (d.role === 'geo' || id === 'region' || /^region\b/.test(label)) return 'region'
  if (/^yrke|ssyk/.test(id) || /^yrke|ssyk/.test(label)) return 'occupation'
  if (id === 'kon' || id === 'kön' || label === 'kön' || label === 'sex') return 'sex'
  if (id === 'alder' || id === 'ålder' || /^ålder\b/.test(label) || label === 'age') return 'age'
  return null
}

const SEX_CODES = new Map<string, string>([
  ['1', '1'], ['2', '2'], ['1+2', '1+2'], ['män', '1'], ['kvinnor', '2'], ['totalt', '1+2'], ['män och kvinnor', '1+2'],
  ['samtliga', '1+2'], ['men', '1'], ['women', '2'], ['total', '1+2'], ['men and women', '1+2'],
])
const SEX_LABELS: Record<string, string> = { 1: 'män', 2: 'kvinnor', '1+2': 'totalt' }
const TOTAL_LABEL = /^(tot|totalt|samtliga|alla|total)\b/i

function refuse (message: string): never { throw new ImportError(message) }
const sample = (xs: string[]) => xs.slice(0, 5).map((x) => `"${x}"`).join(', ') + (xs.length > 5 ? ` and ${xs.length - 5} more` : '')

/** A "0114 Upplands Väsby" style label (SCB's CSV) split into its leading code and the name. */
export function leadingCode (text: string): { code: string; name: string } | null {
  const m = /^(\d+(?:\+\d+)?)\s+(.+)$/.exec(text.trim())
  return m ? { code: m[1], name: m[2] } : null
}

function recogniseRegion (d: Dimension, names: RegionNames): Category[] {
  const byName = new Map<string, string>([['riket', RIKET_CODE], ['sverige', RIKET_CODE], ['hela landet', RIKET_CODE]])
  for (const [code, name] of names.lan) byName.set(norm(name), code)
  for (const [code, name] of names.kommun) byName.set(norm(name), code)
  const unknown: string[] = []
  const out = d.categories.map((c) => {
    let code = c.code
    let label = c.label
    const lead = leadingCode(code)
    if (lead) { code = lead.code; label = lead.name } else if (!/^\d+$/.test(code)) code = byName.get(norm(code)) ?? code
    const known = code === RIKET_CODE || (code.length === 2 && names.lan.has(code)) || (code.length === 4 && names.kommun.has(code))
    if (!known) unknown.push(c.code)
    return { ...c, code, label }
  })
  if (unknown.length) {
    refuse(`region "${d.id}": ${sample(unknown)} is not a kommun (4 digits), län (2 digits) or riket ("00") code of the current division`)
  }
  return out
}

function recogniseOccupation (d: Dimension): Category[] {
  if (!/2012/.test(`${d.id} ${d.label}`)) refuse(`occupation dimension "${d.id}" (${d.label}) is not marked SSYK 2012; only SSYK 2012 tables are understood`)
  const bad: string[] = []
  const out = d.categories.map((c) => {
    const lead = leadingCode(c.code)
    const code = lead ? lead.code : c.code
    if (!/^\d{4}$/.test(code)) bad.push(c.code)
    return { ...c, code, label: lead ? lead.name : c.label }
  })
  if (bad.length) refuse(`occupation "${d.id}": ${sample(bad)} is not a 4-digit SSYK 2012 code; select the 4-digit level (with codes) in the statistical database`)
  return out
}

function recogniseSex (d: Dimension): Category[] {
  return d.categories.map((c) => {
    const code = SEX_CODES.get(norm(c.code)) ?? SEX_CODES.get(norm(c.label))
    if (!code) refuse(`sex "${d.id}": category "${c.code}" (${c.label}) is not 1 (män), 2 (kvinnor) or 1+2 (totalt)`)
    return { ...c, code, label: c.label && c.label !== c.code ? c.label : SEX_LABELS[code], total: code === '1+2' }
  })
}

const ageRange = (code: string): [number, number] | null => {
  const m = /^(\d+)(?:-(\d+)|(\+))?$/.exec(code)
  return m ? [Number(m[1]), m[3] ? Infinity : Number(m[2] ?? m[1])] : null
}

/** Age groups; a total is named so ("totalt", "tot16-64") or is a range spanning every other group ("16-64" beside "16-24", …). */
function recogniseAge (d: Dimension): Category[] {
  const cats = d.categories.map((c) => {
    const lead = /^(\d+(?:-\d+)?\+?)(?:\s+år)?$/.exec(c.code.trim())
    return { ...c, code: lead ? lead[1] : c.code, total: TOTAL_LABEL.test(c.code) || TOTAL_LABEL.test(c.label) }
  })
  const ranges = cats.map((c) => ageRange(c.code))
  cats.forEach((c, i) => {
    const r = ranges[i]
    const others = ranges.filter((x, j) => j !== i && !cats[j].total)
    if (r && others.length >= 2 && others.every((o) => o && o[0] >= r[0] && o[1] <= r[1])) c.total = true
  })
  return cats
}

function recogniseTime (d: Dimension): Category[] {
  const bad = d.categories.filter((c) => !/^\d{4}$/.test(c.code)).map((c) => c.code)
  if (bad.length) refuse(`time "${d.id}": ${sample(bad)} is not a year; only annual tables are understood`)
  return d.categories
}

export function recognise (t: ParsedTable, names: RegionNames): RecognisedTable {
  const seen = new Map<DimensionKind, string>()
  const fixed: RecognisedTable['fixed'] = {}
  const dimensions: RecognisedDimension[] = t.dimensions.map((d) => {
    const kind = kindOf(d)
    if (kind) {
      if (seen.has(kind)) refuse(`two ${kind} dimensions ("${seen.get(kind)}" and "${d.id}"); a table may have one of each`)
      seen.set(kind, d.id)
    } else if (d.categories.length === 1) {
      fixed[d.id] = { label: d.label, code: d.categories[0].code, categoryLabel: d.categories[0].label }
    } else {
      refuse(`dimension "${d.id}" (${d.label}) is not understood (region, SSYK 2012 occupation, sex, age, time and contents are) ` +
        `and has ${d.categories.length} categories; select a single category of it`)
    }
    const categories = kind === 'region' ? recogniseRegion(d, names) : kind === 'occupation' ? recogniseOccupation(d)
      : kind === 'sex' ? recogniseSex(d) : kind === 'age' ? recogniseAge(d) : kind === 'time' ? recogniseTime(d) : d.categories
    const codes = new Set<string>()
    for (const c of categories) {
      if (codes.has(c.code)) refuse(`dimension "${d.id}": category "${c.code}" appears twice`)
      codes.add(c.code)
    }
    return { ...d, kind, categories }
  })
  if (!seen.has('region')) refuse('the table has no region dimension (e.g. "Region"); figures per region need one')
  if (!seen.has('time')) refuse('the table has no time dimension (e.g. "Tid"); every figure needs its year')
  return { ...t, dimensions, fixed }
}
