// Bounds on what one import may cost (issue #14, "import bombs"): a file is refused, or a row rejected, with a message
// that names the line and the setting, long before memory, CPU or disk run out. Configured in server/config.ts.

export interface ImportLimits {
  /** uncompressed bytes of a zip entry (a 1 MB zip can hold 1 GiB) */
  maxUncompressedBytes: number
  /** characters of one physical line (CSV, TSV, NDJSON) or one JSON object; a longer one is a rejected row */
  maxLineChars: number
  /** characters of one value; a longer one rejects its row */
  maxFieldChars: number
  /** rows read from one file; more fails the import */
  maxRows: number
  /** bytes of the rejected-rows report; past it, rejections are still counted but no longer recorded */
  maxReportBytes: number
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxUncompressedBytes: 8192 * 1024 * 1024,
  maxLineChars: 1024 * 1024,
  maxFieldChars: 10_000,
  maxRows: 10_000_000,
  maxReportBytes: 100 * 1024 * 1024,
}

/** The environment variable behind each limit, named in every message a limit produces. */
export const LIMIT_SETTING: Record<keyof ImportLimits, string> = {
  maxUncompressedBytes: 'IMPORT_MAX_UNCOMPRESSED_MB',
  maxLineChars: 'IMPORT_MAX_LINE_KB',
  maxFieldChars: 'IMPORT_MAX_FIELD_CHARS',
  maxRows: 'IMPORT_MAX_ROWS',
  maxReportBytes: 'IMPORT_MAX_REPORT_MB',
}

/**
 * Names and keys are indexed with a B-tree (company name search, a workplace's id, a provider's unique key), whose
 * rows hold at most 2 704 bytes: a longer value fails the whole transaction ("index row size … exceeds btree maximum").
 * 500 characters (≤ 2 000 bytes of UTF-8) leaves room and is far above any real name. Not configurable: the index decides.
 */
export const MAX_NAME_CHARS = 500
export const MAX_KEY_CHARS = 100

export function withDefaults (l?: Partial<ImportLimits>): ImportLimits {
  return { ...DEFAULT_IMPORT_LIMITS, ...l }
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`
export const describeLimit = {
  uncompressed: (l: ImportLimits) => `${mb(l.maxUncompressedBytes)} (${LIMIT_SETTING.maxUncompressedBytes})`,
  line: (l: ImportLimits) => `${l.maxLineChars} characters (${LIMIT_SETTING.maxLineChars})`,
  field: (l: ImportLimits) => `${l.maxFieldChars} characters (${LIMIT_SETTING.maxFieldChars})`,
  rows: (l: ImportLimits) => `${l.maxRows} rows (${LIMIT_SETTING.maxRows})`,
  report: (l: ImportLimits) => `${mb(l.maxReportBytes)} (${LIMIT_SETTING.maxReportBytes})`,
}
