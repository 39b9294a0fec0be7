// Reference code lists used to validate imports, read from the shipped data/ files (the same files the
// migrations seed into the database), so parsers can run and be tested without a database.
import { readDataCsv } from './csv-file.js'

export type SniVersion = '2007' | '2025'

export interface RefData {
  kommuner: Map<string, { name: string; lanCode: string }>
  /** lower-cased kommun name (with and without " kommun") → code */
  kommunByName: Map<string, string>
  sni: Record<SniVersion, Set<string>> // level-5 codes only
  legalForms: Map<string, string>
  postcodes: Map<string, string> // 5-digit postcode → kommun code
  /** upper-cased postort → kommun code, only where the locality maps to a single kommun */
  postorter: Map<string, string>
  sunCodes: Set<string>
}

let cached: RefData | undefined

export function loadRefData (): RefData {
  if (cached) return cached
  const kommuner = new Map<string, { name: string; lanCode: string }>()
  const kommunByName = new Map<string, string>()
  for (const k of readDataCsv('kommuner.csv')) {
    kommuner.set(k.kommun_code, { name: k.kommun_name, lanCode: k.lan_code })
    kommunByName.set(k.kommun_name.toLowerCase(), k.kommun_code)
    kommunByName.set(`${k.kommun_name.toLowerCase()} kommun`, k.kommun_code)
  }
  const sni = { 2007: new Set<string>(), 2025: new Set<string>() } as Record<SniVersion, Set<string>>
  for (const v of ['2007', '2025'] as const) {
    for (const r of readDataCsv(`sni${v}.csv`)) if (r.level === '5') sni[v].add(r.code)
  }
  const legalForms = new Map(readDataCsv('juridisk_form_2020.csv').map((r) => [r.code, r.title_sv]))
  const postcodes = new Map<string, string>()
  const ortKommuner = new Map<string, Set<string>>()
  for (const p of readDataCsv('postnummer_kommun.csv')) {
    postcodes.set(p.postal_code, p.municipality_code)
    const ort = p.locality.trim().toUpperCase()
    if (!ortKommuner.has(ort)) ortKommuner.set(ort, new Set())
    ortKommuner.get(ort)!.add(p.municipality_code)
  }
  const postorter = new Map<string, string>()
  for (const [ort, set] of ortKommuner) if (set.size === 1) postorter.set(ort, [...set][0])
  const sunCodes = new Set(readDataCsv('sun2020_inriktning.csv').map((r) => r.code))
  cached = { kommuner, kommunByName, sni, legalForms, postcodes, postorter, sunCodes }
  return cached
}
