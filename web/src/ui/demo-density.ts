// How dense the seeded demo is, in words (the banner and the methods page): a national sample plus län at full register
// density (server/demo/density.ts). Comes from /api/health and the methodology's `data.demo`; null for real data.
import type { DemoInfo } from '../api/types'
import { num, t } from './i18n'

const vars = (d: DemoInfo) => ({
  lan: d.fullDensityLan.map((l) => l.name).join(', '),
  sample: num(d.sampleCompanies),
  register: num(d.registerCompanies),
  fraction: Math.round(d.registerCompanies / d.sampleCompanies),
})

/** for the banner: "Kalmar län med full registertäthet, övriga landet ≈ 1/13" */
export function demoDensityShort (d: DemoInfo): string {
  return d.fullDensityLan.length ? t('demoDensityShort', vars(d)) : t('demoDensitySample', vars(d))
}

/** for the methods page: what is dense, what is a sample, and what that means for comparisons */
export function demoDensityText (d: DemoInfo): string {
  return d.fullDensityLan.length ? t('demoDensityText', vars(d)) : t('demoSampleText', vars(d))
}
