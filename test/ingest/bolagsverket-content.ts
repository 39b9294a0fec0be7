// Bolagsverket bulk-file content in its published layout (real-formats.md): unquoted header, every value quoted,
// inner quotes not doubled.
export const BV_HEADER = 'organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress'

/** A row as the file writes it: every value in quotes, nothing inside escaped. */
export const bvRow = (...fields: string[]): string => fields.map((f) => `"${f}"`).join(';')
