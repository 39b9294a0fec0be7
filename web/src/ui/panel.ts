// The filter panel: definition, branch tree, year, map settings, actor filters. Rebuilt from the state
// (focus is restored by data-key, so keyboard users keep their place).
import type { Definition, DefinitionSummary } from '../api/types'
import type { Choice } from '../data/reference'
import type { State } from '../state/fields'
import { levelChange } from '../state/queries'
import { classMethodsFor, divergingClasses, MEASURES, type Measure } from '../state/measures'
import { h, mount, nextId } from './dom'
import { t } from './i18n'
import { fieldLabel } from './format'

export interface PanelContext {
  definitions: DefinitionSummary[]
  definition: Definition | null
  years: number[]
  groupColors: Record<string, string>
  /** the size-class and legal-form choices (data/reference.ts) */
  sizeChoices: Choice[]
  legalChoices: Choice[]
  /** the followed län's name at kommun level (issue #21), null when the whole country is shown */
  followedLan: string | null
}

/** lower case without diacritics, so "musik" finds Musik and "scen" Scenkonst */
const fold = (x: string) => x.toLocaleLowerCase('sv').normalize('NFD').replace(/[\u0300-\u036f]/g, '')

export class Panel {
  private expanded = new Set<string>()
  constructor (private el: HTMLElement, private set: (p: Partial<State>) => void) {}

  render (s: State, ctx: PanelContext): void {
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key
    const sel = s.branch.split('.')[0]
    if (sel !== 'total' && sel !== 'all') this.expanded.add(sel)
    mount(this.el,
      h('h2', { class: 'panel-title' }, t('filters')),
      this.definitionField(s, ctx),
      this.yearField(s, ctx),
      this.branchTree(s, ctx),
      h('h2', { class: 'panel-title' }, t('mapSettings')),
      this.radios('level', t('level'), [['kommun', t('kommun')], ['lan', t('lan')]], s.level, (v) => this.set(levelChange(s, v as State['level']))),
      ctx.followedLan ? h('p', { class: 'filter-note', 'data-testid': 'followed-lan' }, t('followingLan', { lan: ctx.followedLan }), ' ',
        h('button', { type: 'button', class: 'link', 'data-key': 'unfollow', onclick: () => this.set({ lan: null }) }, t('showWholeCountry'))) : null,
      this.select('measure', t('measure'), MEASURES.map((m) => [m, fieldLabel(m)]), s.measure,
        // a measure with a neutral value starts with its diverging classes; another measure keeps quantile/equal
        (v) => this.set({ measure: v as Measure, classes: divergingClasses(v as Measure) ?? (classMethodsFor(v as Measure).includes(s.classes) ? s.classes : 'quantile') })),
      this.select('classes', t('classMethod'), classMethodsFor(s.measure).map((c) => [c, t(c)]), s.classes,
        (v) => this.set({ classes: v as State['classes'] })),
      h('h2', { class: 'panel-title' }, t('actorLayer')),
      this.radios('kind', t('actorLayer'), [['company', t('kindCompany')], ['workplace', t('kindWorkplace')], ['none', t('kindNone')]], s.kind,
        (v) => this.set({ kind: v as State['kind'] }), true),
      this.checkbox('edu', t('education'), s.edu, (v) => this.set({ edu: v }), h('span', { class: 'edu-swatch', 'aria-hidden': 'true' })),
      this.multi('size', t('sizeClass'), ctx.sizeChoices, s.size, (v) => this.set({ size: v }), s.lang),
      this.multi('legal', t('legalForm'), ctx.legalChoices, s.legal, (v) => this.set({ legal: v }), s.lang),
      h('p', { class: 'hint' }, t('actorFiltersNote')),
    )
    if (focusKey) (this.el.querySelector(`[data-key="${CSS.escape(focusKey)}"]`) as HTMLElement | null)?.focus()
  }

  private definitionField (s: State, ctx: PanelContext): HTMLElement {
    const id = nextId('def')
    const def = ctx.definition
    return h('div', { class: 'field' },
      h('label', { for: id }, t('definition')),
      h('select', { id, 'data-key': 'def', onchange: (e: Event) => this.set({ def: (e.target as HTMLSelectElement).value, branch: 'total' }) },
        ctx.definitions.map((d) => h('option', { value: d.id, selected: d.id === (def?.id ?? s.def) }, d.name))),
      def?.provisional ? h('p', { class: 'badge-provisional' }, h('strong', {}, t('provisional')), ' – ', t('provisionalNote')) : null)
  }

  private yearField (s: State, ctx: PanelContext): HTMLElement {
    const latest = ctx.years[ctx.years.length - 1]
    return this.select('year', t('year'), ctx.years.slice().reverse().map((y) => [String(y), y === latest ? `${y} (${t('latest')})` : String(y)]),
      String(s.year ?? latest ?? ''), (v) => this.set({ year: Number(v) === latest ? null : Number(v) }))
  }

  private branchTree (s: State, ctx: PanelContext): HTMLElement {
    const name = nextId('branch')
    const radio = (value: string, label: string, extra?: HTMLElement | null, color?: string) => {
      const id = nextId('br')
      return h('div', { class: 'tree-row' },
        h('input', { type: 'radio', id, name, value, checked: s.branch === value, 'data-key': `branch-${value}`,
          onchange: () => this.set({ branch: value }) }),
        h('label', { for: id }, color ? h('span', { class: 'swatch', style: `background:${color}`, 'aria-hidden': 'true' }) : null, label),
        extra ?? null)
    }
    const groups = ctx.definition?.groups ?? []
    const searchId = nextId('branch-search')
    const status = h('p', { class: 'sr-only', 'aria-live': 'polite' })
    const search = h('input', { id: searchId, type: 'search', class: 'branch-search', value: this.branchQuery, 'data-key': 'branch-search',
      'data-testid': 'branch-search', placeholder: t('branchSearchPlaceholder'), autocomplete: 'off',
      oninput: (e: Event) => { this.branchQuery = (e.target as HTMLInputElement).value; filterTree() } })
    const tree = h('ul', { class: 'tree-groups' }, groups.map((g) => {
      const open = this.expanded.has(g.code)
      const listId = nextId('cats')
      const toggle = h('button', { type: 'button', class: 'tree-toggle', 'aria-expanded': String(open), 'aria-controls': listId,
        'data-key': `toggle-${g.code}`, 'aria-label': `${g.name}: ${open ? '−' : '+'}`,
        onclick: () => { if (open) this.expanded.delete(g.code); else this.expanded.add(g.code); this.onToggle?.() } }, open ? '−' : '+')
      return h('li', { 'data-group': g.code, 'data-search': fold(`${g.code} ${g.name}`) },
        h('div', { class: 'tree-group' }, toggle, radio(g.code, `${g.code} ${g.name}`, null, ctx.groupColors[g.code])),
        h('ul', { id: listId, class: 'tree-cats', hidden: !open }, g.categories.map((c) => h('li', {
          'data-category': c.code, 'data-search': fold([c.code, c.name, ...c.sni.map((x) => `${x.code} ${x.title ?? ''}`)].join(' ')) },
        radio(c.code, `${c.code} ${c.name}`),
        s.sni ? h('ul', { class: 'sni-list' }, c.sni.map((x) => h('li', {}, h('code', {}, x.code), ` ${x.title ?? ''} `,
          h('span', { class: 'muted' }, `(SNI ${x.version})`)))) : null))))
    }))
    // Branch search (issue #21: "Musik" is a category under Scenkonst): categories whose code, name or SNI codes and
    // titles contain the text are shown with their group opened; a group whose name matches shows all its categories.
    // The tree is filtered in place, so typing keeps the caret; an empty search restores the groups opened by hand.
    const filterTree = () => {
      const q = fold(this.branchQuery.trim())
      let hits = 0
      for (const li of tree.querySelectorAll<HTMLElement>(':scope > li')) {
        const groupHit = !!q && li.dataset.search!.includes(q)
        const cats = [...li.querySelectorAll<HTMLElement>('li[data-category]')]
        let catHits = 0
        for (const c of cats) {
          const hit = !q || groupHit || c.dataset.search!.includes(q)
          c.hidden = !hit
          if (q && hit) catHits++
        }
        hits += catHits
        li.hidden = !!q && !groupHit && catHits === 0
        const list = li.querySelector<HTMLElement>('.tree-cats')!
        list.hidden = q ? catHits === 0 : !this.expanded.has(li.dataset.group!)
        const toggle = li.querySelector<HTMLElement>('.tree-toggle')
        if (toggle) {
          const sign = list.hidden ? '+' : '−'
          toggle.setAttribute('aria-expanded', String(!list.hidden))
          toggle.setAttribute('aria-label', toggle.getAttribute('aria-label')!.replace(/[+−]$/, sign))
          toggle.textContent = sign
        }
      }
      status.textContent = q ? t('branchSearchHits', { n: hits }) : ''
    }
    filterTree()
    return h('fieldset', { class: 'field tree' },
      h('legend', {}, t('branch')),
      h('label', { for: searchId, class: 'sr-only' }, t('branchSearch')), search, status,
      this.checkbox('sni', t('showSni'), s.sni, (v) => this.set({ sni: v })),
      radio('total', t('branchTotal')),
      tree,
      radio('all', t('branchAll')))
  }

  /** the branch search's text: the panel's own state, kept across re-renders */
  private branchQuery = ''

  /** re-render hook for local (non-state) changes like expanding a group */
  onToggle?: () => void

  private select (key: string, label: string, options: [string, string][], value: string, on: (v: string) => void): HTMLElement {
    const id = nextId(key)
    return h('div', { class: 'field' }, h('label', { for: id }, label),
      h('select', { id, 'data-key': key, onchange: (e: Event) => on((e.target as HTMLSelectElement).value) },
        options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))))
  }

  private radios (key: string, legend: string, options: [string, string][], value: string, on: (v: string) => void, hideLegend = false): HTMLElement {
    const name = nextId(key)
    return h('fieldset', { class: 'field radios' }, h('legend', { class: hideLegend ? 'sr-only' : '' }, legend),
      options.map(([v, l]) => {
        const id = nextId(key)
        return h('span', { class: 'radio' }, h('input', { type: 'radio', id, name, value: v, checked: v === value, 'data-key': `${key}-${v}`,
          onchange: () => on(v) }), h('label', { for: id }, l))
      }))
  }

  private checkbox (key: string, label: string, value: boolean, on: (v: boolean) => void, extra?: HTMLElement): HTMLElement {
    const id = nextId(key)
    return h('div', { class: 'field check' }, h('input', { type: 'checkbox', id, checked: value, 'data-key': key,
      onchange: (e: Event) => on((e.target as HTMLInputElement).checked) }), h('label', { for: id }, extra ?? null, label))
  }

  private multi (key: string, legend: string, options: Choice[], value: string[],
    on: (v: string[]) => void, lang: 'sv' | 'en'): HTMLElement {
    const chosen = new Set(value)
    const n = options.filter((o) => o.codes.every((c) => chosen.has(c))).length
    return h('details', { class: 'field multi', open: value.length > 0 },
      h('summary', { 'data-key': `${key}-summary` }, legend, h('span', { class: 'muted' }, n ? ` (${n})` : ` (${t('any')})`)),
      h('fieldset', {}, h('legend', { class: 'sr-only' }, legend), options.map((o) => {
        const id = nextId(key)
        const checked = o.codes.every((c) => chosen.has(c))
        return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, checked, 'data-key': `${key}-${o.codes[0]}`,
          onchange: (e: Event) => {
            const next = new Set(value)
            const checked = (e.target as HTMLInputElement).checked
            for (const c of o.codes) {
              if (checked) next.add(c)
              else next.delete(c)
            }
            on([...next].sort((a, b) => Number(a) - Number(b)))
          } }), h('label', { for: id }, o.label[lang]))
      }), value.length ? h('button', { type: 'button', class: 'link', 'data-key': `${key}-clear`, onclick: () => on([]) }, t('clear')) : null))
  }
}
