// Test tables in the shape SCB's statistical database publishes them: JSON-stat 2.0 from the API (json-stat2) with
// Region × Yrke2012 × Kon × ContentsCode × Tid, and the CSV download ("Kommaavgränsad med rubrik", ISO-8859-1)
// of the same numbers. Values are deterministic; one cell is ".." (protected).
import iconv from 'iconv-lite'
import { readDataCsv } from '../../server/reference/csv-file.js'

export const KK = readDataCsv<{ ssyk2012_code: string }>('occupations/kkb_ssyk2012_occupations.csv').map((r) => r.ssyk2012_code)
/** occupations outside the list, including SCB's "yrke okänt" */
export const OTHER = ['2341', '5321', '9111', '0002']
export const OCCUPATIONS = [...KK, ...OTHER]
export const KOMMUNER = readDataCsv<{ kommun_code: string; kommun_name: string; lan_code: string }>('kommuner.csv')
export const SEXES = ['1', '2']
export const YEARS = ['2023', '2024']
/** the protected cell: Kalmar, Bildkonstnärer m.fl., kvinnor, 2024 */
export const MISSING = { region: '0880', occupation: '2651', sex: '2', year: '2024' }

export function cellValue (region: string, occupation: string, sex: string, year: string): number | null {
  if (region === MISSING.region && occupation === MISSING.occupation && sex === MISSING.sex && year === MISSING.year) return null
  let h = 17
  for (const ch of `${region}|${occupation}|${sex}|${year}`) h = (h * 31 + ch.charCodeAt(0)) % 1_000_003
  const base = OTHER.includes(occupation) ? 400 : 12
  return base + (h % (base * 2))
}

interface Opts { kommuner?: string[]; tableId?: string; bump?: number; scale?: (region: string, occupation: string) => number }

export function scbJsonStat (o: Opts = {}) {
  const regions = o.kommuner ?? KOMMUNER.map((k) => k.kommun_code)
  const names = new Map(KOMMUNER.map((k) => [k.kommun_code, k.kommun_name]))
  const value: Array<number | null> = []
  const status: Record<string, string> = {}
  for (const r of regions) for (const y of OCCUPATIONS) for (const s of SEXES) for (const t of YEARS) {
    const v = cellValue(r, y, s, t)
    if (v === null) status[String(value.length)] = '..'
    value.push(v === null ? null : (v + (o.bump ?? 0)) * (o.scale?.(r, y) ?? 1))
  }
  const cat = (codes: string[], label: (c: string) => string) =>
    ({ index: Object.fromEntries(codes.map((c, i) => [c, i])), label: Object.fromEntries(codes.map((c) => [c, label(c)])) })
  return {
    class: 'dataset', version: '2.0',
    label: 'Anställda 16-64 år med arbetsplats i regionen (dagbef) efter region, yrke (SSYK 2012), kön och år',
    source: 'Statistiska centralbyrån', updated: '2025-06-24T06:00:00Z',
    id: ['Region', 'Yrke2012', 'Kon', 'ContentsCode', 'Tid'],
    size: [regions.length, OCCUPATIONS.length, SEXES.length, 1, YEARS.length],
    role: { time: ['Tid'], geo: ['Region'], metric: ['ContentsCode'] },
    dimension: {
      Region: { label: 'region', category: cat(regions, (c) => names.get(c)!) },
      Yrke2012: { label: 'Yrke (SSYK 2012)', category: cat(OCCUPATIONS, (c) => `yrke ${c}`) },
      Kon: { label: 'kön', category: cat(SEXES, (c) => (c === '1' ? 'män' : 'kvinnor')) },
      ContentsCode: { label: 'tabellinnehåll', category: { index: { '000001RR': 0 }, label: { '000001RR': 'Anställda 16-64 år med arbetsplats i regionen (dagbef)' },
        unit: { '000001RR': { base: 'antal', decimals: 0 } } } },
      Tid: { label: 'år', category: cat(YEARS, (c) => c) },
    },
    value, status,
    extension: { px: { infofile: 'AM0208', tableid: o.tableId ?? 'YREG60N', decimals: 0, 'official-statistics': true, language: 'sv' } },
  }
}

/** SCB's CSV download of the same table: title, blank line, "code name" texts, one column per year; ISO-8859-1. */
export function scbCsv (o: Opts = {}): Buffer {
  const regions = o.kommuner ?? KOMMUNER.map((k) => k.kommun_code)
  const names = new Map(KOMMUNER.map((k) => [k.kommun_code, k.kommun_name]))
  const q = (s: string) => `"${s}"`
  const lines = [q('Anställda 16-64 år med arbetsplats i regionen (dagbef) efter region, yrke (SSYK 2012), kön och år'), '',
    ['region', 'yrke (SSYK 2012)', 'kön', ...YEARS.map((y) => `Anställda 16-64 år med arbetsplats i regionen (dagbef) ${y}`)].map(q).join(',')]
  for (const r of regions) for (const y of OCCUPATIONS) for (const s of SEXES) {
    const vals = YEARS.map((t) => { const v = cellValue(r, y, s, t); return v === null ? '..' : String(v + (o.bump ?? 0)) })
    lines.push([q(`${r} ${names.get(r)}`), q(`${y} yrke ${y}`), q(s === '1' ? 'män' : 'kvinnor'), ...vals].join(','))
  }
  lines.push('', q('Uppgifterna avser november respektive år.'))
  return iconv.encode(lines.join('\r\n') + '\r\n', 'latin1')
}
