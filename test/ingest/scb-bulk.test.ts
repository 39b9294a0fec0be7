import { createReadStream, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { scbBulk } from '../../server/ingest/formats/scb-bulk.js'
import type { CompanyRecord } from '../../server/ingest/types.js'
import { collect, ctx, org, streamOf, where } from './helpers.js'
import { AB_ORGNR, SCB_BULK_COLUMNS, SOLE_PNR12, TAGET_ORGNR, VISBY_ORGNR, bulkRow, scbBulkFixtureText } from './scb-bulk-content.js'
import { makeZip } from './zip-writer.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest')
const TXT = 'scb_bulkfil_JE_20260601T065839_76.txt'

function checkMainFixture (records: CompanyRecord[], rejections: { line: number; column: string | null; reason: string }[]): void {
  expect(records.map((r) => r.line)).toEqual([2, 3, 4, 10, 12])
  expect(where(rejections as never)).toEqual([[5, 'PeOrgNr'], [6, null], [7, 'Ng2'], [8, 'JurForm'], [9, 'RegDatKtid']])
  expect(rejections[0].reason).toMatch(/checksum/)
  expect(rejections[1].reason).toBe('wrong number of columns: expected 34, found 33')
  expect(rejections[2].reason).toBe('unknown SNI code "85520" for SNI 2007')
  expect(rejections[3].reason).toBe('unknown legal form "77"')
  expect(rejections[4].reason).toMatch(/invalid calendar date "20231345"/)

  const [ab, sole, taget, norsk, film] = records
  expect(ab).toMatchObject({
    orgnr: AB_ORGNR, name: 'Ateljé "Blå Dörren" AB', legalForm: '49', soleTrader: false, sni: ['90030', '74201'],
    sniVersion: '2007', kommunCode: '0180', placement: 'postcode', locationPrecision: 'postcode', postcode: '11122',
    city: 'STOCKHOLM', street: 'Konstnärsgatan 1', registeredOn: '2019-04-15', active: true, marketingOptOut: false,
    lat: null, lon: null, employees: null, sizeClass: null,
  })
  // sole trader: 12-digit personnummer, Foretagsnamn empty → Namn; literal quotes kept; blank Ng2 dropped
  expect(sole).toMatchObject({
    orgnr: SOLE_PNR12.slice(2), name: 'Åsa "Lillan" Öberg', soleTrader: true, legalForm: '10', sni: ['74202'],
    kommunCode: '0980', placement: 'postcode', marketingOptOut: true, active: true,
  })
  // a lone opening quote must not merge lines; placed by postort; FtgStat 9 = inactive
  expect(taget).toMatchObject({ orgnr: TAGET_ORGNR, name: '"Teater Tåget', active: false, kommunCode: '2584', placement: 'postort', locationPrecision: 'postcode', postcode: null })
  // foreign postcode dropped, unknown postort → unplaced but kept; dotted SNI normalised
  expect(norsk).toMatchObject({ orgnr: VISBY_ORGNR, kommunCode: null, placement: null, locationPrecision: null, postcode: null, city: 'OSLO', sni: ['90040'], legalForm: '61' })
  expect(film).toMatchObject({ kommunCode: '1480', sni: ['59110'], registeredOn: '2015-06-30' })
}

describe('scb-bulk parser', () => {
  it('parses the ISO-8859-1 fixture built in the test (mixed CRLF/LF, quotes, bad rows)', async () => {
    const bytes = iconv.encode(scbBulkFixtureText(), 'latin1')
    const { records, rejections } = await collect(scbBulk, streamOf(bytes), ctx(TXT))
    checkMainFixture(records, rejections)
  })

  it('gives identical results with 7-byte chunks (CRLF and fields split across chunks)', async () => {
    const bytes = iconv.encode(scbBulkFixtureText(), 'latin1')
    const { records, rejections } = await collect(scbBulk, streamOf(bytes, 7), ctx(TXT))
    checkMainFixture(records, rejections)
  })

  it('reads the committed .txt fixture and the committed .zip (path-based and spooled stream)', async () => {
    const txt = await collect(scbBulk, createReadStream(path.join(FIXTURES, TXT)), ctx(TXT))
    checkMainFixture(txt.records, txt.rejections)
    const zipPath = path.join(FIXTURES, 'scb_bulkfil.zip')
    const viaPath = await collect(scbBulk, createReadStream(zipPath), ctx('scb_bulkfil.zip'))
    checkMainFixture(viaPath.records, viaPath.rejections)
    const viaStream = await collect(scbBulk, streamOf(readFileSync(zipPath), 100), ctx('upload.bin'))
    checkMainFixture(viaStream.records, viaStream.rejections)
  })

  it('committed fixtures match the generator', () => {
    expect(readFileSync(path.join(FIXTURES, TXT))).toEqual(iconv.encode(scbBulkFixtureText(), 'latin1'))
  })

  it('detects SNI 2025 from the codes, and uses the file year on a tie', async () => {
    const header = SCB_BULK_COLUMNS.join('\t')
    const rows2025 = [header, bulkRow({ PeOrgNr: '16' + org('556200001'), Namn: 'Scen AB', JurForm: '49', FtgStat: '1', Ng1: '90200', Ng2: '90110' })].join('\n')
    const a = await collect(scbBulk, streamOf(iconv.encode(rows2025, 'latin1')), ctx('x.txt'))
    expect(a.records[0].sniVersion).toBe('2025')
    // 59110 exists in both versions: tie → file year (2026 ≥ 2025 → 2025; unknown year → 2007)
    const tie = [header, bulkRow({ PeOrgNr: '16' + org('556200001'), Namn: 'Film AB', JurForm: '49', FtgStat: '1', Ng1: '59110' })].join('\n')
    expect((await collect(scbBulk, streamOf(tie), ctx(TXT))).records[0].sniVersion).toBe('2025')
    expect((await collect(scbBulk, streamOf(tie), ctx('scb.txt'))).records[0].sniVersion).toBe('2007')
    // a name without a date: the reference year the user gave decides (--year 2026 → SNI 2025)
    expect((await collect(scbBulk, streamOf(tie), { ...ctx('scb.txt'), year: 2026 })).records[0].sniVersion).toBe('2025')
    expect((await collect(scbBulk, streamOf(tie), { ...ctx('scb.txt'), year: 2020 })).records[0].sniVersion).toBe('2007')
    // inside a zip, the entry name carries the date
    const zip = makeZip([{ name: TXT, data: Buffer.from(tie) }])
    expect((await collect(scbBulk, streamOf(zip), ctx('scb_bulkfil.zip'))).records[0].sniVersion).toBe('2025')
    // an explicit version is not second-guessed
    const forced = await collect(scbBulk, streamOf(rows2025), ctx('x.txt', '2007'))
    expect(forced.records).toHaveLength(0)
    expect(forced.rejections[0]).toMatchObject({ line: 2, column: 'Ng1', reason: 'unknown SNI code "90200" for SNI 2007' })
  })

  it('batches ~2000 rows and numbers lines past the SNI sample', async () => {
    const lines = [SCB_BULK_COLUMNS.join('\t')]
    for (let i = 0; i < 4500; i++) lines.push(bulkRow({ PeOrgNr: '16' + org(String(556300000 + i)), Namn: `Bolag ${i}`, JurForm: '49', FtgStat: '1', Ng1: '90030' }))
    lines.push(bulkRow({ PeOrgNr: '16' + org('556399999'), Namn: 'Sist', JurForm: '49', Ng1: '1' }))
    const { records, rejections, batches } = await collect(scbBulk, streamOf(lines.join('\r\n') + '\r\n', 1000), ctx(TXT))
    expect(records).toHaveLength(4500)
    expect(records[4499].line).toBe(4501)
    expect(rejections).toEqual([{ file: TXT, line: 4502, column: 'Ng1', value: '1', reason: 'malformed SNI code "1"' }])
    expect(Math.max(...batches)).toBeLessThanOrEqual(2000)
    expect(batches.reduce((a, b) => a + b, 0)).toBe(4501)
  })

  it('a unit no longer in the population (JEStat 9) is not active, whatever its FtgStat', async () => {
    const text = [SCB_BULK_COLUMNS.join('\t'),
      bulkRow({ PeOrgNr: '16' + AB_ORGNR, Namn: 'Kvar AB', FtgStat: '1', JEStat: '1', JurForm: '49', Ng1: '90030' }),
      bulkRow({ PeOrgNr: '16' + TAGET_ORGNR, Namn: 'Utgången AB', FtgStat: '1', JEStat: '9', JurForm: '49', Ng1: '90030' }),
    ].join('\r\n') + '\r\n'
    const { records } = await collect(scbBulk, streamOf(iconv.encode(text, 'win1252')), ctx(TXT))
    expect(records.map((r) => [r.name, r.active])).toEqual([['Kvar AB', true], ['Utgången AB', false]])
  })

  it('throws for an empty file and for a header without PeOrgNr/Namn; header only → no rows', async () => {
    await expect(collect(scbBulk, streamOf(Buffer.alloc(0)), ctx('empty.txt'))).rejects.toThrow('empty.txt: file is empty')
    await expect(collect(scbBulk, streamOf('PeOrgNr;Namn\n1;2\n'), ctx('semi.txt'))).rejects.toThrow(/semi\.txt: missing mandatory columns PeOrgNr, Namn/)
    const h = await collect(scbBulk, streamOf(SCB_BULK_COLUMNS.join('\t') + '\r\n'), ctx('h.txt'))
    expect(h.records).toHaveLength(0)
    expect(h.rejections).toHaveLength(0)
  })
})
