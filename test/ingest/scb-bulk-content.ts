// Builds SCB bulk-file content (34 TAB-separated columns, no quoting) for tests and committed fixtures.
import { luhnCheckDigit } from '../../server/ingest/validate.js'

export const SCB_BULK_COLUMNS = [
  'PeOrgNr', 'Namn', 'Foretagsnamn', 'FtgStat', 'JEStat', 'JurForm', 'COAdress', 'Gatuadress', 'PostNr', 'PostOrt',
  'Ng1', 'Ng2', 'Ng3', 'Ng4', 'Ng5', 'RegDatKtid', 'Reklamsparrtyp', 'ForAndrTyp',
  'mCOAdress', 'mForetagsnamn', 'mFtgStat', 'mGatuadress', 'mJEStat', 'mJurForm', 'mNamn',
  'mNg1', 'mNg2', 'mNg3', 'mNg4', 'mNg5', 'mPostNr', 'mPostOrt', 'mRegDatKtid', 'mReklamsparrtyp',
]

export function withCheck (prefix9: string): string { return prefix9 + luhnCheckDigit(prefix9) }

export function bulkRow (values: Partial<Record<string, string>>): string {
  return SCB_BULK_COLUMNS.map((c) => values[c] ?? (c.startsWith('m') ? '0' : '')).join('\t')
}

export const AB_ORGNR = withCheck('556677889') // synthetic
export const SOLE_PNR12 = '19' + withCheck('850312123') // synthetic personnummer 850312-123x
export const TAGET_ORGNR = withCheck('559012345')
export const VISBY_ORGNR = withCheck('802400123')

/**
 * The main fixture: 12 physical lines, header on line 1, mixed CRLF/LF endings, a blank line (11).
 * Records on lines 2, 3, 4, 10, 12; rejections on 5 (checksum), 6 (column count), 7 (unknown SNI),
 * 8 (unknown legal form), 9 (bad date).
 */
export function scbBulkFixtureText (): string {
  const rows = [
    SCB_BULK_COLUMNS.join('\t'),
    bulkRow({ PeOrgNr: '16' + AB_ORGNR, Namn: 'ATELJÉ "BLÅ DÖRREN" AB', Foretagsnamn: 'Ateljé "Blå Dörren" AB', FtgStat: '1', JEStat: '1', JurForm: '49', Gatuadress: 'Konstnärsgatan 1', PostNr: '111 22', PostOrt: 'STOCKHOLM', Ng1: '90030', Ng2: '74201', RegDatKtid: '20190415', Reklamsparrtyp: '1' }),
    bulkRow({ PeOrgNr: SOLE_PNR12, Namn: 'Åsa "Lillan" Öberg', FtgStat: '1', JurForm: '10', Gatuadress: 'Strandgatan 3', PostNr: '62150', PostOrt: 'VISBY', Ng1: '74202', Ng2: '     ', RegDatKtid: '20200101', Reklamsparrtyp: '2' }),
    bulkRow({ PeOrgNr: '16' + TAGET_ORGNR, Namn: '"Teater Tåget', JurForm: '49', FtgStat: '9', PostOrt: 'KIRUNA', Ng1: '90010', RegDatKtid: '19990101', Reklamsparrtyp: '1' }),
    bulkRow({ PeOrgNr: '16' + AB_ORGNR.slice(0, 9) + String((Number(AB_ORGNR[9]) + 3) % 10), Namn: 'Felsiffran AB', JurForm: '49', FtgStat: '1', Ng1: '90030' }),
    bulkRow({ PeOrgNr: '16' + AB_ORGNR, Namn: 'Kort rad AB', JurForm: '49' }).split('\t').slice(0, 33).join('\t'),
    bulkRow({ PeOrgNr: '16' + withCheck('556000111'), Namn: 'Okänd Bransch AB', JurForm: '49', FtgStat: '1', Ng1: '90030', Ng2: '85520' }),
    bulkRow({ PeOrgNr: '16' + withCheck('556000222'), Namn: 'Konstig Form', JurForm: '77', FtgStat: '1', Ng1: '90030' }),
    bulkRow({ PeOrgNr: '16' + withCheck('556000333'), Namn: 'Datumfel AB', JurForm: '49', FtgStat: '1', Ng1: '90030', RegDatKtid: '20231345' }),
    bulkRow({ PeOrgNr: '16' + VISBY_ORGNR, Namn: 'Norsk Förening', JurForm: '61', FtgStat: '1', PostNr: 'N-0150', PostOrt: 'OSLO', Ng1: '90.040', RegDatKtid: '20100203' }),
    '',
    bulkRow({ PeOrgNr: '16' + withCheck('556111222'), Namn: 'Filmbolaget Ö AB', JurForm: '49', FtgStat: '1', PostNr: '41111', PostOrt: 'GÖTEBORG', Ng1: '59110', RegDatKtid: '2015-06-30' }),
  ]
  // mixed line endings: CRLF after even lines, LF after odd ones, no newline at the very end
  let out = ''
  rows.forEach((r, i) => { out += r + (i === rows.length - 1 ? '' : i % 2 === 0 ? '\r\n' : '\n') })
  return out
}
