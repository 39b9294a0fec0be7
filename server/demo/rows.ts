// The register's file rows: the project CSV (';', decimal comma) and SCB's bulk layout (TAB, Latin-1), their headers,
// and the extra workplaces planned for a company.
import { sizeClassFor } from '../reference/size-classes.js'
import type { Rng } from './random.js'
import { csvField, decimalComma } from './writer.js'
import { isoDate } from './identifiers.js'
import type { Company } from './companies.js'
import type { World } from './world.js'

export const COMPANIES_CSV_HEADER = 'orgnr;name;legal_form;sni1;sni2;sni3;sni4;sni5;sni_version;kommun;street;postcode;city;employees;size_class;turnover_ksek;value_added_ksek;registered;deregistered;active;marketing_optout;lat;lon'
export const WORKPLACES_CSV_HEADER = 'workplace_id;orgnr;name;sni1;sni2;sni3;sni4;sni5;sni_version;kommun;street;postcode;city;employees;size_class;lat;lon;active'
export const EDUCATION_CSV_HEADER = 'provider;provider_type;programme;sun_code;places;kommun;street;postcode;city;lat;lon;start_year;url;applicants'
/**
 * The 34 columns of SCB's bulk file, in the order we write them: the 18 data columns named in
 * shared/research/source-formats.md §1, then one mask column per masked data column (m + name),
 * in the same order. The real file's column order is not documented in our sources.
 */
export const SCB_BULK_COLUMNS = [
  'PeOrgNr', 'Namn', 'Foretagsnamn', 'FtgStat', 'JEStat', 'JurForm', 'COAdress', 'Gatuadress', 'PostNr', 'PostOrt',
  'Ng1', 'Ng2', 'Ng3', 'Ng4', 'Ng5', 'RegDatKtid', 'Reklamsparrtyp', 'ForAndrTyp',
  'mNamn', 'mForetagsnamn', 'mFtgStat', 'mJEStat', 'mJurForm', 'mCOAdress', 'mGatuadress', 'mPostNr', 'mPostOrt',
  'mNg1', 'mNg2', 'mNg3', 'mNg4', 'mNg5', 'mRegDatKtid', 'mReklamsparrtyp',
] as const

export function scbBulkFileName (year: number): string { return `scb_bulkfil_JE_${year}0601T065839_76.txt` }

export function sniSlots (sni: string[]): string {
  return `${sni[0] ?? ''};${sni[1] ?? ''};${sni[2] ?? ''};${sni[3] ?? ''};${sni[4] ?? ''}`
}

export function companyCsv (c: Company, sni: string[], version: string): string {
  const p = c.place
  return [
    c.orgnr, csvField(c.name), c.legalForm, sniSlots(sni), version, p.kommun.code,
    csvField(p.street), p.postcode ?? '', csvField(p.city),
    c.exactEmployees ? String(c.employees) : '', sizeClassFor(c.employees),
    c.turnover ?? '', c.valueAdded ?? '', isoDate(c.registered), c.deregistered === null ? '' : isoDate(c.deregistered),
    c.active ? '1' : '0', c.optOut ? '1' : '0', decimalComma(p.lat, 6), decimalComma(p.lon, 6),
  ].join(';')
}

const TAB_SAFE = /[\t\r\n]/g
const bulkText = (s: string | null): string => (s === null ? '' : s.replace(TAB_SAFE, ' '))

export function companyBulk (c: Company, sni: string[]): string {
  const p = c.place
  const namn = c.foretagsnamn ? c.personName! : c.name
  const m = c.protectedAddress ? '1' : ''
  const reg = isoDate(c.registered).replace(/-/g, '')
  const stat = c.active ? '1' : '9'
  return [
    c.peOrgNr, bulkText(namn), c.foretagsnamn ? bulkText(c.name) : '', stat, stat, c.legalForm,
    bulkText(c.coAddress), bulkText(p.street), p.postcode ?? '', p.city === null ? '' : bulkText(p.city.toUpperCase()),
    sni[0] ?? '', sni[1] ?? '', sni[2] ?? '', sni[3] ?? '', sni[4] ?? '', reg, c.optOut ? '2' : '1', '',
    // masks: mNamn … mReklamsparrtyp; only the address of a protected sole trader is masked
    '', '', '', '', '', '', m, m, m, '', '', '', '', '', '', '',
  ].join('\t')
}

export interface WorkplacePlan { extra: number; kommuner: number[]; fractions: number[]; useSecondary: boolean[] }

/** Extra workplaces are a stable property of the company (same CFAR numbers and places in both years). */
export function planWorkplaces (rng: Rng, w: World, c: Company): WorkplacePlan {
  const plan: WorkplacePlan = { extra: 0, kommuner: [], fractions: [], useSecondary: [] }
  if (!rng.chance(0.05)) return plan
  plan.extra = rng.int(1, 5)
  for (let j = 0; j < plan.extra; j++) {
    let k = c.place.kommun.index
    for (let t = 0; t < 8 && k === c.place.kommun.index; t++) k = c.place.kommun.nearby.pick(rng)
    plan.kommuner.push(k)
    plan.fractions.push(0.04 + 0.16 * rng.float())
    plan.useSecondary.push(rng.chance(0.15))
  }
  return plan
}
