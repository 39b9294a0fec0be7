// The filter panel's choices for size class and legal form, built from the API's reference lists
// (/api/reference/size-classes, /api/reference/legal-forms) rather than copied from the server's tables.
import type { LegalForm, SizeClass } from '../api/types'
import type { Lang } from '../state/fields'

/** One checkbox of a multi-select filter: the codes it stands for and its label in each language. */
export interface Choice { codes: string[]; label: Record<Lang, string> }

/** From this many employees up the size classes are one choice: the map's users ask "large or not", not "which large". */
export const LARGE_FROM = 100

const employees = { sv: 'anställda', en: 'employees' }
const range = (min: number, max: number | null, lang: Lang) =>
  max === null ? `${min}+ ${employees[lang]}` : min === max ? `${min} ${employees[lang]}` : `${min}–${max} ${employees[lang]}`

/** One choice per size class below LARGE_FROM employees, and one for all classes from there up. */
export function sizeChoices (classes: SizeClass[]): Choice[] {
  const sorted = classes.slice().sort((a, b) => a.min - b.min)
  const small = sorted.filter((c) => c.min < LARGE_FROM)
  const large = sorted.filter((c) => c.min >= LARGE_FROM)
  const out: Choice[] = small.map((c) => ({ codes: [c.code], label: { sv: range(c.min, c.max, 'sv'), en: range(c.min, c.max, 'en') } }))
  if (large.length) {
    const label = { sv: `${LARGE_FROM} anställda eller fler`, en: `${LARGE_FROM} employees or more` }
    out.push({ codes: large.map((c) => c.code), label })
  }
  return out
}

/** The legal forms the filter offers, by everyday name: the common forms of a cultural business, and two families
 * (foundations, the public sector) as one choice each. Codes the server's list does not hold are left out. */
const LEGAL_CHOICES: Choice[] = [
  { codes: ['10'], label: { sv: 'Enskild näringsidkare', en: 'Sole trader' } },
  { codes: ['31'], label: { sv: 'Handelsbolag, kommanditbolag', en: 'Partnership' } },
  { codes: ['49'], label: { sv: 'Aktiebolag', en: 'Limited company' } },
  { codes: ['51'], label: { sv: 'Ekonomisk förening', en: 'Economic association' } },
  { codes: ['61'], label: { sv: 'Ideell förening', en: 'Non-profit association' } },
  { codes: ['71', '72'], label: { sv: 'Stiftelse', en: 'Foundation' } },
  { codes: ['81', '82', '83', '84', '87', '89'], label: { sv: 'Offentlig sektor', en: 'Public sector' } },
]

export function legalChoices (forms: LegalForm[]): Choice[] {
  const known = new Set(forms.map((f) => f.code))
  return LEGAL_CHOICES.map((c) => ({ ...c, codes: c.codes.filter((x) => known.has(x)) })).filter((c) => c.codes.length)
}

/** A legal form's name in the actor table: the filter's everyday name, else the official (Swedish) title, else the code. */
export function legalFormName (code: string, choices: Choice[], forms: LegalForm[], lang: Lang): string {
  return choices.find((c) => c.codes.includes(code))?.label[lang] ?? forms.find((f) => f.code === code)?.title ?? code
}
