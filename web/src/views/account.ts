// Who is signed in, in the header (name, role, län scope, organisation), sign-in in a dialog and sign-out. After either,
// the page reloads: every view, list, card and export link then fetches as the new role, with nothing cached from the old.
import { ApiError } from '../api/client'
import { hasWorkspace } from '../api/promoter'
import { me, signIn, signOut } from '../api/session'
import { $, type Ctx, type View } from '../context'
import { h, mount } from '../ui/dom'
import { t, type Key } from '../ui/i18n'

const SESSION_HOURS = 8

function signInDialog (): HTMLDialogElement {
  const dialog = $('signin-dialog') as HTMLDialogElement
  const error = h('p', { id: 'signin-error', class: 'field-error', role: 'alert', hidden: true })
  const input = h('input', { id: 'signin-token', type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'signin-help', 'data-testid': 'signin-token' })
  const fail = (msg: string) => {
    error.textContent = msg
    error.hidden = false
    input.setAttribute('aria-invalid', 'true')
    input.setAttribute('aria-describedby', 'signin-error signin-help')
    input.focus()
  }
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'signin-submit' }, t('signIn'))
  const form = h('form', {
    method: 'dialog', novalidate: true,
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault()
      const token = input.value.trim()
      if (!token) return fail(t('tokenMissing'))
      submit.disabled = true
      try {
        await signIn(token)
        input.value = ''
        location.reload()
      } catch (err) {
        submit.disabled = false
        const status = err instanceof ApiError ? err.status : 0
        fail(status === 401 ? t('tokenRejected') : status === 429 ? t('tooManyAttempts') : t('error', { msg: (err as Error).message }))
      }
    },
  },
  h('h2', { id: 'signin-title' }, t('signInTitle')),
  h('p', { id: 'signin-help', class: 'help' }, t('signInHelp', { hours: SESSION_HOURS })),
  h('label', { for: 'signin-token' }, t('tokenLabel')),
  input,
  error,
  h('div', { class: 'dialog-actions' },
    submit,
    h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, t('cancel'))))
  mount(dialog, form)
  dialog.setAttribute('aria-labelledby', 'signin-title')
  return dialog
}

export function accountView ({ store, boot }: Ctx): View {
  return {
    deps: ['lang', 'view'],
    render (s) {
      const who = me()
      const el = $('account')
      if (!who.signedIn) {
        mount(el, h('button', { type: 'button', class: 'btn lang', 'data-testid': 'signin-open',
          onclick: () => { const d = signInDialog(); d.showModal(); ($('signin-token') as HTMLInputElement).focus() } }, t('signIn')))
        return
      }
      const scope = who.lan.length ? ` · ${t('scope')} ${who.lan.map((c) => boot.names.get(c) ?? c).join(', ')}` : ''
      mount(el,
        h('p', { class: 'who', 'data-testid': 'who', title: [who.name, t(`role_${who.role}` as Key), scope.slice(3), who.organisation].filter(Boolean).join(' · ') },
          h('span', { class: 'sr-only' }, `${t('signedInAs')} `),
          h('strong', {}, who.name), h('span', { class: 'sr-only' }, ' · '),
          h('span', { class: 'who-role' }, h('span', { 'data-testid': 'who-role' }, t(`role_${who.role}` as Key)), scope,
            who.organisation ? ` · ${who.organisation}` : '')),
        who.role === 'admin'
          ? h('button', { type: 'button', class: 'btn lang', 'data-testid': 'admin-open', 'aria-pressed': String(s.view === 'admin'),
              onclick: () => store.set({ view: s.view === 'admin' ? 'map' : 'admin' }) }, s.view === 'admin' ? t('backToMap') : t('admin'))
          : null,
        // a promoter's segments (an admin's too when their token is of an organisation: segments belong to one)
        hasWorkspace()
          ? h('button', { type: 'button', class: 'btn lang', 'data-testid': 'segments-open', 'aria-pressed': String(s.view === 'segments'),
              onclick: () => store.set({ view: s.view === 'segments' ? 'map' : 'segments' }) }, s.view === 'segments' ? t('backToMap') : t('segmentsOpen'))
          : null,
        h('button', { type: 'button', class: 'btn lang', 'data-testid': 'signout',
          onclick: async () => { await signOut().catch(() => undefined); location.reload() } }, t('signOut')))
    },
  }
}
