// Notes and status on the actor card (#17): the organisation's entries for one firm (status, short note, who and when),
// and a form to add one. Drawn only for a session with a workspace (a promoter of an organisation); the notes API answers
// only within the organisation (server/promoter/notes.ts), so another organisation or the public never gets them.
import { FIRM_STATUSES, hasWorkspace, promoterApi, type FirmNotes } from '../api/promoter'
import { me } from '../api/session'
import { h, mount } from '../ui/dom'
import { date, t, type Key } from '../ui/i18n'

const statusName = (s: string) => t(`status_${s}` as Key)

/** Appends the notes section for the firm to the card; `isCurrent` says whether the card still shows that firm. */
export async function appendNotes (card: HTMLElement, orgnr: string, soleTrader: boolean, isCurrent: () => boolean): Promise<void> {
  if (!hasWorkspace()) return
  const section = h('section', { class: 'notes', 'aria-labelledby': 'notes-title', 'data-testid': 'notes' },
    h('h3', { id: 'notes-title' }, t('notesHeading', { org: me().organisation ?? '' })), h('p', { class: 'help' }, t('loading')))
  card.append(section)
  const draw = (n: FirmNotes | null, error?: string) => {
    const status = h('select', { id: 'note-status', 'data-testid': 'note-status' },
      FIRM_STATUSES.map((s) => h('option', { value: s, selected: (n?.status ?? 'new') === s }, statusName(s))))
    const text = h('textarea', { id: 'note-text', maxlength: '2000', rows: '3', 'aria-describedby': soleTrader ? 'note-help' : undefined, 'data-testid': 'note-text' })
    const msg = h('p', { class: 'help', role: 'status', 'data-testid': 'note-msg' })
    const submit = h('button', { type: 'submit', class: 'btn small primary', 'data-testid': 'note-save' }, t('saveNote'))
    mount(section,
      h('h3', { id: 'notes-title' }, t('notesHeading', { org: me().organisation ?? '' })),
      h('p', { class: 'help' }, t('notesPrivate')),
      error ? h('p', { class: 'field-error' }, error) : null,
      h('p', { 'data-testid': 'note-current' }, `${t('currentStatus')}: `, h('strong', {}, n?.status ? statusName(n.status) : t('noStatus'))),
      h('form', {
        novalidate: true,
        onsubmit: async (e: SubmitEvent) => {
          e.preventDefault()
          submit.disabled = true
          try {
            await promoterApi.addNote(orgnr, status.value as FirmNotes['notes'][number]['status'], text.value.trim())
            const fresh = await promoterApi.notes(orgnr)
            if (!isCurrent()) return
            draw(fresh)
            ;(section.querySelector('[data-testid=note-msg]') as HTMLElement).textContent = t('noteSaved')
          } catch (err) {
            submit.disabled = false
            msg.textContent = t('error', { msg: (err as Error).message })
          }
        },
      },
      h('label', { for: 'note-status' }, t('firmStatus')), status,
      h('label', { for: 'note-text' }, t('noteText')), text,
      soleTrader ? h('p', { id: 'note-help', class: 'hint' }, t('noteSoleTrader')) : null,
      submit, msg),
      n && n.notes.length
        ? h('ol', { 'aria-label': t('notesHeading', { org: me().organisation ?? '' }), 'data-testid': 'note-list' }, n.notes.map((x) => h('li', {},
            h('span', { class: 'note-meta' }, `${statusName(x.status)} · ${x.createdBy} · ${date(x.createdAt)}`),
            x.note ? h('p', { class: 'note-text' }, x.note) : null)))
        : h('p', { class: 'help', 'data-testid': 'note-list' }, t('noNotes')))
  }
  try {
    const n = await promoterApi.notes(orgnr)
    if (isCurrent()) draw(n)
  } catch (err) {
    if (isCurrent()) draw(null, t('error', { msg: (err as Error).message }))
  }
}
