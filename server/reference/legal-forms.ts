// SCB legal forms (JurForm) of natural persons: 10 "Fysiska personer". Their organisation number is a personal identity
// number. Seeds legal_form.natural_person; the sole-trader rule (ingest/sole-trader.ts) reads it too.
export const NATURAL_PERSON_LEGAL_FORMS: ReadonlySet<string> = new Set(['10'])
