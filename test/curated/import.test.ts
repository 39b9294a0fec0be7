// Staff lists into the curated registry through the import registry (POST /api/imports?kind=curated&format=csv|xlsx):
// a Windows-1252 CSV with ";" and a real XLSX workbook; every bad row reported with line and reason, good rows kept,
// rows outside a curator's län rejected rows (not a failed import), the report readable by the curator who imported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import ExcelJS from 'exceljs'
import type { DbHandle } from '../../server/db/client.js'
import { ADMIN_TOKEN, buildTestApp, openTestDb } from '../helpers/db.js'

let db: DbHandle
let app: FastifyInstance
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
let c18: Record<string, string>

beforeAll(async () => {
  db = await openTestDb('demo')
  app = await buildTestApp(db)
  const t = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload: { name: 'Region Örebro', role: 'curator', lan: ['18'] } })
  c18 = { authorization: `Bearer ${t.json().token as string}` }
})
afterAll(async () => { await app?.close(); await db?.close() })

const upload = (headers: Record<string, string>, format: string, body: Buffer, fileName: string) =>
  app.inject({ method: 'POST', url: `/api/imports?kind=curated&format=${format}&fileName=${fileName}`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: body })

describe('curated staff lists', () => {
  it('imports a Windows-1252 CSV: good rows kept, each bad row and each row outside the curator\'s län reported with its line', async () => {
    const csv = [
      'Namn;Typ;Undertyp;Kommun;Postnummer;Publicerad;Samtycke;Webbplats',
      'Konsthallen Örebro;venue;konsthall;1880;70210;ja;;www.konsthall.example',
      'Ateljé Nora;workspace;ateljé;Nora;;nej;;',
      ';venue;galleri;1880;;ja;;', // line 4: no name
      'Okänd typ;theatre;;1880;;ja;;', // line 5: unknown type
      'Kalmar konstmuseum;venue;konsthall;0880;;ja;;', // line 6: outside län 18
      'Maja Målare;person;;1880;;ja;website;https://maja.example',
      'Fel kommun;venue;;9999;;ja;;', // line 8
    ].join('\r\n') + '\r\n'
    const res = await upload(c18, 'csv', Buffer.from(csv, 'latin1'), 'personal.csv')
    expect(res.statusCode, res.body).toBe(201)
    const r = res.json()
    expect(r.counts).toMatchObject({ read: 7, imported: 3, rejected: 4 })
    const report = await app.inject({ url: r.report as string, headers: c18 })
    expect(report.statusCode).toBe(200)
    const lines = report.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1)
    expect(lines.map((l) => l.split(/[;,]/)[1])).toEqual(['4', '5', '6', '8'])
    expect(report.body).toMatch(/Namn: required/)
    expect(report.body).toMatch(/unknown type/)
    expect(report.body).toMatch(/län 08, outside your curator scope/)
    expect(report.body).toMatch(/unknown kommun code/)
    // what was kept, read back through the API with the history of an import
    const list = (await app.inject({ url: '/api/actors?kind=curated&kommun=1880,1884&limit=100', headers: c18 })).json()
    const names = list.items.map((a: { name: string }) => a.name)
    expect(names).toEqual(expect.arrayContaining(['Konsthallen Örebro', 'Ateljé Nora', 'Maja Målare']))
    const maja = list.items.find((a: { name: string }) => a.name === 'Maja Målare')
    const entry = (await app.inject({ url: `/api/curated/${maja.id as number}`, headers: c18 })).json()
    expect(entry.consent).toMatchObject({ fields: ['website'] })
    const hist = (await app.inject({ url: `/api/curated/${maja.id as number}/history`, headers: c18 })).json()
    expect(hist.items[0]).toMatchObject({ action: 'import', version: 1 })
    expect((await app.inject({ url: '/api/actors?kind=curated&q=konsthallen' })).json().items[0].website).toBe('https://www.konsthall.example')
    // the same list again adds nothing
    const again = (await upload(c18, 'csv', Buffer.from(csv, 'latin1'), 'personal.csv')).json()
    expect(again.counts).toMatchObject({ imported: 0, unchanged: 3, rejected: 4 })
  })

  it('imports an XLSX workbook and refuses a file without the required columns as a whole', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Lista')
    ws.addRow(['name', 'type', 'subtype', 'kommun', 'lat', 'lon', 'published', 'description'])
    ws.addRow(['Replokalen Karlskoga', 'workspace', 'replokal', 1883, 59.33, 14.52, 'true', 'fem rum'])
    ws.addRow(['Trasig punkt', 'venue', 'scen/spelplats', '1880', 91, 15, 'ja', ''])
    const buf = Buffer.from(await wb.xlsx.writeBuffer())
    const res = await upload(c18, 'xlsx', buf, 'lista.xlsx')
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().counts).toMatchObject({ read: 2, imported: 1, rejected: 1 })
    const e = (await app.inject({ url: '/api/actors?kind=curated&q=replokalen' })).json().items[0]
    expect(e).toMatchObject({ kommunCode: '1883', type: 'workspace', subtype: 'replokal', lat: 59.33, lon: 14.52, locationPrecision: 'address' })

    const bad = await upload(c18, 'csv', Buffer.from('namn;kommun\nx;1880\n'), 'fel.csv')
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.message).toMatch(/type|subtype/)
    // a curator imports curated entries only
    expect((await app.inject({ method: 'POST', url: '/api/imports?kind=companies&format=csv', headers: { ...c18, 'content-type': 'text/csv' }, payload: 'x' })).statusCode).toBe(403)
  })

  it('a curator follows their own import\'s events and reads its report; another curator and the public may not, nor the admin\'s imports', async () => {
    const csv = 'name;type;subtype;kommun\nEventhallen;venue;scen/spelplats;1880\nFel;nope;;1880\n'
    const started = await app.inject({ method: 'POST', url: '/api/imports?kind=curated&format=csv&fileName=events.csv&wait=false', headers: { ...c18, 'content-type': 'application/octet-stream' }, payload: Buffer.from(csv) })
    expect(started.statusCode, started.body).toBe(202)
    const id = started.json().id as number
    expect(started.json().events).toBe(`/api/imports/${id}/events`)
    // the stream ends with one `end` event once the import has finished
    const own = await app.inject({ url: `/api/imports/${id}/events`, headers: c18 })
    expect(own.statusCode).toBe(200)
    expect(own.headers['content-type']).toMatch(/text\/event-stream/)
    const end = /event: end\ndata: (.*)\n/.exec(own.body)
    expect(end, own.body).not.toBeNull()
    expect(JSON.parse(end![1])).toMatchObject({ status: 'done', counts: { read: 2, imported: 1, rejected: 1 } })
    expect((await app.inject({ url: `/api/imports/${id}/errors`, headers: c18 })).statusCode).toBe(200)
    // another curator of the same län, the public, a promoter: no
    const t2 = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload: { name: 'Region Örebro', role: 'curator', lan: ['18'] } })
    const other = { authorization: `Bearer ${t2.json().token as string}` }
    const t3 = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin, payload: { name: 'Främjare', role: 'promoter' } })
    const promoter = { authorization: `Bearer ${t3.json().token as string}` }
    for (const url of [`/api/imports/${id}/events`, `/api/imports/${id}/errors`]) {
      expect((await app.inject({ url, headers: other })).statusCode, url).toBe(403) // same name, same län, another token: not theirs
      expect((await app.inject({ url, headers: promoter })).statusCode, url).toBe(403)
      expect((await app.inject({ url })).statusCode, url).toBe(401)
      expect((await app.inject({ url, headers: admin })).statusCode, url).toBe(200)
    }
    // an import the admin ran (of the curated kind too) is not the curator's to follow
    const adminRun = await upload(admin, 'csv', Buffer.from('name;type;subtype;kommun\nAdminhallen;venue;;1880\n'), 'admin.csv')
    expect(adminRun.statusCode, adminRun.body).toBe(201)
    const adminId = adminRun.json().batchId as number
    expect((await app.inject({ url: `/api/imports/${adminId}/events`, headers: c18 })).statusCode).toBe(403)
    // nor the import log, which lists everyone's imports
    expect((await app.inject({ url: '/api/imports', headers: c18 })).statusCode).toBe(403)
  })
})
