// Arts and culture education providers (education.csv): fictional "Demo …" providers with core/related SUN codes,
// kulturskolor in most kommuner, universities in university towns, URLs under the reserved .example domain.
import { readDataCsv } from '../reference/csv-file.js'
import { Rng, WeightedTable } from './random.js'
import { UNIVERSITY_TOWNS } from './branches.js'
import { placeWord } from './words.js'
import { csvField, decimalComma, type LineWriter } from './writer.js'
import { makePlace } from './companies.js'
import { EDUCATION_CSV_HEADER } from './rows.js'
import type { Kommun, World } from './world.js'

type ProviderType = 'folkhogskola' | 'yh' | 'hogskola' | 'gymnasium_estetiska' | 'kulturskola' | 'studieforbund' | 'other'
type Programme = [name: string, sun: string]

const PROGRAMMES: Record<ProviderType, Programme[]> = {
  kulturskola: [['Musik', '212a'], ['Dans', '212b'], ['Teater', '212b'], ['Bild och form', '211a'], ['Film och media', '213b'], ['Cirkus', '212x'], ['Skrivande', '219z']],
  gymnasium_estetiska: [['Estetiska programmet, bild och formgivning', '211a'], ['Estetiska programmet, dans', '212b'], ['Estetiska programmet, estetik och media', '213a'], ['Estetiska programmet, musik', '212a'], ['Estetiska programmet, teater', '212b']],
  folkhogskola: [['Konstnärlig grundutbildning', '211a'], ['Musiklinje', '212a'], ['Skrivarlinje', '219z'], ['Dokumentärfilm', '213b'], ['Keramik och glas', '215z'], ['Textilt konsthantverk', '215z'], ['Fotolinje', '213d'], ['Teaterlinje', '212b'], ['Serietecknare', '211x'], ['Spelutveckling', '213x']],
  yh: [['Grafisk formgivare', '213d'], ['Spelgrafiker', '213x'], ['Ljudtekniker', '213b'], ['Scentekniker', '212x'], ['Inredningsdesigner', '214b'], ['Modedesign och produktion', '214a'], ['Kulturproducent', '219z'], ['Digital marknadsförare', '342z'], ['3D-artist', '213x'], ['Filmproduktion', '213b']],
  hogskola: [['Kandidatprogram i fri konst', '211a'], ['Konstvetenskap', '211b'], ['Musikerprogrammet', '212a'], ['Skådespelarprogrammet', '212b'], ['Film- och medieproduktion', '213b'], ['Arkitektprogrammet', '581c'], ['Landskapsarkitektprogrammet', '581d'], ['Designprogrammet', '214c'], ['Modedesign', '214a'], ['Journalistprogrammet', '321a'], ['Biblioteks- och informationsvetenskap', '322a'], ['Kulturvård', '225c'], ['Litteraturvetenskap', '223d'], ['Översättarprogrammet', '222k'], ['Bildlärarprogrammet', '146h'], ['Musiklärarprogrammet', '146g'], ['Medie- och kommunikationsvetenskap', '321b']],
  studieforbund: [['Musik i studiecirkel', '212a'], ['Konsthantverk', '215z'], ['Textil och slöjd', '542c'], ['Körsång', '212a'], ['Måleri', '211a'], ['Fotografering', '213d'], ['Skrivarcirkel', '219z']],
  other: [['Förberedande konstskola', '211a'], ['Dansakademi', '212b'], ['Fotoskola', '213d'], ['Musikproduktion', '213b'], ['Läderhantverk', '542d'], ['Glasblåsning', '543e']],
}
const PROVIDER_LABEL: Record<ProviderType, string> = {
  kulturskola: 'kulturskola', gymnasium_estetiska: 'estetiska gymnasiet', folkhogskola: 'folkhögskola', yh: 'yrkeshögskola',
  hogskola: 'konsthögskola', studieforbund: 'studieförbund', other: 'kulturcentrum',
}
const PLACES: Record<ProviderType, [number, number]> = {
  kulturskola: [60, 2000], gymnasium_estetiska: [15, 90], folkhogskola: [12, 40], yh: [20, 60], hogskola: [10, 60], studieforbund: [8, 300], other: [10, 80],
}

function slug (s: string): string {
  return s.toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o').replace(/é/g, 'e').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

export function writeEducation (ew: LineWriter, w: World, seed: number, n: number, lastYear: number): { providers: number; programmes: number } {
  const sun = new Map(readDataCsv<{ code: string; cci_relevance: string }>('sun2020_inriktning.csv').map((r) => [r.code, r.cci_relevance]))
  for (const list of Object.values(PROGRAMMES)) {
    for (const [, code] of list) if (sun.get(code) !== 'core' && sun.get(code) !== 'related') throw new Error(`SUN code ${code} is not core/related in sun2020_inriktning.csv`)
  }
  ew.line(EDUCATION_CSV_HEADER)
  const rng = Rng.of(seed, 41)
  // kulturskolor first: one each in up to 85 % of kommuner, but at most 55 % of all providers
  const nKultur = Math.min(Math.round(w.kommuner.length * 0.85), Math.round(n * 0.55))
  const keyed = w.kommuner.map((k) => ({ k, key: Math.pow(rng.float(), 1 / Math.sqrt(k.population)) })) // Efraimidis–Spirakis
  keyed.sort((a, b) => b.key - a.key || a.k.index - b.k.index)
  const plan: Array<{ type: ProviderType; k: Kommun }> = keyed.slice(0, nKultur).map(({ k }) => ({ type: 'kulturskola', k }))
  const others: ProviderType[] = ['gymnasium_estetiska', 'folkhogskola', 'studieforbund', 'yh', 'hogskola', 'other']
  const otherWeights = [0.35, 0.25, 0.15, 0.10, 0.08, 0.07]
  const uni = w.kommuner.filter((k) => UNIVERSITY_TOWNS.includes(k.code))
  const uniTable = new WeightedTable(uni.map((k) => k.index), uni.map((k) => Math.sqrt(k.population)))
  const popTable = new WeightedTable(w.kommuner.map((k) => k.index), w.kommuner.map((k) => Math.pow(k.population, 0.8)))
  while (plan.length < n) {
    const type = rng.weighted(others, otherWeights)
    const k = w.kommuner[(type === 'hogskola' ? uniTable : popTable).pick(rng)]
    plan.push({ type, k })
  }
  const used = new Set<string>()
  let programmes = 0
  plan.forEach(({ type, k }, j) => {
    const r = Rng.of(seed, 42, j)
    let provider = type === 'studieforbund' ? `Demo studieförbund, avdelning ${k.name}` : `Demo ${PROVIDER_LABEL[type]} i ${k.name}`
    while (used.has(provider)) provider = `Demo ${PROVIDER_LABEL[type]} ${placeWord(r)} i ${k.name}`
    used.add(provider)
    const place = makePlace(r, k, false)
    const url = `https://${slug(provider)}.example/`
    const list = PROGRAMMES[type]
    const count = Math.min(list.length, r.int(1, 4))
    const chosen = new Set<number>()
    while (chosen.size < count) chosen.add(r.int(0, list.length - 1))
    const [minP, maxP] = PLACES[type]
    for (const pi of [...chosen].sort((a, b) => a - b)) {
      const [programme, code] = list[pi]
      const start = type === 'yh' ? lastYear - r.int(0, 4) : type === 'kulturskola' ? r.int(1960, 2015) : r.int(1975, lastYear)
      const places = r.skewedInt(minP, maxP, 1.7)
      // applicants where admissions are counted (MYH for YH, UHR for högskolor, the schools themselves): own stream, so
      // the rest of the register stays as it was
      const a = Rng.of(seed, 43, j, pi)
      const applicants = ['yh', 'hogskola', 'folkhogskola'].includes(type) ? Math.round(places * (0.8 + a.float() * 5)) : ''
      ew.line([
        csvField(provider), type, csvField(programme), code, places, k.code, csvField(place.street), place.postcode ?? '',
        csvField(place.city), decimalComma(place.lat, 6), decimalComma(place.lon, 6), start, url, applicants,
      ].join(';'))
      programmes++
    }
  })
  return { providers: plan.length, programmes }
}
