// The education-need tab of the table view: for the chosen län, one row per SUN field with its programmes and
// places, applicants (where the education import gives them), applications with their decision (where a table of
// them, MYH's, is imported for the year), the related branch group's KKB firms and employees,
// the people in the related occupations, and the flag for strong specialisation (LQ ≥ 1.25) without a programme —
// highlighted by colour AND by text, never by colour alone. Export links: CSV (sv, en) and XLSX.
import { api, educationNeedUrl } from '../api/client'
import type { EducationNeed, EducationNeedRow } from '../api/types'
import { $, type Ctx, type View } from '../context'
import { h, mount } from '../ui/dom'
import { num, t } from '../ui/i18n'
import { exportLinks } from '../ui/table'

const REASON: Record<string, 'eduLqCompanies' | 'eduLqEmployees' | 'eduLqPeople'> = { lqCompanies: 'eduLqCompanies', lqEmployees: 'eduLqEmployees', lqOccupations: 'eduLqPeople' }
const lq = (v: number | null) => (v === null ? '–' : num(v, 2))
const strong = (v: number | null, threshold: number) => (v !== null && v >= threshold ? h('strong', {}, lq(v)) : lq(v))

export function educationNeedView ({ store, boot, showError }: Ctx): View {
  let seq = 0
  const lans = boot.lan.features.map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code))
  return {
    deps: ['lang', 'view', 'tab', 'region'],
    async render (s) {
      if (s.view !== 'table' || s.tab !== 'education') return
      const el = $('table-education')
      const lan = s.region ? (s.region.length === 4 ? boot.lanOf.get(s.region) ?? null : s.region) : null
      const picker = h('label', { class: 'field inline' }, `${t('eduChooseLan')} `,
        h('select', { 'data-testid': 'education-lan', onchange: (e: Event) => store.set({ region: (e.target as HTMLSelectElement).value || null }) },
          h('option', { value: '' }, '–'),
          lans.map((l) => h('option', { value: l.code, selected: l.code === lan }, l.name))))
      const mine = ++seq
      if (!lan) { mount(el, picker, h('p', { class: 'hint' }, t('eduPickLan'))); return }
      mount(el, picker, h('p', { class: 'hint' }, t('loading')))
      let res: EducationNeed
      try { res = await api.educationNeed(lan) } catch (err) { if (mine === seq) showError(err); return }
      if (mine !== seq) return
      const lanName = boot.names.get(lan) ?? lan
      const flagged = res.rows.filter((r) => r.specialisedWithoutProgramme)
      const withApplicants = res.rows.some((r) => r.applicants !== undefined && r.applicants !== null)
      const withApplications = res.rows.some((r) => r.applications !== undefined && r.applications !== null)
      const head = [t('eduField'), t('eduFlag'), t('eduProgrammes'), t('eduPlaces'), ...(withApplicants ? [t('eduApplicants')] : []),
        ...(withApplications ? [t('eduApplications')] : []), t('eduBranch'),
        t('eduCompanies'), t('eduLqCompanies'), t('eduEmployees'), t('eduLqEmployees'), t('eduPeople'), t('eduLqPeople')]
      const cells = (r: EducationNeedRow) => [
        // the flag in words, with the quotients behind it (not colour alone)
        h('td', { class: 'flag-cell' }, r.specialisedWithoutProgramme ? h('span', { class: 'flag' }, `⚑ ${t('eduFlagYes')}`,
          h('span', { class: 'flag-why' }, ` (${r.specialisedBy.map((k) => `${t(REASON[k] ?? 'eduLqPeople')} ${lq(r[k as keyof EducationNeedRow] as number | null)}`).join(', ')})`)) : ''),
        h('td', { class: 'num' }, num(r.programmes)),
        h('td', { class: 'num' }, r.placesReported ? num(r.places) : '–'),
        withApplicants ? h('td', { class: 'num' }, r.applicants === null || r.applicants === undefined ? '–' : num(r.applicants)) : null,
        // applications with how many were granted: "3 (1 beviljad)"
        withApplications ? h('td', { class: 'num' }, r.applications === null || r.applications === undefined ? '–'
          : `${num(r.applications)} (${t('eduGranted', { n: num(r.applicationsGranted ?? 0) })})`) : null,
        h('td', {}, r.relatedGroup ? `${r.relatedGroup} ${r.relatedGroupName ?? ''}` : '–'),
        h('td', { class: 'num' }, r.companies === null ? '–' : num(r.companies)),
        h('td', { class: 'num' }, strong(r.lqCompanies, res.threshold)),
        h('td', { class: 'num' }, r.employeesSuppressed ? t('suppressed') : r.employees === null ? '–' : num(r.employees)),
        h('td', { class: 'num' }, r.employeesSuppressed ? t('suppressed') : strong(r.lqEmployees, res.threshold)),
        h('td', { class: 'num' }, r.peopleFlag === 'missing' ? '..' : r.people === null ? '–' : num(r.people)),
        h('td', { class: 'num' }, strong(r.lqOccupations, res.threshold)),
      ]
      mount(el, picker,
        h('h3', { id: 'education-title' }, t('eduTitle', { lan: lanName }),
          res.synthetic || res.occupationTable?.synthetic ? h('span', { class: 'tag-synthetic' }, t('synthetic')) : null),
        h('p', { class: 'hint' }, t('eduYears', { e: res.years.education ?? '–', c: res.years.companies ?? '–', o: res.years.occupations ?? '–' }),
          res.occupationTable ? ` · ${res.occupationTable.source}: ${res.occupationTable.title}` : ` · ${t('peopleNone')}`),
        h('p', { class: 'edu-flagged', role: 'status', 'data-testid': 'education-flagged' },
          t('eduFlagged', { n: flagged.length, t: num(res.threshold, 2) })),
        exportLinks(t('export'), [
          { label: t('exportCsv'), href: educationNeedUrl(lan, { format: 'csv', locale: 'sv' }), testId: 'export-education-csv' },
          { label: 'CSV (en)', href: educationNeedUrl(lan, { format: 'csv', locale: 'en' }), testId: 'export-education-csv-en' },
          { label: t('exportXlsx'), href: educationNeedUrl(lan, { format: 'xlsx' }), testId: 'export-education-xlsx' },
          { label: t('exportJsonstat'), href: educationNeedUrl(lan, { format: 'jsonstat' }), testId: 'export-education-jsonstat' },
        ]),
        h('div', { class: 'table-scroll' }, h('table', { class: 'data education-need', 'data-testid': 'education-table', 'aria-labelledby': 'education-title' },
          h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, res.rows.map((r) => h('tr', { class: r.specialisedWithoutProgramme ? 'flagged' : undefined, 'data-sun': r.sunPrefix },
            h('th', { scope: 'row' }, h('code', {}, r.sunPrefix), ` ${r.sunTitle ?? ''}`),
            cells(r)))))),
        h('p', { class: 'hint' }, t('eduNote', { t: num(res.threshold, 2) })))
    },
  }
}
