// Sync settings from the environment, overridable by command-line flags (scripts/sync.ts). Defaults are the
// published URLs (../shared/research/real-formats.md) and the AFR conventions seen in real calls; the AFR list paths
// are assumptions (no specification could be read offline) and are settings for that reason.
import type { SyncOptions, SyncSource } from './run.js'
import { SYNC_SOURCES } from './run.js'

export const DEFAULTS = {
  scbUrl: 'https://vardefulla-datamangder.bolagsverket.se/scb/scb_bulkfil.zip',
  bolagsverketUrl: 'https://vardefulla-datamangder.bolagsverket.se/bolagsverket/bolagsverket_bulkfil.zip',
  afrBaseUrl: 'https://apiafr.scb.se/v1',
  afrCompaniesPath: '/juridiskaenheter/naringsgren/{sni}',
  afrWorkplacesPath: '/arbetsstallen/naringsgren/{sni}',
  afrInfoPath: '/api-info',
  afrLimit: 5000,
  afrRequestsPerSecond: 2,
  maxRetries: 8,
}

export type SyncFlags = Partial<Record<'only' | 'year' | 'scb-url' | 'bolagsverket-url' | 'afr-base-url' | 'afr-companies-path' |
  'afr-workplaces-path' | 'afr-sni' | 'afr-limit' | 'afr-rate' | 'max-retries' | 'statistics-file', string>>

function number (name: string, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return def
  const v = Number(raw)
  if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name} must be a number between ${min} and ${max}, got "${raw}"`)
  return v
}

/** An empty setting turns a path off ("" = do not fetch this kind). */
function path (raw: string | undefined, def: string): string | null {
  if (raw === undefined) return def
  return raw.trim() === '' ? null : raw.trim()
}

export function syncOptions (dataDir: string, env: NodeJS.ProcessEnv, flags: SyncFlags): SyncOptions {
  const only = (flags.only ?? env.SYNC_SOURCES ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  const bad = only.filter((s) => !SYNC_SOURCES.includes(s as SyncSource))
  if (bad.length) throw new Error(`unknown sync source ${bad.join(', ')} (use ${SYNC_SOURCES.join(', ')})`)
  const yearRaw = flags.year ?? env.SYNC_YEAR
  const sniRaw = flags['afr-sni'] ?? env.AFR_SNI
  const sni = sniRaw ? sniRaw.split(',').map((s) => s.trim().replace(/\./g, '')).filter(Boolean) : null
  if (sni?.some((c) => !/^\d{5}$/.test(c))) throw new Error(`AFR_SNI must be five-digit SNI 2025 codes separated by commas, got "${sniRaw}"`)
  return {
    dataDir,
    sources: only.length ? only as SyncSource[] : SYNC_SOURCES,
    year: yearRaw ? number('--year', yearRaw, 0, 1990, 2100) : undefined,
    scbUrl: flags['scb-url'] ?? env.SYNC_SCB_URL ?? DEFAULTS.scbUrl,
    bolagsverketUrl: flags['bolagsverket-url'] ?? env.SYNC_BOLAGSVERKET_URL ?? DEFAULTS.bolagsverketUrl,
    afr: {
      baseUrl: flags['afr-base-url'] ?? env.AFR_BASE_URL ?? DEFAULTS.afrBaseUrl,
      key: env.SCB_API_KEY || null,
      paths: {
        companies: path(flags['afr-companies-path'] ?? env.AFR_COMPANIES_PATH, DEFAULTS.afrCompaniesPath),
        workplaces: path(flags['afr-workplaces-path'] ?? env.AFR_WORKPLACES_PATH, DEFAULTS.afrWorkplacesPath),
      },
      sni,
      limit: number('AFR_LIMIT', flags['afr-limit'] ?? env.AFR_LIMIT, DEFAULTS.afrLimit, 1, 5000),
      requestsPerSecond: number('AFR_REQUESTS_PER_SECOND', flags['afr-rate'] ?? env.AFR_REQUESTS_PER_SECOND,
        DEFAULTS.afrRequestsPerSecond, 0, 1000),
      infoPath: path(env.AFR_INFO_PATH, DEFAULTS.afrInfoPath),
    },
    statisticsFile: flags['statistics-file'] ?? env.SYNC_STATISTICS_FILE ?? `${dataDir}/sync/statistics.json`,
    retry: {
      maxRetries: number('SYNC_MAX_RETRIES', flags['max-retries'] ?? env.SYNC_MAX_RETRIES, DEFAULTS.maxRetries, 0, 100),
      baseDelayMs: 2000,
      maxDelayMs: 10 * 60_000,
    },
  }
}
