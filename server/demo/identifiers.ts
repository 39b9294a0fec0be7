// Synthetic identifiers of the demo register: organisation numbers of legal persons and personal identity numbers of
// sole traders (that cannot be anyone's), and the day numbers dates are computed in.
import { luhnCheckDigit as validatorCheckDigit, luhnValid } from '../ingest/validate.js'

/** The Luhn check digit of a 9-digit prefix, as a number. The rule itself is the importer's (ingest/validate.ts). */
export const luhnCheckDigit = (nine: string): number => Number(validatorCheckDigit(nine))

export const isLuhnValid = (ten: string): boolean => /^\d{10}$/.test(ten) && luhnValid(ten)

/**
 * A sole trader's number is written with the birth day + 31 (day 32–59, birth days 1–28): a personnummer has the birth
 * day (01–31), a samordningsnummer the birth day + 60 (61–91), so no number with day 32–59 has ever been issued to
 * anyone, in any century. That holds in the 10-digit form too, which has lost the century (a made-up birth date that is
 * impossible in one century — born 1820 — is a living child's in the next: 2020). Month 01–12 and the Luhn digit
 * still make the importer read the number as a personal identity number, as it must.
 */
export const DEMO_DAY_OFFSET = 31
export const DEMO_BIRTH_DAYS = 28

export const DAY_MS = 86_400_000
export const dayOf = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / DAY_MS
const dateCache = new Map<number, string>()
/** YYYY-MM-DD for a day number (days since 1970-01-01). */
export function isoDate (day: number): string {
  let s = dateCache.get(day)
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10)
    dateCache.set(day, s)
  }
  return s
}

/** Orgnr prefixes per legal form: AB 55…, ekonomisk förening 76…, ideell förening 80…, HB/KB 96… */
const ORGNR_PREFIX: Record<string, string> = { 49: '55', 51: '76', 61: '80', 31: '96' }

/** Sole traders' numbers: birth month (60 years of them) × birth day 1–28 × serial 001–999. */
export const PERSON_SPACE = 60 * 12 * DEMO_BIRTH_DAYS * 999
/** Legal persons' numbers: 8 M per prefix. */
export const ORG_SPACE = 8_000_000

export interface Identity {
  /** the 10-digit number of the CSV and the database */
  orgnr: string
  /** SCB bulk PeOrgNr: "16" + orgnr for legal persons, century + personal identity number for sole traders */
  peOrgNr: string
}

/** The sole trader with permuted index p (0 ≤ p < PERSON_SPACE), born in `birthFirstYear` or up to 59 years later. */
export function soleTraderIdentity (p: number, birthFirstYear: number): Identity & { birth: number } {
  const serial = String((p % 999) + 1).padStart(3, '0')
  const day = Math.floor(p / 999) % DEMO_BIRTH_DAYS + 1
  const month = Math.floor(p / (999 * DEMO_BIRTH_DAYS))
  const year = birthFirstYear + Math.floor(month / 12)
  const birth = dayOf(year, month % 12 + 1, day)
  const iso = isoDate(birth)
  const nine = iso.slice(2, 4) + iso.slice(5, 7) + String(day + DEMO_DAY_OFFSET) + serial
  const orgnr = nine + luhnCheckDigit(nine)
  return { orgnr, peOrgNr: (iso.startsWith('19') ? '19' : '20') + orgnr, birth }
}

/** The legal person with permuted index k (0 ≤ k < ORG_SPACE) of a legal form other than 10. */
export function legalPersonIdentity (legalForm: string, k: number): Identity {
  const nine = ORGNR_PREFIX[legalForm] + String(2_000_000 + k)
  const orgnr = nine + luhnCheckDigit(nine)
  return { orgnr, peOrgNr: '16' + orgnr }
}
