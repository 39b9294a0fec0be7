// An accessible autocomplete (ARIA 1.2 combobox + listbox): arrow keys, Enter, Escape; used for region and name search.
import { h, nextId } from './dom'
import { t } from './i18n'

export interface Option { id: string; label: string; detail?: string }

export function combobox (opts: {
  label: string; placeholder: string; search: (q: string, signal: AbortSignal) => Promise<Option[]>
  onPick: (o: Option) => void; minChars?: number; testId?: string
}): HTMLElement {
  const inputId = nextId('cb')
  const listId = `${inputId}-list`
  const input = h('input', { id: inputId, type: 'search', role: 'combobox', autocomplete: 'off', placeholder: opts.placeholder,
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId, 'data-testid': opts.testId })
  const list = h('ul', { id: listId, role: 'listbox', class: 'cb-list', hidden: true, 'aria-label': opts.label })
  const status = h('span', { class: 'sr-only', 'aria-live': 'polite' })
  let options: Option[] = []
  let active = -1
  let ctrl: AbortController | null = null
  let timer = 0

  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1 }
  const render = () => {
    list.replaceChildren(...(options.length ? options.map((o, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', class: 'cb-option', 'aria-selected': String(i === active),
      onmousedown: (e: Event) => { e.preventDefault(); pick(i) },
    }, h('span', { class: 'cb-label' }, o.label), o.detail ? h('span', { class: 'cb-detail' }, o.detail) : null))
      : [h('li', { class: 'cb-empty', role: 'presentation' }, t('noMatches'))]))
    list.hidden = false
    input.setAttribute('aria-expanded', 'true')
    if (active >= 0) input.setAttribute('aria-activedescendant', `${listId}-${active}`)
    else input.removeAttribute('aria-activedescendant')
    status.textContent = options.length ? `${options.length}` : t('noMatches')
  }
  const pick = (i: number) => {
    const o = options[i]
    if (!o) return
    input.value = o.label
    close()
    opts.onPick(o)
  }
  const run = () => {
    const q = input.value.trim()
    ctrl?.abort()
    if (q.length < (opts.minChars ?? 1)) { options = []; close(); return }
    ctrl = new AbortController()
    const signal = ctrl.signal
    opts.search(q, signal).then((o) => { if (signal.aborted) return; options = o; active = -1; render() })
      .catch((err: Error) => { if (err.name !== 'AbortError') { options = []; render() } })
  }
  input.addEventListener('input', () => { clearTimeout(timer); timer = window.setTimeout(run, 180) })
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (list.hidden) { run(); return }
      const n = options.length
      if (!n) return
      active = e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n
      render()
      document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: 'nearest' })
    } else if (e.key === 'Enter') {
      if (!list.hidden && options.length) { e.preventDefault(); pick(active >= 0 ? active : 0) }
    } else if (e.key === 'Escape') {
      if (!list.hidden) { e.preventDefault(); close() } else input.value = ''
    }
  })
  input.addEventListener('blur', () => setTimeout(close, 120))
  return h('div', { class: 'field cb' }, h('label', { for: inputId }, opts.label), h('div', { class: 'cb-wrap' }, input, list), status)
}
