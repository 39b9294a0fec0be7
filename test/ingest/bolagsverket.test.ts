// Bolagsverket's bulk file in its published layout (real-formats.md): unquoted header, every value quoted, inner quotes
// NOT doubled, LF line ends, `$`-tagged values, one row per identity and name-protection number.
import { describe, expect, it } from 'vitest'
import { bolagsverket, parseAddress, splitLine } from '../../server/ingest/formats/bolagsverket.js'
import { collect, ctx, org, streamOf } from './helpers.js'
import { makeZip } from './zip-writer.js'
import { BV_HEADER, bvRow } from './bolagsverket-content.js'

const AB = org('556677889')
const SOLE = org('850312123') // a personal identity number: Bolagsverket writes it with its century, 19…
const FOR = org('556000004')

const FILE = [
  BV_HEADER, // 1
  bvRow(`${AB}$ORGNR-IDORG`, '1', 'SE-LAND', 'Ensillre Väglyseförening "Ljuspunkten" med firma Ljuspunkten.$FORETAGSNAMN-ORGNAM$1985-10-01|Ljuspunkten Scen$SARS_FORNAMN-ORGNAM$1990-01-01$scenverksamhet', 'AB-ORGFO', '', '', '', '1985-10-01',
    'Skyltar 24" breda; "konst"', 'Konstnärsgatan 1$c/o Ek$STOCKHOLM$11122$SE-LAND'), // 2
  bvRow(`19${SOLE}$PERSON-IDORG`, '1', 'SE-LAND', 'Åsa Öbergs Foto$FORETAGSNAMN-ORGNAM$2020-01-01', 'E-ORGFO', '2023-05-01', 'AVREG-AVORG', '', '2020-01-01', '', '$$VISBY$62150$SE-LAND'), // 3
  bvRow(`19${SOLE}$PERSON-IDORG`, '2', 'SE-LAND', 'Öbergs Bildbyrå$FORETAGSNAMN-ORGNAM$2021-06-01', 'E-ORGFO', '', '', '', '2021-06-01', '', '$$VISBY$62150$SE-LAND'), // 4
  bvRow(`${AB.slice(0, 9)}0$ORGNR-IDORG`, '1', 'SE-LAND', 'Fel$FORETAGSNAMN-ORGNAM$2020-01-01', 'AB-ORGFO', '', '', '', '2020-01-01', '', ''), // 5
  bvRow(`${org('556000001')}$ORGNR-IDORG`, '1', 'SE-LAND', 'Kort'), // 6
  '', // 7
  bvRow(`${org('556000002')}$ORGNR-IDORG`, '1', 'SE-LAND', 'Na\u0000mn AB$FORETAGSNAMN-ORGNAM$2020-01-01', 'AB-ORGFO', '', '', '|LI-AVOMFO$2026-04-01', '2020-01-01', '', ''), // 8
  bvRow(`${org('556000003')}$ORGNR-IDORG`, '1', 'SE-LAND', 'Datum AB$FORETAGSNAMN-ORGNAM$2020-01-01', 'AB-ORGFO', '2021-02-30', 'KKAV-AVORG', '', '2020-01-01', '', ''), // 9
  bvRow(`${FOR}$ORGNR-IDORG`, '1', 'SE-LAND', 'Ålands Konst Ab$FORETAGSNAMN-ORGNAM$2001-01-01', 'AB-ORGFO', '', '', '|KKAVOV-AVSLAVOMFO$2025-03-11|KK-AVOMFO$2024-06-05', '2001-01-01', '', 'Storagatan 1$$MARIEHAMN$AX-22100$FI-LAND'), // 10
].join('\n') + '\n'

describe('bolagsverket parser (published layout)', () => {
  it('splits on the quote-semicolon-quote boundary: bare quotes and semicolons inside values are kept', () => {
    expect(splitLine('"a "b" c";"";"x;y";"24""')).toEqual({ fields: ['a "b" c', '', 'x;y', '24"'], open: false })
    expect(splitLine('a;b;;c')).toEqual({ fields: ['a', 'b', '', 'c'], open: false })
    expect(splitLine('"a";"b')).toEqual({ fields: ['a', 'b'], open: true })
  })

  it('reads every row of the layout, with the right line for each rejection', async () => {
    for (const chunk of [64 * 1024, 5]) {
      const { records, rejections } = await collect(bolagsverket, streamOf(FILE, chunk), ctx('bolagsverket_bulkfil.txt'))
      expect(records.map((r) => [r.line, r.orgnr, r.protectionNo])).toEqual([
        [2, AB, 1], [3, SOLE, 1], [4, SOLE, 2], [8, org('556000002'), 1], [10, FOR, 1],
      ])
      expect(rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
        [5, 'organisationsidentitet', 'bad checksum (Luhn) in organisation number'],
        [6, null, 'wrong number of columns: expected 11, found 4'],
        [9, 'avregistreringsdatum', 'invalid calendar date "2021-02-30"'],
      ])
      expect(records[0]).toEqual({
        line: 2, orgnr: AB, protectionNo: 1, name: 'Ensillre Väglyseförening "Ljuspunkten" med firma Ljuspunkten.',
        names: [
          { name: 'Ensillre Väglyseförening "Ljuspunkten" med firma Ljuspunkten.', kind: 'FORETAGSNAMN-ORGNAM', registeredOn: '1985-10-01' },
          { name: 'Ljuspunkten Scen', kind: 'SARS_FORNAMN-ORGNAM', registeredOn: '1990-01-01' },
        ],
        legalFormText: 'AB-ORGFO', registeredOn: '1985-10-01', deregisteredOn: null, deregistrationReason: null, liquidation: null, events: [],
        description: 'Skyltar 24" breda; "konst"',
        street: 'Konstnärsgatan 1', coAddress: 'c/o Ek', postcode: '11122', city: 'STOCKHOLM', country: 'SE',
        kommunCode: '0180', placement: 'postcode', locationPrecision: 'postcode',
      })
      expect(records[1]).toMatchObject({ name: 'Åsa Öbergs Foto', legalFormText: 'E-ORGFO', deregisteredOn: '2023-05-01', deregistrationReason: 'AVREG-AVORG', city: 'VISBY', postcode: '62150', kommunCode: '0980' })
      expect(records[2]).toMatchObject({ name: 'Öbergs Bildbyrå', deregisteredOn: null })
      expect(records[3]).toMatchObject({ name: 'Namn AB', liquidation: 'LI-AVOMFO$2026-04-01', events: [{ code: 'LI-AVOMFO', date: '2026-04-01' }] })
      // a foreign address is kept, never placed in a Swedish kommun
      expect(records[4]).toMatchObject({
        city: 'MARIEHAMN', postcode: null, country: 'FI', kommunCode: null,
        events: [{ code: 'KKAVOV-AVSLAVOMFO', date: '2025-03-11' }, { code: 'KK-AVOMFO', date: '2024-06-05' }],
      })
    }
  })

  it('removes NUL bytes and notes each removal', async () => {
    const rows: Array<{ line: number; reason: string; column: string | null }> = []
    for await (const batch of bolagsverket(streamOf(FILE), ctx('bolagsverket_bulkfil.txt'))) {
      for (const r of batch) if (r.ok && r.note) rows.push(r.note)
    }
    expect(rows).toMatchObject([{ line: 8, column: 'organisationsnamn', reason: '1 NUL byte(s) removed; the row was imported' }])
  })

  it('rejects an unterminated quoted value on its own line and reads on from the next line', async () => {
    const text = [BV_HEADER,
      `"${AB}$ORGNR-IDORG";"1";"SE-LAND";"Trasig AB$FORETAGSNAMN-ORGNAM$2020-01-01";"AB-ORGFO";"";"";"";"2020-01-01";"";"Gata 1$$LUND$22100$SE-LAND`,
      bvRow(`${FOR}$ORGNR-IDORG`, '1', 'SE-LAND', 'Hel AB$FORETAGSNAMN-ORGNAM$2020-01-01', 'AB-ORGFO', '', '', '', '2020-01-01', '', ''),
    ].join('\n') + '\n'
    const r = await collect(bolagsverket, streamOf(text), ctx('b.txt'))
    expect(r.records.map((x) => [x.line, x.name])).toEqual([[3, 'Hel AB']])
    expect(r.rejections).toMatchObject([{ line: 2, column: 'postadress' }])
    expect(r.rejections[0].reason).toMatch(/unterminated quoted value/)
  })

  it('tolerates a value continued on the next line, CRLF, a quoted header and the API spelling pagaende…', async () => {
    const text = [`"${BV_HEADER.replaceAll(';', '";"').replace('pagande', 'pagaende')}"`,
      bvRow(`${AB}$ORGNR-IDORG`, '1', 'SE-LAND', 'A AB$FORETAGSNAMN-ORGNAM$2020-01-01', 'AB-ORGFO', '', '', 'LI-AVOMFO$2026-01-02', '', 'rad ett\nrad två', ''),
      bvRow(`${FOR}$ORGNR-IDORG`, '1', 'SE-LAND', 'B AB$FORETAGSNAMN-ORGNAM$2020-01-01', 'AB-ORGFO', '', '', '', '', '', ''),
    ].join('\r\n') + '\r\n'
    const zip = makeZip([{ name: 'bolagsverket_bulkfil.txt', data: Buffer.from(text) }])
    const r = await collect(bolagsverket, streamOf(zip), ctx('bolagsverket_bulkfil.zip'))
    expect(r.rejections).toEqual([])
    expect(r.records.map((x) => [x.line, x.description, x.liquidation])).toEqual([[2, 'rad ett\nrad två', 'LI-AVOMFO$2026-01-02'], [4, null, null]])
    await expect(collect(bolagsverket, streamOf(''), ctx('b.txt'))).rejects.toThrow('b.txt: file is empty')
    await expect(collect(bolagsverket, streamOf('a;b\n"1";"2"\n'), ctx('b.txt'))).rejects.toThrow('b.txt: missing mandatory column organisationsidentitet')
  })

  it('reads postadress as gata$c/o$ORT$postnr$LAND, tolerating a missing postcode and a swapped order', () => {
    expect(parseAddress('Box 1$$STOCKHOLM$11122$SE-LAND')).toEqual({ street: 'Box 1', coAddress: null, city: 'STOCKHOLM', postcode: '11122', country: 'SE' })
    expect(parseAddress('Gata 2$$LUND$$SE-LAND')).toMatchObject({ city: 'LUND', postcode: null })
    expect(parseAddress('Gata 2$$22100$LUND$SE-LAND')).toMatchObject({ city: 'LUND', postcode: '22100' })
    expect(parseAddress('Gate 1$$OSLO$0154$NO-LAND')).toMatchObject({ city: 'OSLO', postcode: null, country: 'NO' })
    expect(parseAddress('')).toEqual({ street: null, coAddress: null, city: null, postcode: null, country: null })
  })
})
