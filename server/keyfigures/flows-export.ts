// Births and closures as files (GET /api/key-figures/flows?format=csv|xlsx, issue #21): the same writers as the key
// figures (export.ts: Swedish headers with names beside codes, codes as text, units, number formats, autofilter, the
// demo/provisional warning on every row), one row per region × branch × period.
import { exportNotice, tableToCsv, tableToXlsx, type ExportTable } from './export.js'
import type { FlowResult, FlowRow } from './flows.js'
import { FLOW_FORMULAS } from './formulas.js'
import type { CsvLocale } from '../csv/write.js'

const REGION_LEVEL: Record<string, string> = { kommun: 'Kommun', lan: 'Län', riket: 'Riket' }
const BRANCH_LEVEL: Record<string, string> = { total: 'KKB totalt', group: 'Branschgrupp', category: 'Branschkategori' }

function flowTable (res: FlowResult, synthetic: boolean): ExportTable<FlowRow> {
  return {
    ids: [
      { key: 'period', label: 'Period', get: (r) => r.period },
      { key: 'year', label: 'År', get: (r) => r.year },
      { key: 'quarter', label: 'Kvartal', get: (r) => r.quarter ?? '' },
      { key: 'regionLevel', label: 'Regionnivå', get: (r) => REGION_LEVEL[r.regionLevel] ?? r.regionLevel },
      { key: 'regionCode', label: 'Regionkod', get: (r) => r.regionCode }, { key: 'regionName', label: 'Region', get: (r) => r.regionName },
      { key: 'branchLevel', label: 'Branschnivå', get: (r) => BRANCH_LEVEL[r.branchLevel] ?? r.branchLevel },
      { key: 'branchCode', label: 'Branschkod', get: (r) => r.branchCode }, { key: 'branchName', label: 'Bransch', get: (r) => r.branchName },
      // the first snapshot has no previous one to compare with: its closures are the dated deregistrations only
      { key: 'closuresDatesOnly', label: 'Nedläggningar endast daterade avregistreringar', get: (r) => (r.closuresDatesOnly ? 'Ja' : 'Nej') },
    ],
    measures: [
      { key: 'births', label: 'Nystartade företag', unit: 'antal', get: (r) => r.births },
      { key: 'closures', label: 'Nedlagda företag', unit: 'antal', get: (r) => r.closures },
      { key: 'net', label: 'Nettoförändring', unit: 'antal', get: (r) => r.net },
    ],
    rows: res.rows,
    notice: exportNotice({ synthetic, provisional: res.definition.provisional }),
  }
}

/** ASCII file name: level, regions or län, branch, period and years. */
export function flowFileName (res: FlowResult, q: { regions?: string[]; lan?: string[]; branch: string[] }, synthetic: boolean): string {
  const where = q.lan?.length ? q.lan.map((l) => `lan-${l}`).join('_') : q.regions?.length ? (q.regions.length <= 3 ? q.regions.join('_') : `${q.regions.length}-regioner`) : 'alla'
  const years = res.years.length > 1 ? `${res.years[0]}-${res.years[res.years.length - 1]}` : String(res.years[0] ?? 'inga-ar')
  return ['kkb-flode', res.level, where, q.branch.join('_'), res.period === 'quarter' ? 'kvartal' : 'ar', years, synthetic ? 'DEMODATA' : '']
    .filter(Boolean).join('-').replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 180)
}

export const flowsToCsv = (res: FlowResult, locale: CsvLocale, synthetic: boolean) => tableToCsv(flowTable(res, synthetic), locale)

export function flowsToXlsx (res: FlowResult, o: { source: string; synthetic: boolean; generatedAt: string }): Promise<Buffer> {
  const d = res.definition
  return tableToXlsx(flowTable(res, o.synthetic), {
    sheet: 'Flöden', generatedAt: o.generatedAt,
    metadata: [
      ['Definition', `${d.name} (${d.id}, version ${d.version})`], ['Regionnivå', res.level],
      ['Period', res.period === 'quarter' ? 'kvartal' : 'år'], ['År', res.years.join(', ')], ['Ögonblicksbilder (registerår)', res.snapshots.join(', ')],
      ['Nystartade', FLOW_FORMULAS.births], ['Nedlagda', FLOW_FORMULAS.closures], ['Netto', FLOW_FORMULAS.net], ['Saknad period', FLOW_FORMULAS.missing],
      ['Källa', o.source], ['Syntetiska data', o.synthetic ? 'Ja – DEMODATA, inte verkliga företag' : 'Nej'], ['Skapad', o.generatedAt],
    ],
  })
}
