// The admin's page: upload a register or education file (drag and drop or a file input; kind, format and year suggested
// from the file), follow the import as server-sent events (rows/s, ETA), download its row-error report; the import log;
// tokens created (shown once), listed and revoked; the latest audit entries.
import { apiUrl } from '../api/client'
import { csrfHeader, me, send } from '../api/session'
import { $, type Ctx, type View } from '../context'
import { h, mount } from '../ui/dom'
import { date, num, t, type Key } from '../ui/i18n'

type Kind = 'companies' | 'workplaces' | 'education'
/** The formats each kind accepts (server/ingest/formats/index.ts IMPORTS) */
const FORMATS: Record<Kind, string[]> = {
  companies: ['csv', 'scb-bulk', 'scb-api', 'bolagsverket', 'json'],
  workplaces: ['csv', 'scb-api', 'json'],
  education: ['csv', 'json'],
}

interface Detected { kind?: Kind; format?: string; year?: number }

/** Kind, format and year as the file's name and first bytes suggest them (the admin can change each). */
export function detectImport (name: string, head: string): Detected {
  const n = name.toLowerCase()
  const d: Detected = {}
  const y = /(?:^|[^0-9])(20\d{2})(?:\d{4})?(?:[^0-9]|$)/.exec(n)
  if (y) d.year = Number(y[1])
  if (/bolagsverket/.test(n)) d.format = 'bolagsverket'
  else if (/scb_bulkfil|scb-bulk/.test(n)) d.format = 'scb-bulk'
  else if (/\.(ndjson|json)$/.test(n)) d.format = /^\s*[[{]\s*"?(organisationsnummer|juridisk|arbetsst|cfar)/i.test(head) ? 'scb-api' : 'json'
  else if (/\.(csv|txt)$/.test(n)) d.format = 'csv'
  const firstLine = head.split(/\r?\n/)[0]?.toLowerCase() ?? ''
  if (/utbild|education|provider|anordnare/.test(n) || /provider|programme|anordnare/.test(firstLine)) d.kind = 'education'
  else if (/arbetsst|workplace|cfar/.test(n) || /cfar|workplace/.test(firstLine)) d.kind = 'workplaces'
  else if (d.format || /orgnr|organisationsnummer/.test(firstLine)) d.kind = 'companies'
  return d
}

const sizeText = (b: number) => (b > 1 << 20 ? `${num(b / (1 << 20), 1)} MB` : `${num(b / 1024, 0)} kB`)

async function getJson<T> (url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' })
  if (!res.ok) throw new Error(`${res.status} ${((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? res.statusText}`)
  return res.json() as Promise<T>
}

interface ImportRow {
  id: number; kind: string; format: string; fileName: string; year: number | null; status: string; startedAt: string
  counts: Record<string, number> | null; createdBy: string | null; message: string | null
}
interface ProgressEvent {
  status: string; rows: number; fraction: number | null; rowsPerSecond: number; etaSeconds: number | null
  counts: Record<string, number> | null; message: string | null
}
interface TokenRow { id: number; name: string; role: string; lan: string[]; organisation: string | null; created_at: string; revoked_at: string | null }
interface AuditRow { id: number; at: string; actor: string; role: string; organisation: string | null; action: string; target: string | null }

function fieldError (id: string): HTMLElement { return h('p', { id, class: 'field-error', role: 'alert', hidden: true }) }
function showError (input: HTMLElement, err: HTMLElement, msg: string | null) {
  err.textContent = msg ?? ''
  err.hidden = !msg
  if (msg) { input.setAttribute('aria-invalid', 'true'); input.focus() } else input.removeAttribute('aria-invalid')
}

function importSection (boot: Ctx['boot'], refresh: () => void): HTMLElement {
  let file: File | null = null
  const fileInput = h('input', { id: 'import-file', type: 'file', class: 'file-input', 'aria-describedby': 'import-file-error import-file-chosen', 'data-testid': 'import-file' })
  const fileErr = fieldError('import-file-error')
  const chosen = h('p', { id: 'import-file-chosen', class: 'help', 'aria-live': 'polite' })
  const kindSel = h('select', { id: 'import-kind', 'data-testid': 'import-kind' },
    ...(Object.keys(FORMATS) as Kind[]).map((k) => h('option', { value: k }, t(`ikind_${k}` as Key))))
  const formatSel = h('select', { id: 'import-format', 'data-testid': 'import-format' })
  const fillFormats = (keep?: string) => {
    const list = FORMATS[kindSel.value as Kind]
    mount(formatSel, ...list.map((f) => h('option', { value: f }, f)))
    formatSel.value = keep && list.includes(keep) ? keep : list[0]
  }
  kindSel.addEventListener('change', () => fillFormats(formatSel.value))
  fillFormats()
  const yearInput = h('input', { id: 'import-year', type: 'number', min: '1900', max: '2100', inputmode: 'numeric', 'aria-describedby': 'import-year-help', 'data-testid': 'import-year' })
  const detectedNote = h('p', { class: 'help', 'data-testid': 'import-detected' })
  const bar = h('progress', { id: 'import-progress', max: '1', value: '0', 'aria-labelledby': 'import-status', hidden: true, 'data-testid': 'import-progress' })
  const status = h('p', { id: 'import-status', class: 'import-status', role: 'status', 'data-testid': 'import-status' })
  const result = h('div', { class: 'import-result', 'data-testid': 'import-result' })
  const start = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'import-start' }, t('startImport'))

  const setFile = async (f: File | null) => {
    file = f
    showError(fileInput, fileErr, null)
    chosen.textContent = f ? t('fileChosen', { name: f.name, size: sizeText(f.size) }) : ''
    if (!f) return
    const d = detectImport(f.name, await f.slice(0, 4096).text().catch(() => ''))
    if (d.kind) { kindSel.value = d.kind; fillFormats(d.format) } else if (d.format) fillFormats(d.format)
    if (d.year) yearInput.value = String(d.year)
    detectedNote.textContent = d.kind || d.format || d.year
      ? `${t('detected')}: ${[d.kind && t(`ikind_${d.kind}` as Key), d.format, d.year].filter(Boolean).join(' · ')}` : ''
  }
  fileInput.addEventListener('change', () => { void setFile(fileInput.files?.[0] ?? null) })
  const drop = h('div', {
    class: 'dropzone', 'data-testid': 'dropzone',
    ondragover: (e: DragEvent) => { e.preventDefault(); drop.classList.add('over') },
    ondragleave: () => drop.classList.remove('over'),
    ondrop: (e: DragEvent) => { e.preventDefault(); drop.classList.remove('over'); void setFile(e.dataTransfer?.files[0] ?? null) },
  }, h('label', { for: 'import-file', class: 'drop-label' }, t('dropHere')), fileInput, chosen, fileErr)

  const follow = (id: number) => {
    const es = new EventSource(`/api/imports/${id}/events`)
    const show = (ev: MessageEvent, end: boolean) => {
      const p = JSON.parse(ev.data as string) as ProgressEvent
      bar.hidden = false
      if (p.fraction !== null && p.fraction !== undefined) bar.value = p.fraction
      else bar.removeAttribute('value')
      if (!end) {
        status.textContent = `${t('importing', { rows: num(p.rows), rate: num(p.rowsPerSecond) })}${p.etaSeconds !== null ? ` – ${t('eta', { s: num(p.etaSeconds) })}` : ''}`
        return
      }
      es.close()
      start.disabled = false
      if (p.status === 'done' && p.counts) {
        bar.value = 1
        status.textContent = t('importDone', { read: num(p.counts.read), imported: num(p.counts.imported), updated: num(p.counts.updated), rejected: num(p.counts.rejected) })
        mount(result, p.counts.rejected ? h('a', { href: `/api/imports/${id}/errors`, class: 'btn', download: '', 'data-testid': 'import-report' }, t('errorReport')) : null)
      } else {
        status.textContent = t('importFailed', { msg: p.message ?? p.status })
      }
      refresh()
    }
    es.addEventListener('progress', (ev) => show(ev as MessageEvent, false))
    es.addEventListener('end', (ev) => show(ev as MessageEvent, true))
    es.onerror = () => { if (es.readyState === EventSource.CLOSED) { start.disabled = false; status.textContent = t('importFailed', { msg: 'connection lost' }) } }
  }

  const form = h('form', {
    class: 'admin-form', novalidate: true,
    onsubmit: (e: SubmitEvent) => {
      e.preventDefault()
      if (!file) return showError(fileInput, fileErr, t('noFile'))
      start.disabled = true
      mount(result)
      bar.hidden = false
      bar.value = 0
      const xhr = new XMLHttpRequest()
      xhr.open('POST', apiUrl('imports', { kind: kindSel.value, format: formatSel.value, year: yearInput.value || undefined, fileName: file.name, wait: false }))
      for (const [k, v] of Object.entries(csrfHeader())) xhr.setRequestHeader(k, v)
      xhr.setRequestHeader('content-type', 'application/octet-stream')
      xhr.upload.onprogress = (ev) => { if (ev.lengthComputable) { bar.value = ev.loaded / ev.total; status.textContent = t('uploading', { pct: `${Math.round(100 * ev.loaded / ev.total)} %` }) } }
      xhr.onload = () => {
        const body = JSON.parse(xhr.responseText || 'null') as { id?: number; error?: { message: string } } | null
        if (xhr.status === 202 && body?.id) { bar.value = 0; follow(body.id); return }
        start.disabled = false
        status.textContent = t('importFailed', { msg: body?.error?.message ?? String(xhr.status) })
        refresh()
      }
      xhr.onerror = () => { start.disabled = false; status.textContent = t('importFailed', { msg: 'network' }) }
      xhr.send(file)
    },
  },
  drop,
  h('div', { class: 'admin-row' },
    h('div', { class: 'field' }, h('label', { for: 'import-kind' }, t('importKind')), kindSel),
    h('div', { class: 'field' }, h('label', { for: 'import-format' }, t('importFormat')), formatSel),
    h('div', { class: 'field' }, h('label', { for: 'import-year' }, t('importYear')), yearInput)),
  h('p', { id: 'import-year-help', class: 'help' }, t('importYearHelp')),
  detectedNote,
  start, bar, status, result)
  void boot
  return h('section', { class: 'admin-section', 'aria-labelledby': 'import-heading' }, h('h3', { id: 'import-heading' }, t('importHeading')), form)
}

function importsTable (rows: ImportRow[]): HTMLElement {
  return h('table', { class: 'data-table', 'data-testid': 'imports-table' },
    h('caption', { class: 'sr-only' }, t('pastImports')),
    h('thead', {}, h('tr', {}, ...(['col_id', 'col_file', 'col_kind', 'importYear', 'col_status', 'col_started', 'col_counts', 'col_by'] as Key[]).map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, ...rows.map((r) => {
      const c = r.counts
      return h('tr', { 'data-testid': `import-row-${r.id}` },
        h('td', {}, String(r.id)), h('td', {}, r.fileName), h('td', {}, `${r.kind} · ${r.format}`), h('td', {}, r.year ? String(r.year) : '–'),
        h('td', { title: r.message ?? '' }, r.status), h('td', {}, date(r.startedAt)),
        h('td', { class: 'num' }, c ? [c.read, c.imported, c.updated, c.rejected].map((v) => num(v ?? 0)).join(' / ') : '–',
          c?.rejected ? [' ', h('a', { href: `/api/imports/${r.id}/errors`, download: '' }, t('report'))] : null),
        h('td', {}, r.createdBy ?? '–'))
    })))
}

function tokensSection (boot: Ctx['boot'], reloadTokens: () => void): HTMLElement {
  const name = h('input', { id: 'token-name', type: 'text', maxlength: '100', autocomplete: 'off', 'aria-describedby': 'token-name-error', 'data-testid': 'token-name' })
  const nameErr = fieldError('token-name-error')
  const role = h('select', { id: 'token-role', 'data-testid': 'token-role' }, ...(['promoter', 'curator', 'admin'] as const).map((r) => h('option', { value: r }, t(`role_${r}` as Key))))
  const lanCodes = [...boot.names.entries()].filter(([c]) => /^\d{2}$/.test(c)).sort((a, b) => a[0].localeCompare(b[0]))
  const lan = h('select', { id: 'token-lan', multiple: true, size: '5', 'aria-describedby': 'token-lan-help token-lan-error', 'data-testid': 'token-lan' },
    ...lanCodes.map(([c, n]) => h('option', { value: c }, `${c} ${n}`)))
  const lanErr = fieldError('token-lan-error')
  const lanField = h('div', { class: 'field', hidden: true }, h('label', { for: 'token-lan' }, t('tokenLan')), lan,
    h('p', { id: 'token-lan-help', class: 'help' }, t('tokenLanHelp')), lanErr)
  role.addEventListener('change', () => { lanField.hidden = role.value !== 'curator' })
  const org = h('input', { id: 'token-org', type: 'text', maxlength: '200', autocomplete: 'organization', 'data-testid': 'token-org' })
  const created = h('div', { class: 'token-created', 'aria-live': 'polite' })
  const formErr = h('p', { class: 'field-error', role: 'alert', hidden: true })
  const form = h('form', {
    class: 'admin-form', novalidate: true,
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault()
      showError(name, nameErr, null); showError(lan, lanErr, null); formErr.hidden = true
      if (!name.value.trim()) return showError(name, nameErr, t('tokenNameMissing'))
      const codes = [...lan.selectedOptions].map((o) => o.value)
      if (role.value === 'curator' && !codes.length) return showError(lan, lanErr, t('tokenLanMissing'))
      try {
        const body: Record<string, unknown> = { name: name.value.trim(), role: role.value }
        if (role.value === 'curator') body.lan = codes
        if (org.value.trim()) body.organisation = org.value.trim()
        const tok = await send<{ id: number; token: string; name: string }>('POST', '/api/tokens', body)
        mount(created, h('p', {}, t('tokenCreated', { name: tok.name })),
          h('input', { type: 'text', readonly: true, value: tok.token, class: 'token-value', 'aria-label': t('tokenLabel'), 'data-testid': 'token-created', onfocus: (ev: FocusEvent) => (ev.target as HTMLInputElement).select() }))
        name.value = ''; org.value = ''
        reloadTokens()
      } catch (err) {
        formErr.textContent = (err as Error).message
        formErr.hidden = false
      }
    },
  },
  h('div', { class: 'admin-row' },
    h('div', { class: 'field' }, h('label', { for: 'token-name' }, t('tokenName')), name, nameErr),
    h('div', { class: 'field' }, h('label', { for: 'token-role' }, t('tokenRole')), role),
    h('div', { class: 'field' }, h('label', { for: 'token-org' }, t('tokenOrg')), org)),
  lanField,
  h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'token-create' }, t('createToken')), formErr, created)
  return form
}

function tokensTable (rows: TokenRow[], boot: Ctx['boot'], reload: () => void): HTMLElement {
  return h('table', { class: 'data-table', 'data-testid': 'tokens-table' },
    h('caption', { class: 'sr-only' }, t('tokensHeading')),
    h('thead', {}, h('tr', {}, ...(['col_id', 'tokenName', 'tokenRole', 'tokenLan', 'tokenOrg', 'col_created', 'col_status'] as Key[]).map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, ...rows.map((r) => h('tr', { 'data-testid': `token-row-${r.id}` },
      h('td', {}, String(r.id)), h('td', {}, r.name), h('td', {}, t(`role_${r.role}` as Key)),
      h('td', {}, r.lan.map((c) => boot.names.get(c) ?? c).join(', ') || '–'), h('td', {}, r.organisation ?? '–'), h('td', {}, date(r.created_at)),
      h('td', {}, r.revoked_at ? `${t('revoked')} ${date(r.revoked_at)}` : h('button', {
        type: 'button', class: 'btn small', 'data-testid': `revoke-${r.id}`, 'aria-label': `${t('revoke')}: ${r.name}`,
        onclick: async () => {
          if (!confirm(t('confirmRevoke', { name: r.name }))) return
          await send('DELETE', `/api/tokens/${r.id}`)
          reload()
        },
      }, t('revoke')))))))
}

function auditTable (rows: AuditRow[]): HTMLElement {
  return h('table', { class: 'data-table', 'data-testid': 'audit-table' },
    h('caption', { class: 'sr-only' }, t('auditHeading')),
    h('thead', {}, h('tr', {}, ...(['col_at', 'col_actor', 'tokenRole', 'col_action', 'col_target'] as Key[]).map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, ...rows.map((r) => h('tr', {},
      h('td', {}, date(r.at)), h('td', {}, r.actor + (r.organisation ? ` (${r.organisation})` : '')), h('td', {}, t(`role_${r.role}` as Key)),
      h('td', {}, r.action), h('td', {}, r.target ?? '–')))))
}

export function adminView ({ boot }: Ctx): View {
  let builtFor = ''
  return {
    deps: ['lang', 'view'],
    render (s) {
      const el = $('admin-view')
      const show = s.view === 'admin' && me().role === 'admin'
      el.hidden = !show
      $('main').classList.toggle('admin-mode', show)
      $('map-view').toggleAttribute('inert', s.view !== 'map') // the table, the admin page and the segments cover it
      if (!show || builtFor === s.lang) return
      builtFor = s.lang
      const imports = h('div', { 'aria-live': 'polite' })
      const tokens = h('div')
      const audit = h('div')
      const loadImports = () => { void getJson<ImportRow[]>('/api/imports?limit=20').then((r) => mount(imports, importsTable(r))).catch((e: Error) => mount(imports, e.message)) }
      const loadAudit = () => { void getJson<{ items: AuditRow[] }>('/api/audit?limit=30').then((r) => mount(audit, auditTable(r.items))).catch((e: Error) => mount(audit, e.message)) }
      const loadTokens = () => {
        void getJson<TokenRow[]>('/api/tokens').then((r) => mount(tokens, tokensTable(r.reverse(), boot, loadTokens))).catch((e: Error) => mount(tokens, e.message))
        loadAudit()
      }
      mount(el,
        h('h2', { id: 'admin-heading' }, t('adminTitle')),
        importSection(boot, () => { loadImports(); loadAudit() }),
        h('section', { class: 'admin-section', 'aria-labelledby': 'imports-heading' }, h('h3', { id: 'imports-heading' }, t('pastImports')), imports),
        h('section', { class: 'admin-section', 'aria-labelledby': 'tokens-heading' }, h('h3', { id: 'tokens-heading' }, t('tokensHeading')), tokensSection(boot, loadTokens), tokens),
        h('section', { class: 'admin-section', 'aria-labelledby': 'audit-heading' }, h('h3', { id: 'audit-heading' }, t('auditHeading')), audit))
      loadImports()
      loadTokens()
    },
  }
}
