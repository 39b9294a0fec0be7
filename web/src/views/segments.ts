// The promoter's segments panel (#17): save the current company filters as a named segment of the organisation, the
// organisation's segments with what changed since this person's last visit, and one segment open (URL `seg`) with its
// three lists — firms that entered, closed and changed — each firm linking to its actor card and showing the
// organisation's status for it; mark seen, rename, delete, and the segment's CRM export (CSV/XLSX).
// Everything is read as the signed-in session: the server decides what the organisation may see (routes/segments.ts).
import type { Definition } from '../api/types'
import { ApiError } from '../api/client'
import { hasWorkspace, promoterApi, segmentFilters, type ChangeItem, type Changes, type FirmStatusRow, type Segment, type SegmentFilters } from '../api/promoter'
import { me } from '../api/session'
import { $, type Ctx, type View } from '../context'
import { legalFormName } from '../data/reference'
import type { State } from '../state/fields'
import { actorQuery } from '../state/queries'
import { toSearch } from '../state/url'
import { h, mount } from '../ui/dom'
import { day, num, t, type Key } from '../ui/i18n'

type List = 'new' | 'closed' | 'changed'
const LISTS: List[] = ['new', 'closed', 'changed']
const LIST_TITLE: Record<List, Key> = { new: 'listNew', closed: 'listClosed', changed: 'listChanged' }
const COUNT: Record<List, Key> = { new: 'countNew', closed: 'countClosed', changed: 'countChanged' }

interface Open {
  id: number
  /** YYYY-MM-DD, or undefined: since this person's last visit */
  since?: string
  changes?: Changes
  statuses: Map<string, FirmStatusRow>
  error?: string
}

export function segmentsView ({ store, boot }: Ctx): View {
  let segments: Segment[] | null = null
  let listError = ''
  let open: Open | null = null
  let flash = ''
  let renaming: number | null = null
  let shown = false
  let seq = 0

  const names = {
    region: (c: string | null) => (c ? boot.names.get(c) ?? c : '–'),
    legal: (c: string | null) => (c ? legalFormName(c, boot.legalChoices, boot.legalForms, store.get().lang) : '–'),
    size: (c: string | null) => (c ? boot.sizeChoices.find((x) => x.codes.includes(c))?.label[store.get().lang] ?? c : '–'),
    categoryName: (def: Definition, c: string | null) =>
      (c ? def.groups.flatMap((g) => g.categories).find((x) => x.code === c)?.name ?? c : '–'),
    category: (def: Definition, c: string | null) => {
      if (!c) return '–'
      const all = def.groups.flatMap((g) => [g, ...g.categories])
      return `${c} ${all.find((x) => x.code === c)?.name ?? ''}`.trim()
    },
  }

  /** A segment's filters in words: branch, place, size, legal form, year and whatever else it holds. */
  function describe (f: SegmentFilters, s: State & { definition: Definition }): string {
    const parts: string[] = []
    const list = (v: unknown) => String(v).split(',')
    if (f.kkb === true || f.kkb === 'true') parts.push(t('branchTotal'))
    for (const k of ['group', 'category'] as const) if (f[k]) parts.push(list(f[k]).map((c) => names.category(s.definition, c)).join(', '))
    if (!f.kkb && !f.group && !f.category && !f.sni) parts.push(t('branchAll'))
    if (f.sni) parts.push(`SNI ${list(f.sni).join(', ')}`)
    for (const k of ['kommun', 'lan'] as const) if (f[k]) parts.push(list(f[k]).map((c) => names.region(c)).join(', '))
    if (!f.kommun && !f.lan) parts.push(t('wholeCountry'))
    if (f.sizeClass) parts.push(`${t('sizeClass')}: ${list(f.sizeClass).map(names.size).join(', ')}`)
    if (f.legalForm) parts.push(`${t('legalForm')}: ${list(f.legalForm).map(names.legal).join(', ')}`)
    parts.push(f.year ? `${t('year')} ${f.year}` : `${t('year')}: ${t('latest')}`)
    if (f.q) parts.push(`”${f.q}”`)
    const shownKeys = new Set(['kind', 'definition', 'kkb', 'group', 'category', 'sni', 'kommun', 'lan', 'sizeClass', 'legalForm', 'year', 'q', 'status', 'sniRank'])
    for (const [k, v] of Object.entries(f)) if (!shownKeys.has(k)) parts.push(`${k}: ${String(v)}`)
    return parts.join(' · ')
  }

  /** The panel's state for a segment's filters, or null when it holds a filter the panel cannot show (SNI, a name, several
   *  regions, employees, dates…): the inverse of segmentFilters for what the panel can express. */
  function stateOf (f: SegmentFilters): Partial<State> | null {
    const panelKeys = new Set(['kind', 'definition', 'kkb', 'group', 'category', 'kommun', 'lan', 'sizeClass', 'legalForm', 'year', 'status', 'sniRank'])
    if (Object.keys(f).some((k) => !panelKeys.has(k)) || (f.status ?? 'active') !== 'active' || (f.sniRank ?? 'primary') !== 'primary') return null
    /** one code, or undefined for a list of several (the panel holds one branch and one region) */
    const one = (v: unknown): string | undefined => (String(v).includes(',') ? undefined : String(v))
    const kkb = f.kkb === true || f.kkb === 'true'
    if (kkb && (f.category !== undefined || f.group !== undefined)) return null
    const branch = kkb ? 'total' : f.category !== undefined ? one(f.category) : f.group !== undefined ? one(f.group) : 'all'
    const region = f.kommun !== undefined ? one(f.kommun) : f.lan !== undefined ? one(f.lan) : null
    if (branch === undefined || region === undefined || (f.kommun !== undefined && f.lan !== undefined)) return null
    const list = (v: unknown) => (v === undefined ? [] : String(v).split(','))
    return { def: f.definition ? String(f.definition) : '', branch, region, year: f.year ? Number(f.year) : null, kind: 'company',
      size: list(f.sizeClass), legal: list(f.legalForm) }
  }

  async function loadList (): Promise<void> {
    try {
      segments = await promoterApi.segments()
      listError = ''
    } catch (err) { listError = t('error', { msg: (err as Error).message }) }
    draw()
  }

  async function loadChanges (id: number, since?: string): Promise<void> {
    const mine = ++seq
    open = { id, since, statuses: new Map() }
    draw()
    try {
      const changes = await promoterApi.changes(id, since)
      // the organisation's status of the listed firms, in one read
      const orgnrs = [...new Set(LISTS.flatMap((l) => changes[l].map((i) => i.orgnr)).filter((x): x is string => !!x))]
      const statuses = orgnrs.length ? (await promoterApi.statuses(orgnrs.slice(0, 2000))).items : []
      if (mine !== seq) return
      open = { id, since, changes, statuses: new Map(statuses.map((r) => [r.orgnr, r])) }
    } catch (err) {
      if (mine !== seq) return
      if (err instanceof ApiError && err.status === 404) { store.set({ seg: null }); return }
      open = { id, since, statuses: new Map(), error: t('error', { msg: (err as Error).message }) }
    }
    draw()
  }

  function saveForm (s: State & { definition: Definition }): HTMLElement {
    const filters = segmentFilters(actorQuery(s, 'company'))
    const input = h('input', { id: 'segment-name', type: 'text', maxlength: '200', autocomplete: 'off', 'aria-describedby': 'segment-filters segment-name-error',
      'data-testid': 'segment-name' })
    const err = h('p', { id: 'segment-name-error', class: 'field-error', role: 'alert', hidden: true })
    const fail = (msg: string) => { err.textContent = msg; err.hidden = false; input.setAttribute('aria-invalid', 'true'); input.focus() }
    const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'segment-save' }, t('saveSegment'))
    return h('form', {
      class: 'admin-form', novalidate: true,
      onsubmit: async (e: SubmitEvent) => {
        e.preventDefault()
        const name = input.value.trim()
        if (!name) return fail(t('segmentNameMissing'))
        submit.disabled = true
        try {
          const { id } = await promoterApi.create(name, filters)
          // saving is a visit: the counts start from what the register holds now
          await promoterApi.markSeen(id)
          flash = t('segmentSaved', { name })
          await loadList()
        } catch (e2) {
          submit.disabled = false
          fail((e2 as Error).message)
        }
      },
    },
    h('p', { id: 'segment-filters', class: 'help', 'data-testid': 'segment-filters' }, t('segmentFiltersNow', { filters: describe(filters, s) })),
    h('div', { class: 'field' }, h('label', { for: 'segment-name' }, t('segmentName')), input, err),
    submit)
  }

  function countsText (c: Segment['sinceLastVisit']): string {
    return c ? LISTS.map((l) => t(COUNT[l], { n: num(c[l]) })).join(' · ') : t('notVisited')
  }

  function segmentItem (seg: Segment, s: State & { definition: Definition }): HTMLElement {
    const isOpen = s.seg === String(seg.id)
    const fresh = !!seg.sinceLastVisit && LISTS.some((l) => seg.sinceLastVisit![l] > 0)
    const nameEl = renaming === seg.id
      ? renameForm(seg)
      : h('h4', { class: 'segment-name' }, h('a', {
          href: toSearch({ ...s, seg: String(seg.id) }), 'aria-current': isOpen ? 'true' : undefined, 'data-testid': `segment-open-${seg.id}`,
          onclick: (e: MouseEvent) => { e.preventDefault(); store.set({ seg: String(seg.id) }) },
        }, seg.name))
    return h('li', { class: `segment${isOpen ? ' open' : ''}`, 'data-testid': `segment-${seg.id}` },
      nameEl,
      h('p', { class: 'help' }, describe(seg.filters, s)),
      h('p', { class: `segment-counts${fresh ? ' fresh' : ''}`, 'data-testid': `segment-counts-${seg.id}` },
        `${t('sinceLastVisit')}: `, h('span', { class: 'counts' }, countsText(seg.sinceLastVisit))),
      h('p', { class: 'help' }, t('createdByOn', { who: seg.createdBy, when: day(seg.createdAt) })),
      h('div', { class: 'segment-actions' },
        h('button', { type: 'button', class: 'btn small', 'data-testid': `segment-rename-${seg.id}`, 'aria-label': `${t('rename')}: ${seg.name}`,
          onclick: () => { renaming = seg.id; draw(); ($('segment-rename-input') as HTMLInputElement | null)?.focus() } }, t('rename')),
        h('button', { type: 'button', class: 'btn small', 'data-testid': `segment-delete-${seg.id}`, 'aria-label': `${t('remove')}: ${seg.name}`,
          onclick: async () => {
            if (!confirm(t('confirmDeleteSegment', { name: seg.name }))) return
            try {
              await promoterApi.remove(seg.id)
              if (isOpen) { open = null; store.set({ seg: null }) }
              await loadList()
            } catch (err) { flash = t('error', { msg: (err as Error).message }); draw() }
          } }, t('remove')),
        showIn(seg, s),
        h('a', { class: 'btn small', href: promoterApi.exportUrl(seg.id, 'csv', s.lang), download: '', 'data-testid': `segment-csv-${seg.id}` }, t('crmCsv')),
        h('a', { class: 'btn small', href: promoterApi.exportUrl(seg.id, 'xlsx', s.lang), download: '', 'data-testid': `segment-xlsx-${seg.id}` }, t('crmXlsx'))))
  }

  /** "Show in the table": the segment's firms as the actor list, with its filters in the panel (where the panel can hold them). */
  function showIn (seg: Segment, s: State): HTMLElement | null {
    const st = stateOf(seg.filters)
    if (!st) return null
    const target = { ...st, view: 'table' as const, tab: 'actors' as const, seg: null, actor: null }
    return h('a', { class: 'btn small', href: toSearch({ ...s, ...target }), 'data-testid': `segment-table-${seg.id}`,
      onclick: (e: MouseEvent) => { e.preventDefault(); store.set(target) } }, t('showInTable'))
  }

  function renameForm (seg: Segment): HTMLElement {
    const input = h('input', { id: 'segment-rename-input', type: 'text', maxlength: '200', value: seg.name, 'aria-label': `${t('rename')}: ${seg.name}`,
      'data-testid': 'segment-rename-input' })
    const err = h('p', { class: 'field-error', role: 'alert', hidden: true })
    return h('form', {
      class: 'rename-form', novalidate: true,
      onsubmit: async (e: SubmitEvent) => {
        e.preventDefault()
        const name = input.value.trim()
        if (!name) { err.textContent = t('segmentNameMissing'); err.hidden = false; input.setAttribute('aria-invalid', 'true'); return }
        try {
          await promoterApi.rename(seg.id, name)
          renaming = null
          await loadList()
        } catch (e2) { err.textContent = (e2 as Error).message; err.hidden = false }
      },
    }, input,
    h('button', { type: 'submit', class: 'btn small primary', 'data-testid': 'segment-rename-save' }, t('save')),
    h('button', { type: 'button', class: 'btn small', onclick: () => { renaming = null; draw() } }, t('cancel')), err)
  }

  /** What the "change" column says about a firm of a list. */
  function changeText (list: List, i: ChangeItem, def: Definition): string {
    if (list === 'new') return i.registeredOn ? `${t('registered')} ${i.registeredOn}` : ''
    if (list === 'closed') return i.gone ? t('closedGone') : i.deregisteredOn ? t('closedDeregistered', { date: i.deregisteredOn }) : t('closedInactive')
    const b = i.before
    return (i.fields ?? []).map((f) => {
      const label = t(`field_${f}` as Key)
      if (!b) return label
      if (f === 'kommun') return `${label}: ${names.region(b.kommunCode)} → ${names.region(i.kommunCode)}`
      if (f === 'sizeClass') return `${label}: ${names.size(b.sizeClass)} → ${names.size(i.sizeClass)}`
      if (f === 'legalForm') return `${label}: ${names.legal(b.legalForm)} → ${names.legal(i.legalForm)}`
      return `${label}: ${b.category ? names.category(def, b.category) : b.sni1 ?? '–'} → ${i.category ? names.category(def, i.category) : i.sni[0] ?? '–'}`
    }).join('; ')
  }

  function changeTable (list: List, items: ChangeItem[], o: Open, s: State & { definition: Definition }): HTMLElement {
    const cols: Key[] = ['name', 'orgnr', 'category', 'kommun', 'employees', 'legalForm', 'col_change', 'firmStatus']
    if (!items.length) return h('p', { class: 'help', 'data-testid': `segment-list-${list}` }, t('noneInList'))
    return h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', 'data-testid': `segment-list-${list}` },
      h('caption', { class: 'sr-only' }, t(LIST_TITLE[list])),
      // the organisation number's header abbreviated: eight columns share the panel beside the segment list
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', class: k === 'employees' ? 'num' : '' },
        k === 'orgnr' ? h('abbr', { title: t('orgnr') }, t('orgnrShort')) : t(k))))),
      h('tbody', {}, items.map((i) => {
        const st = i.orgnr ? o.statuses.get(i.orgnr) : undefined
        return h('tr', { 'data-orgnr': i.orgnr ?? '' },
          // a firm gone from the register has no card to open any more
          h('th', { scope: 'row' }, i.gone ? i.name : h('a', {
            href: toSearch({ ...s, actor: `company:${i.id}` }), 'data-testid': 'segment-firm',
            onclick: (e: MouseEvent) => { e.preventDefault(); store.set({ actor: `company:${i.id}` }) },
          }, i.name)),
          h('td', {}, i.orgnr ?? '–'),
          h('td', { title: i.category ?? '' }, names.categoryName(s.definition, i.category)),
          h('td', {}, names.region(i.kommunCode)),
          h('td', { class: 'num' }, i.employees === null ? '–' : num(i.employees)),
          h('td', {}, names.legal(i.legalForm)),
          h('td', {}, changeText(list, i, s.definition)),
          h('td', { title: st?.note ?? '' }, st ? t(`status_${st.status}` as Key) : '–'))
      }))))
  }

  function detail (s: State & { definition: Definition }): HTMLElement | null {
    if (!open || s.seg !== String(open.id)) return null
    const seg = segments?.find((x) => x.id === open!.id)
    const o = open
    const c = o.changes
    const sinceInput = h('input', { id: 'segment-since', type: 'date', value: o.since ?? '', 'data-testid': 'segment-since' })
    const intro = !c ? (o.error ?? t('loading'))
      : o.since ? t('changesSinceDay', { day: day(o.since) })
        : seg?.lastSeenImport === null ? t('changesSinceLatest', { batch: c.sinceImport }) : t('changesSinceVisit', { batch: c.sinceImport })
    return h('section', { class: 'segment-detail', 'aria-labelledby': 'segment-detail-title', 'data-testid': 'segment-detail' },
      h('div', { class: 'card-head' },
        h('h3', { id: 'segment-detail-title', tabindex: '-1' }, seg?.name ?? `#${o.id}`),
        h('button', { type: 'button', class: 'btn small', onclick: () => { open = null; store.set({ seg: null }) } }, t('allSegments'))),
      seg ? h('p', { class: 'help' }, describe(seg.filters, s)) : null,
      h('p', { 'aria-live': 'polite', 'data-testid': 'segment-since-text' }, intro),
      h('form', {
        class: 'since-form', novalidate: true,
        onsubmit: (e: SubmitEvent) => { e.preventDefault(); void loadChanges(o.id, sinceInput.value || undefined) },
      },
      h('label', { for: 'segment-since' }, t('changesSince')), sinceInput,
      h('button', { type: 'submit', class: 'btn small' }, t('showChanges')),
      o.since ? h('button', { type: 'button', class: 'btn small', onclick: () => { void loadChanges(o.id) } }, t('sinceVisitButton')) : null,
      h('button', { type: 'button', class: 'btn small primary', 'data-testid': 'segment-seen',
        onclick: async () => {
          try {
            await promoterApi.markSeen(o.id)
            flash = t('markedSeen')
            await Promise.all([loadList(), loadChanges(o.id)])
          } catch (err) { flash = t('error', { msg: (err as Error).message }); draw() }
        } }, t('markSeen'))),
      c ? LISTS.map((l) => h('section', { class: 'segment-list', 'aria-labelledby': `segment-list-${l}-title` },
        h('h4', { id: `segment-list-${l}-title` }, `${t(LIST_TITLE[l])} (${num(c.counts[l])})`),
        changeTable(l, c[l], o, s))) : null,
      c?.truncated ? h('p', { class: 'hint' }, t('truncatedLists')) : null)
  }

  function draw (): void {
    const s = store.get()
    if (!shown) return
    const el = $('segments-view')
    const focusId = (document.activeElement as HTMLElement | null)?.dataset?.testid
    mount(el,
      h('h2', { id: 'segments-heading' }, t('segmentsTitle', { org: me().organisation ?? '' })),
      h('p', { class: 'help segments-intro' }, t('segmentsIntro')),
      h('p', { class: 'flash', role: 'status', 'data-testid': 'segments-flash' }, flash),
      h('div', { class: 'segments-layout' },
        h('div', { class: 'segments-side' },
          h('section', { class: 'admin-section', 'aria-labelledby': 'segment-save-heading' },
            h('h3', { id: 'segment-save-heading' }, t('saveSegmentHeading')), saveForm(s)),
          h('section', { class: 'admin-section', 'aria-labelledby': 'segment-list-heading' },
            h('h3', { id: 'segment-list-heading' }, t('segmentsHeading')),
            listError ? h('p', { class: 'field-error' }, listError)
              : !segments ? h('p', {}, t('loading'))
                  : !segments.length ? h('p', { class: 'help' }, t('noSegments'))
                      : h('ul', { class: 'segment-items', 'data-testid': 'segment-items' }, segments.map((x) => segmentItem(x, s))))),
        detail(s) ?? h('p', { class: 'segment-detail help', 'data-testid': 'segment-detail-empty' }, t('openSegmentHint'))))
    if (focusId) (el.querySelector(`[data-testid="${CSS.escape(focusId)}"]`) as HTMLElement | null)?.focus()
  }

  return {
    deps: ['lang', 'view', 'seg', 'def', 'branch', 'year', 'size', 'legal', 'region', 'definition'],
    async render (s) {
      // a link to the segments opened by someone without a workspace (signed out, another role): the map instead
      if (s.view === 'segments' && !hasWorkspace()) { store.set({ view: 'map', seg: null }); return }
      const show = s.view === 'segments'
      $('segments-view').hidden = !show
      $('main').classList.toggle('segments-mode', show)
      if (!show) { shown = false; return }
      const entering = !shown
      shown = true
      if (entering) { flash = ''; segments = null; draw(); void loadList() }
      const id = s.seg ? Number(s.seg) : null
      if (id === null) { open = null; draw(); return }
      if (entering || !open || open.id !== id) await loadChanges(id)
      else draw()
    },
  }
}
