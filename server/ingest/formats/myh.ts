// MYH (Myndigheten för yrkeshögskolan) "Resultat för program", read directly from the published Excel file (XLSX):
// title rows above the header, one row per application (Tabell 3) or per application and kommun (Tabell 4), with its
// decision in `Beslut`. Only a granted application is a programme (the supply); every application is kept with its
// decision (education_application). "Flera kommuner" is a programme without a single kommun, not an error.
// Header texts beyond `Utbildningsanordnare administrativ enhet`, `Utbildningsområde`, `Beslut`, `Sökta platser totalt`
// and `Beviljade platser totalt` are assumed (shared/research/real-formats.md): matched loosely, by several spellings.
import ExcelJS from 'exceljs'
import type { EducationApplication, EducationRecord, ParsedRow, Parser } from '../types.js'
import { Invalid, clip, nameTooLong, normaliseKey, normaliseKommun, parseNumber, placeLocation } from '../validate.js'
import { BATCH_SIZE, limitsOf, rejection } from './common.js'

/** the header is looked for in the first rows of each sheet (title rows, notes) */
const HEADER_SEARCH_ROWS = 40

const COLUMNS: Record<string, string[]> = {
  provider: ['Utbildningsanordnare administrativ enhet', 'Utbildningsanordnare', 'Anordnare', 'Utbildningsanordnare (administrativ enhet)'],
  programme: ['Utbildningsnamn', 'Utbildningens namn', 'Utbildning', 'Programnamn', 'Program'],
  decision: ['Beslut'],
  area: ['Utbildningsområde'],
  applied: ['Sökta platser totalt', 'Sökta platser', 'Antal sökta platser'],
  granted: ['Beviljade platser totalt', 'Beviljade platser', 'Antal beviljade platser'],
  kommun: ['Kommun', 'Kommuner', 'Studieort', 'Studieort kommun', 'Kommun (studieort)'],
  reference: ['Diarienummer', 'Dnr', 'Ärendenummer'],
  sun: ['SUN-inriktning', 'SUN inriktning', 'SUN-kod', 'SUN'],
  round: ['Ansökningsomgång', 'Omgång', 'Ansökningsår'],
}
const INDEX = new Map<string, string>()
for (const [key, names] of Object.entries(COLUMNS)) for (const n of names) INDEX.set(normaliseKey(n), key)

const MULTIPLE_KOMMUNER = new Set(['fleraKommuner', 'flerakommuner', 'flera', 'distans', 'flerakommunerdistans'].map(normaliseKey))

/** `Beslut` → granted / rejected / other; the text as written is kept beside it */
export function parseDecision (raw: string): EducationApplication['decision'] {
  const k = normaliseKey(raw)
  if (k.startsWith('ejbeviljad') || k.startsWith('avslag') || k.startsWith('avslagen') || k.startsWith('avslogs')) return 'rejected'
  if (k.startsWith('beviljad') || k.startsWith('bifall') || k.startsWith('beviljat')) return 'granted'
  // a partial grant ("Delvis beviljad": fewer places than applied for) is still a programme; only the three texts
  // above are evidenced (real-formats.md), the rest is tolerance
  if (k.startsWith('delvisbeviljad') || k.startsWith('delvisbifall')) return 'granted'
  return 'other'
}

/** An ExcelJS cell value as text: rich text joined, a formula's result, hyperlinks' text, numbers as written. */
function cellText (v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v.trim()
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim()
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue)
    if ('text' in v) return cellText(v.text as ExcelJS.CellValue)
    if ('error' in v) return ''
  }
  return String(v).trim()
}

interface Found { sheet: ExcelJS.Worksheet; headerRow: number; col: Map<string, number>; labels: Map<string, string> }

function findHeader (wb: ExcelJS.Workbook): Found | null {
  for (const sheet of wb.worksheets) {
    const last = Math.min(sheet.rowCount, HEADER_SEARCH_ROWS)
    for (let r = 1; r <= last; r++) {
      const row = sheet.getRow(r)
      const col = new Map<string, number>()
      const labels = new Map<string, string>()
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const text = cellText(cell.value)
        const key = INDEX.get(normaliseKey(text))
        if (key !== undefined && !col.has(key)) { col.set(key, c); labels.set(key, text) }
      })
      if (col.has('provider') && col.has('decision')) return { sheet, headerRow: r, col, labels }
    }
  }
  return null
}

export const myhResults: Parser<EducationRecord> = async function * (input, ctx) {
  const { file, ref } = ctx
  const limits = limitsOf(ctx)
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.read(input)
  } catch (e) {
    throw new Error(`${file}: not an Excel (XLSX) file (${(e as Error).message}); expected MYH's "Resultat för program" (myh)`, { cause: e })
  }
  // a zip that is not a workbook (e.g. a zipped register file) reads as a workbook without sheets
  if (wb.worksheets.length === 0) throw new Error(`${file}: not an Excel (XLSX) file (no worksheets); expected MYH's "Resultat för program" (myh)`)
  const found = findHeader(wb)
  if (found === null) {
    throw new Error(`${file}: no header with the columns "Utbildningsanordnare administrativ enhet" and "Beslut" in the first ${HEADER_SEARCH_ROWS} rows ` +
      `of any sheet (is this MYH's "Resultat för program"? sheets: ${wb.worksheets.map((s) => s.name).join(', ')})`)
  }
  const { sheet, headerRow, col, labels } = found
  const label = (k: string) => labels.get(k) ?? k
  let batch: ParsedRow<EducationRecord>[] = []
  const rows = sheet.rowCount
  if (rows - headerRow > limits.maxRows) throw new Error(`${file}: ${rows - headerRow} rows, more than the import's limit of ${limits.maxRows}`)
  for (let r = headerRow + 1; r <= rows; r++) {
    const row = sheet.getRow(r)
    const get = (k: string): string => { const c = col.get(k); return c === undefined ? '' : cellText(row.getCell(c).value) }
    const values = [...col.keys()].map(get)
    if (values.every((v) => v === '')) continue // blank rows, and notes below the table have no provider nor decision
    const row1 = build(r, get)
    // a note or sum row below the table ("Totalt", a source line) has neither a provider nor a decision: skipped
    if (row1 === null) continue
    batch.push(row1)
    if (batch.length >= BATCH_SIZE) { yield batch; batch = [] }
  }
  if (batch.length > 0) yield batch

  function build (line: number, get: (k: string) => string): ParsedRow<EducationRecord> | null {
    const provider = get('provider')
    const decisionText = get('decision')
    if (provider === '' && decisionText === '') return null
    if (provider === '') return rejection(file, line, label('provider'), null, 'provider (utbildningsanordnare) is empty')
    const long = nameTooLong(provider)
    if (long !== null) return rejection(file, line, label('provider'), clip(provider), long.reason)
    if (decisionText === '') return rejection(file, line, label('decision'), null, 'the decision (Beslut) is empty')
    const decision = parseDecision(decisionText)
    const num = (k: string, what: string): number | null | Invalid => {
      const raw = get(k).replace(/\s/g, '')
      return raw === '' || raw === '-' ? null : parseNumber(raw, { min: 0, max: 100_000, integer: true, label: what })
    }
    const applied = num('applied', 'places applied for')
    if (applied instanceof Invalid) return rejection(file, line, label('applied'), get('applied'), applied.reason)
    const granted = num('granted', 'places granted')
    if (granted instanceof Invalid) return rejection(file, line, label('granted'), get('granted'), granted.reason)
    const kommunRaw = get('kommun')
    let kommun: string | null = null
    if (kommunRaw !== '' && !MULTIPLE_KOMMUNER.has(normaliseKey(kommunRaw))) {
      const k = normaliseKommun(kommunRaw.replace(/ kommun$/i, ''), ref)
      if (k instanceof Invalid) return rejection(file, line, label('kommun'), kommunRaw, `${k.reason} (a programme in several kommuner is "Flera kommuner")`)
      kommun = k
    }
    const sunRaw = get('sun').replace(/[\s.]/g, '').toLowerCase()
    // MYH's SUN texts may carry the name after the code ("214a Grafisk design"): the code is the first word
    const sunCode = sunRaw === '' ? null : (ref.sunCodes.has(sunRaw) ? sunRaw : null)
    const year = /\b(19|20)\d{2}\b/.exec(get('round'))
    const place = placeLocation(kommun, null, null, false, ref)
    const programme = get('programme')
    return {
      ok: true,
      record: {
        line,
        provider,
        providerType: 'yh',
        programme: programme === '' ? null : programme,
        sunCode,
        places: decision === 'granted' ? granted : null,
        // MYH's 'Sökta platser' are places the provider applied for, not applicants (sökande)
        applicants: null,
        kommunCode: place.kommunCode,
        placement: place.placement,
        locationPrecision: place.locationPrecision,
        street: null,
        postcode: null,
        city: null,
        lon: null,
        lat: null,
        startYear: year ? Number(year[0]) : null,
        url: null,
        application: {
          reference: get('reference') || null,
          area: get('area') || null,
          decision,
          decisionText,
          placesApplied: applied,
          placesGranted: granted,
        },
      },
    }
  }
}
