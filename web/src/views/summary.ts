// The text summary (aria-live): the selected region's or the country's headline figures and what the map shows.
import { $, type Ctx, type View } from '../context'
import { fieldLabel } from '../ui/format'
import { num, pct, t } from '../ui/i18n'
import { branchLabel } from './labels'

export function summaryView ({ boot }: Ctx): View {
  return {
    deps: ['lang', 'figures', 'regionRow', 'region', 'measure', 'definition'],
    render (s) {
      const f = s.figures
      if (!f) return
      const row = s.region ? s.regionRow ?? f.byCode.get(s.region) : f.riket
      const name = s.region ? boot.names.get(s.region) ?? s.region : t('riket')
      const parts: string[] = []
      if (row && (!s.region || row.regionCode === s.region)) {
        parts.push(t('summaryRegion', { region: name, companies: num(row.companies), branch: branchLabel(s.definition, f.branch),
          share: pct(row.shareCompanies), per10k: num(row.per10k, 1), year: row.year }))
      }
      const lower = (x: string) => (/^\p{Lu}\p{Ll}/u.test(x) ? x[0].toLocaleLowerCase(s.lang) + x.slice(1) : x)
      parts.push(t('summaryMap', { measure: lower(fieldLabel(s.measure)), level: lower(f.level === 'kommun' ? t('kommun') : t('lan')) }))
      $('summary').textContent = parts.join(' ')
    },
  }
}
