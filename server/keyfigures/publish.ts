// What the key-figure API publishes around the computed figures: the JSON answer (serialised once per query and data
// version), the metadata and file name of an export, and the methodology document.
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { gzip as gzipCb } from 'node:zlib'
import type { DbHandle } from '../db/client.js'
import { getDefinition, resolveDefinition } from '../definitions/queries.js'
import { describeSources, type DataInfo } from '../meta/data-info.js'
import { SIZE_CLASSES } from '../reference/size-classes.js'
import { OCCUPATION_METHOD } from '../statistics/occupations.js'
import { EDUCATION_NEED_TEXT } from '../statistics/education-need.js'
import type { KeyFigureResult } from './compute.js'
import type { ExportMeta } from './export.js'
import { COMPARE_FORMULAS } from './compare.js'
import { FLOW_FORMULAS, FORMULAS, SUPPRESSION_TEXT, SURVIVAL_FORMULAS, type SuppressionRule } from './formulas.js'

const gzip = promisify(gzipCb)

const suppression = (rule: SuppressionRule) => ({ ...rule, rule: SUPPRESSION_TEXT(rule) })

/** The JSON answer of GET /api/key-figures, as the string sent. */
export function keyFigureJson (res: KeyFigureResult, info: DataInfo, rule: SuppressionRule, generatedAt = new Date().toISOString()): string {
  return JSON.stringify({
    definition: res.definition, year: res.years.length === 1 ? res.years[0] : null, years: res.years, level: res.level, rows: res.rows,
    ...(res.context.length ? { context: res.context } : {}),
    meta: { source: describeSources(info), generatedAt, synthetic: info.synthetic, dataVersion: info.dataVersion, yearsAvailable: res.allYears,
      sources: info.sources, suppression: suppression(rule), sniVersionByYear: info.sniVersionByYear },
  })
}

/** An answer kept ready to send: the JSON bytes, their gzip, and a strong validator of the bytes (no quotes). */
export interface Answer { body: Buffer; gz: Buffer; etag: string }

/**
 * Answers by (data version, query), kept ready to send: a full kommun × category answer is 4 MB of JSON, so it is
 * serialised, encoded and gzipped once, and each request sends bytes (no re-encoding, no response-schema pass, 304 on
 * a matching ETag). Promises are kept, so concurrent first requests share one computation.
 */
export class AnswerCache {
  private kept = new Map<string, Promise<Answer>>()
  constructor (private max = 64) {}

  get (version: string, query: string, build: () => Promise<string>): Promise<Answer> {
    const key = `${version}|${query}`
    let p = this.kept.get(key)
    if (!p) {
      p = build().then(async (json) => {
        const body = Buffer.from(json)
        return { body, gz: await gzip(body, { level: 6 }), etag: createHash('sha1').update(body).digest('base64url') }
      })
      p.catch(() => { if (this.kept.get(key) === p) this.kept.delete(key) }) // never keep a failure
      if (this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value!)
      this.kept.set(key, p)
    }
    return p
  }

  clear (): void { this.kept.clear() }
}

/** The metadata an export file carries: sources, suppression rule and the definition's SNI list. */
export async function exportMeta (db: DbHandle, res: KeyFigureResult, info: DataInfo, rule: SuppressionRule,
  generatedAt = new Date().toISOString()): Promise<ExportMeta> {
  const def = await getDefinition(db, res.definition.id)
  return {
    source: describeSources(info), generatedAt, suppression: SUPPRESSION_TEXT(rule), synthetic: info.synthetic,
    sni: def.groups.flatMap((g) => g.categories.flatMap((c) => c.sni.map((s) => ({ version: s.version, code: s.code, category: `${c.code} ${c.name}`, title: s.title })))),
  }
}

/** How every key figure is computed (GET /api/key-figures/methodology): definition and SNI list, sources, formulas, suppression. */
export async function methodology (db: DbHandle, definition: string | undefined, info: DataInfo, rule: SuppressionRule) {
  const def = await getDefinition(db, definition ?? (await resolveDefinition(db)).id)
  return {
    definition: def,
    provisionalNote: def.provisional ? 'This definition is provisional: its SNI list is a candidate mapping, not confirmed against the official table.' : null,
    formulas: FORMULAS,
    // people by workplace region, from an imported statistical table (GET /api/key-figures/occupations), in words sv/en
    occupations: OCCUPATION_METHOD,
    educationNeed: EDUCATION_NEED_TEXT,
    // births and closures (GET /api/key-figures/flows)
    flows: FLOW_FORMULAS,
    // survival of each year's new companies in later snapshots (GET /api/key-figures/survival)
    survival: SURVIVAL_FORMULAS,
    // ranks, percentiles and similar kommuner (GET /api/key-figures/compare, /similar)
    compare: COMPARE_FORMULAS,
    suppression: suppression(rule),
    sizeClasses: SIZE_CLASSES,
    seriesBreak: 'SCB moved the register from SNI 2007 to SNI 2025 during 2025. Every company keeps its codes with their version, and each definition lists its codes in both versions, so branch figures compare across the break by branch, not by code. Expect a break in series at the change (codes split, merged or moved; SCB\'s own key was not available, see data/definitions/README.md).',
    education: 'providers, programmes and places (sum of reported places; placesReported = programmes that report places) per SUN 2020 inriktning (3 characters), per region; relatedGroup from data/definitions/sun-kkb-groups.csv (our own provisional tagging).',
    regions: 'kommun = seat kommun of the company (SCB Säteskommun, or placed by postcode/postort for files without it); län = sum of its kommuner; riket = all companies including unplaced ones; custom = named sets of län/kommuner (GET /api/region-sets).',
    data: { synthetic: info.synthetic, dataVersion: info.dataVersion, years: info.years, sources: info.sources, demo: info.demo },
    referenceData: 'Boundaries: SCB/Lantmäteriet; population: SCB (via Kolada N01951), 31 Dec; SNI 2007/2025: SCB. See data/SOURCES.md.',
  }
}
