// Configuration from the environment, validated once at start-up.
import path from 'node:path'
import type { LogFormat } from './logging.js'
import { ROOT } from './paths.js'
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './ingest/limits.js'
import { PRODUCT_DEMO } from './demo/density.js'

export interface Config {
  port: number
  host: string
  databaseUrl?: string
  dataDir: string
  seedDemo: boolean
  /** the demo seeded on first start: a national sample of DEMO_COMPANIES plus the län of DEMO_FULL_DENSITY_LAN (`none`:
   *  no län) at full register density; defaults: PRODUCT_DEMO in server/demo/density.ts (100 000 + Kalmar län) */
  demo: { companiesPerYear: number; fullDensityLan: string[] }
  adminToken?: string
  logLevel: string
  /** `text`: one short line per event (default); `json`: pino's JSON lines */
  logFormat: LogFormat
  suppressMinCompanies: number
  suppressDominance: number
  statementTimeoutMs: number
  /** a socket with no traffic for this long is cut off when the client is the one stalling (see http/stalled-sockets.ts) */
  idleTimeoutMs: number
  /** an export whose client reads nothing for this long is cut off */
  exportStallMs: number
  /** concurrent exports per client (IP for the public role, the token otherwise) */
  exportsPerClient: number
  /** readiness waits this long for a trivial query before answering 503 busy */
  healthTimeoutMs: number
  maxUploadBytes: number
  /** bounds on one import (see server/ingest/limits.ts) */
  importLimits: ImportLimits
  rateLimitPerMinute: number
  tileRateLimitPerMinute: number
  authFailuresPerHour: number
  corsOrigin: string | false
  /** how long a browser session lasts after sign-in (SESSION_TTL: seconds, or with a unit: 30m, 8h, 7d) */
  sessionTtlMs: number
  /** behind a reverse proxy: trust X-Forwarded-For/-Proto/-Host (TRUST_PROXY=true, a hop count, or addresses) */
  trustProxy: boolean | number | string
  basemapStyleUrl?: string
  /** promoters' notes older than this many days are deleted (NOTES_RETENTION_DAYS; checked at start and hourly) */
  notesRetentionDays: number
  /** the register's change log (company_change, what changed in a segment) is pruned of the imports finished more than
   *  this many days ago (CHANGE_LOG_RETENTION_DAYS; checked at start and hourly); older changes can no longer be asked for */
  changeLogRetentionDays: number
  /** a firm's page in the public register, `{orgnr}` = its 10 digits (REGISTER_URL; the CRM export's link column) */
  registerUrl: string
  /** who may put /embed in an iframe (EMBED_ORIGINS: origins separated by spaces or commas, `*` = any site, `none`);
   *  the CSP frame-ancestors of /embed only, every other page stays framing-protected */
  embedOrigins: string[]
}

const MB = 1024 * 1024

function num (name: string, def: number, min: number, max: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return def
  const v = Number(raw)
  if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name} must be a number between ${min} and ${max}, got "${raw}"`)
  return v
}

/** A duration: seconds, or a number with s, m, h or d. */
function duration (name: string, raw: string | undefined, def: number): number {
  if (raw === undefined || raw === '') return def
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/.exec(raw.trim())
  const ms = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 's'] : NaN
  if (!(ms >= 1000 && ms <= 365 * 86_400_000)) throw new Error(`${name} must be a duration between 1 s and 365 d (e.g. 3600, 30m, 8h), got "${raw}"`)
  return ms
}

function trustProxy (raw: string | undefined): boolean | number | string {
  if (!raw || ['false', '0', 'no'].includes(raw.toLowerCase())) return false
  if (['true', 'yes'].includes(raw.toLowerCase())) return true
  return /^\d+$/.test(raw) ? Number(raw) : raw
}

/**
 * A firm's page in the public register (the CRM export's link column): Bolagsverket's free e-service "Sök
 * företagsinformation", addressed by organisation number. REGISTER_URL overrides it; `{orgnr}` is the 10 digits.
 */
export const DEFAULT_REGISTER_URL = 'https://foretagsinfo.bolagsverket.se/sok-foretagsinformation-web/foretag/{orgnr}'

/** The figures are public, so any site may embed them unless EMBED_ORIGINS narrows it. */
function embedOrigins (raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return ['*']
  const list = raw.split(/[\s,]+/).filter(Boolean)
  if (list.length === 1 && list[0] === 'none') return []
  for (const o of list) {
    if (o !== '*' && !/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(o) && !/^https?:\/\/\*\.[a-z0-9.-]+$/i.test(o)) {
      throw new Error(`EMBED_ORIGINS must list origins such as https://example.org (or *, or none), got "${o}"`)
    }
  }
  return list
}

function lanList (raw: string | undefined): string[] {
  if (raw === undefined || raw === '') return [...PRODUCT_DEMO.fullDensityLan]
  if (raw.toLowerCase() === 'none') return []
  const codes = raw.split(/[\s,]+/).filter(Boolean)
  if (!codes.every((c) => /^\d{2}$/.test(c))) throw new Error(`DEMO_FULL_DENSITY_LAN must be län codes (e.g. 08 or 08,12) or none, got "${raw}"`)
  return codes
}

function registerUrl (raw: string | undefined): string {
  if (!raw) return DEFAULT_REGISTER_URL
  if (!/^https?:\/\/[^\s]+$/.test(raw) || !raw.includes('{orgnr}')) throw new Error(`REGISTER_URL must be an http(s) URL containing {orgnr}, got "${raw}"`)
  return raw
}

export function loadConfig (env = process.env): Config {
  const dataDir = path.resolve(ROOT, env.DATA_DIR || '.data')
  const adminToken = env.ADMIN_TOKEN || undefined
  if (adminToken && adminToken.length < 16) throw new Error('ADMIN_TOKEN must be at least 16 characters')
  const logFormat = (env.LOG_FORMAT || 'text').toLowerCase()
  if (logFormat !== 'text' && logFormat !== 'json') throw new Error(`LOG_FORMAT must be text or json, got "${env.LOG_FORMAT}"`)
  return {
    port: num('PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    seedDemo: !['false', '0', 'no'].includes((env.SEED_DEMO || 'true').toLowerCase()),
    demo: { companiesPerYear: num('DEMO_COMPANIES', PRODUCT_DEMO.companiesPerYear, 1000, 2_000_000), fullDensityLan: lanList(env.DEMO_FULL_DENSITY_LAN) },
    adminToken,
    logLevel: env.LOG_LEVEL || 'info',
    logFormat,
    suppressMinCompanies: num('SUPPRESS_MIN_COMPANIES', 3, 1, 1000),
    suppressDominance: num('SUPPRESS_DOMINANCE', 0.85, 0.01, 1),
    statementTimeoutMs: num('STATEMENT_TIMEOUT_MS', 15000, 100, 3_600_000),
    idleTimeoutMs: num('IDLE_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    exportStallMs: num('EXPORT_STALL_MS', 30_000, 500, 3_600_000),
    exportsPerClient: num('EXPORTS_PER_CLIENT', 2, 1, 1000),
    healthTimeoutMs: num('HEALTH_TIMEOUT_MS', 2000, 100, 60_000),
    maxUploadBytes: num('MAX_UPLOAD_MB', 2048, 1, 65536) * 1024 * 1024,
    importLimits: {
      maxUncompressedBytes: num('IMPORT_MAX_UNCOMPRESSED_MB', DEFAULT_IMPORT_LIMITS.maxUncompressedBytes / MB, 1, 1_048_576) * MB,
      maxLineChars: num('IMPORT_MAX_LINE_KB', DEFAULT_IMPORT_LIMITS.maxLineChars / 1024, 1, 1_048_576) * 1024,
      maxFieldChars: num('IMPORT_MAX_FIELD_CHARS', DEFAULT_IMPORT_LIMITS.maxFieldChars, 100, 100_000_000),
      maxRows: num('IMPORT_MAX_ROWS', DEFAULT_IMPORT_LIMITS.maxRows, 1, 1_000_000_000),
      maxReportBytes: num('IMPORT_MAX_REPORT_MB', DEFAULT_IMPORT_LIMITS.maxReportBytes / MB, 1, 1_048_576) * MB,
    },
    rateLimitPerMinute: num('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    tileRateLimitPerMinute: num('TILE_RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000),
    authFailuresPerHour: num('AUTH_FAILURES_PER_HOUR', 30, 1, 1_000_000),
    corsOrigin: env.CORS_ORIGIN ? env.CORS_ORIGIN : false,
    sessionTtlMs: duration('SESSION_TTL', env.SESSION_TTL, 8 * 3600_000),
    trustProxy: trustProxy(env.TRUST_PROXY),
    basemapStyleUrl: env.BASEMAP_STYLE_URL || undefined,
    notesRetentionDays: num('NOTES_RETENTION_DAYS', 730, 1, 36_500),
    changeLogRetentionDays: num('CHANGE_LOG_RETENTION_DAYS', 400, 1, 36_500),
    registerUrl: registerUrl(env.REGISTER_URL),
    embedOrigins: embedOrigins(env.EMBED_ORIGINS),
  }
}
