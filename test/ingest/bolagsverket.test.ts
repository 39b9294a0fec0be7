import { describe, expect, it } from 'vitest'
import { bolagsverket } from '../../server/ingest/formats/bolagsverket.js'
import { collect, ctx, org, streamOf } from './helpers.js'
import { makeZip } from './zip-writer.js'

const HEADER = '"organisationsidentitet";"namnskyddslopnummer";"registreringsland";"organisationsnamn";"organisationsform";"avregistreringsdatum";"avregistreringsorsak";"pagandeAvvecklingsEllerOmstruktureringsforfarande";"registreringsdatum";"verksamhetsbeskrivning";"postadress"'
const AB = org('556677889')
const SOLE = org('850312123')

function q (...fields: string[]): string {
  return fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(';')
}

const FILE = [
  HEADER, // 1
  q(`${AB}$ORGNR-IDORG`, '', 'SE-LAND', 'Ateljé "Blå Dörren" AB$FORETAGSNAMN-ORGNAM$2019-04-15', 'AB-ORGFO', '', '', '', '2019-04-15',
    'Bolaget ska bedriva konstnärlig verksamhet;\nutställningar och "workshops".\n\nSamt därmed förenlig verksamhet.', 'Konstnärsgatan 1$c/o Ek$STOCKHOLM$11122$SE-LAND'), // 2–5
  '', // 6
  q(`${SOLE}$PERSONNR-IDORG`, '1', 'SE-LAND', 'Åsa Öbergs Foto$FORETAGSNAMN-ORGNAM$2020-01-01', 'E-ORGFO', '2023-05-01', 'AVREG-AVORG', 'KK-AVFO$2023-01-01', '2020-01-01', '', '$$VISBY$62150$SE-LAND'), // 7
  q(`${AB.slice(0, 9)}0$ORGNR-IDORG`, '', 'SE-LAND', 'Fel$X$2020-01-01', 'AB-ORGFO', '', '', '', '2020-01-01', '', ''), // 8
  q(`${org('556000001')}$ORGNR-IDORG`, '', 'SE-LAND', 'Kort'), // 9
  q(`${org('556000002')}$ORGNR-IDORG`, '', 'SE-LAND', 'Datum AB', 'AB-ORGFO', '2021-02-30', '', '', '2020-01-01', '', ''), // 10
  q(`${org('556000003')}$ORGNR-IDORG`, '', 'SE-LAND', 'Sist AB$FORETAGSNAMN-ORGNAM$', 'AB-ORGFO', '', '', '', '1999-12-31', 'rad1\r\nrad2', 'Gatan 2$$LUND$22100$SE-LAND'), // 11–12
].join('\r\n') + '\r\n'

describe('bolagsverket parser', () => {
  it('parses quoted, multi-line, $-tagged records with start lines', async () => {
    for (const chunk of [64 * 1024, 4]) {
      const { records, rejections } = await collect(bolagsverket, streamOf(FILE, chunk), ctx('bolagsverket_bulkfil.txt'))
      expect(records.map((r) => r.line)).toEqual([2, 7, 11])
      expect(rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
        [8, 'organisationsidentitet', 'bad checksum (Luhn) in organisation number'],
        [9, null, 'wrong number of columns: expected 11, found 4'],
        [10, 'avregistreringsdatum', 'invalid calendar date "2021-02-30"'],
      ])
      expect(records[0]).toEqual({
        line: 2, orgnr: AB, name: 'Ateljé "Blå Dörren" AB', legalFormText: 'AB-ORGFO', registeredOn: '2019-04-15', deregisteredOn: null,
        deregistrationReason: null, liquidation: null,
        description: 'Bolaget ska bedriva konstnärlig verksamhet;\nutställningar och "workshops".\n\nSamt därmed förenlig verksamhet.',
        street: 'Konstnärsgatan 1', postcode: '11122', city: 'STOCKHOLM',
        kommunCode: '0180', placement: 'postcode', locationPrecision: 'postcode', // placed by the parser, like every format
      })
      expect(records[1]).toMatchObject({ orgnr: SOLE, name: 'Åsa Öbergs Foto', legalFormText: 'E-ORGFO', deregisteredOn: '2023-05-01', deregistrationReason: 'AVREG-AVORG', liquidation: 'KK-AVFO$2023-01-01', street: null, city: 'VISBY', postcode: '62150', kommunCode: '0980' })
      expect(records[2]).toMatchObject({ name: 'Sist AB', description: 'rad1\nrad2', city: 'LUND', postcode: '22100' })
    }
  })

  it('accepts the API spelling pagaende…, reads from a zip, and fails on empty / headerless files', async () => {
    const text = HEADER.replace('pagande', 'pagaende') + '\n' + q(`${AB}$ORGNR-IDORG`, '', 'SE-LAND', 'A', 'AB-ORGFO', '', '', 'LIK-AVFO', '', '', '') + '\n'
    const zip = makeZip([{ name: 'bolagsverket_bulkfil.txt', data: Buffer.from(text) }])
    const r = await collect(bolagsverket, streamOf(zip), ctx('bolagsverket_bulkfil.zip'))
    expect(r.records).toMatchObject([{ line: 2, liquidation: 'LIK-AVFO' }])
    await expect(collect(bolagsverket, streamOf(''), ctx('b.txt'))).rejects.toThrow('b.txt: file is empty')
    await expect(collect(bolagsverket, streamOf('"a";"b"\n"1";"2"\n'), ctx('b.txt'))).rejects.toThrow('b.txt: missing mandatory column organisationsidentitet')
  })

  it('reports an unterminated quote at the line where the record starts', async () => {
    const text = HEADER + '\n' + q(`${AB}$ORGNR-IDORG`, '', 'SE-LAND', 'A', 'AB-ORGFO', '', '', '', '', '', '') + '\n"' + AB + '$ORGNR-IDORG";"\n'
    const r = await collect(bolagsverket, streamOf(text), ctx('b.txt'))
    expect(r.records).toHaveLength(1)
    expect(r.rejections).toMatchObject([{ line: 3, column: null }])
    expect(r.rejections[0].reason).toMatch(/unterminated quoted field/)
  })
})
