// Response schemas of /api/key-figures/occupations and /api/key-figures/education-need (JSON answers). They document the
// shape in the OpenAPI document and, as every response schema, decide what is serialised: a field not declared here
// never reaches a client, so test/statistics/response-shapes.test.ts compares the answer with the computed result.
import { Type } from 'typebox'
import { StringEnum } from '../schema.js'

const N = Type.Union([Type.Number(), Type.Null()])
const S = Type.Union([Type.String(), Type.Null()])
const I = Type.Union([Type.Integer(), Type.Null()])
const Flag = Type.Union([Type.Null(), StringEnum(['includes-missing', 'missing'])], {
  description: 'includes-missing: the sum includes missing (..) cells and is the sum of the known ones; missing: nothing known (the value is null)',
})
const Flags = Type.Object({ employed: Flag, kkOccupations: Flag, share: Flag, per10k: Flag, lq: Flag, change: Flag })

const figures = {
  employed: N, kkOccupations: N, share: N, per10k: N, lq: N, change: N, changePct: N,
  missingCells: Type.Integer({ description: 'missing cells inside the employed sum (the kkOccupations sum is part of it)' }),
  flags: Flags,
}
const Group = Type.Object({
  group: StringEnum(['total', 'sex', 'age', 'occupation']), code: Type.String(), label: Type.String(), ...figures,
})
const OccupationRow = Type.Object({
  year: Type.Integer(), regionLevel: StringEnum(['kommun', 'lan', 'riket']), regionCode: Type.String(), regionName: Type.String(), parentCode: S,
  population: N, populationYear: I,
  from: StringEnum(['table', 'kommuner', 'lan'], { description: 'the region\'s own cells, or the sum of its kommuner or län in the table' }),
  coverage: Type.Union([Type.Object({ present: Type.Integer(), of: Type.Integer() }), Type.Null()]),
  ...figures,
  bySex: Type.Array(Group), byAge: Type.Array(Group), byOccupation: Type.Array(Group),
})

export const StatTable = Type.Object({
  id: Type.String(), title: Type.String(), source: Type.String(), updated: S, unit: S, importedAt: Type.String(),
  synthetic: Type.Boolean({ description: 'the demo\'s synthetic table, never SCB\'s figures' }),
  contents: Type.Union([Type.Object({ code: Type.String(), label: Type.String() }), Type.Null()]),
})
const Text = Type.Record(Type.String(), Type.String())

export const OccupationResult = Type.Object({
  table: StatTable,
  occupationList: Type.Object({
    id: Type.String(), version: Type.String(), name: Type.String(), source: S,
    codes: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  }),
  level: StringEnum(['kommun', 'lan', 'riket']), years: Type.Array(Type.Integer()), allYears: Type.Array(Type.Integer()),
  sex: S, rows: Type.Array(OccupationRow),
  meta: Type.Object({ generatedAt: Type.String(), counts: Type.String(), formulas: Text }),
})

const EducationNeedRow = Type.Object({
  lanCode: Type.String(), lanName: Type.String(), sunPrefix: Type.String(), sunTitle: S, mappingNote: Type.String(),
  programmes: Type.Integer(), providers: Type.Integer(), places: Type.Integer(), placesReported: Type.Integer(),
  applicants: Type.Union([Type.Integer(), Type.Null()], { description: 'applicants (sökande) of the programmes that report them; null when none does' }),
  applicantsReported: Type.Integer(),
  applications: Type.Union([Type.Integer(), Type.Null()], { description: 'applications to run a programme (MYH, with their decision); null when no table of applications is imported for the year' }),
  applicationsGranted: Type.Union([Type.Integer(), Type.Null()]), placesApplied: Type.Union([Type.Integer(), Type.Null()]),
  relatedGroup: S, relatedGroupName: S,
  companies: N, employees: N, employeesSuppressed: Type.Boolean(), lqCompanies: N, lqEmployees: N,
  occupations: Type.Array(Type.String()), people: N, peopleFlag: Flag, lqOccupations: N,
  specialisedBy: Type.Array(StringEnum(['lqEmployees', 'lqCompanies', 'lqOccupations'])), specialisedWithoutProgramme: Type.Boolean(),
})
export const EducationNeedResult = Type.Object({
  synthetic: Type.Boolean(),
  years: Type.Object({ education: I, companies: I, occupations: I }),
  definition: Type.Object({ id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean() }),
  occupationTable: Type.Union([StatTable, Type.Null()]),
  applicationTable: Type.Union([Type.Object({ year: I, total: Type.Integer(), counted: Type.Integer({ description: 'applications with a län and a SUN field' }) }), Type.Null()]),
  threshold: Type.Number(), provisional: Type.Boolean(),
  method: Type.Object({ en: Text, sv: Text }),
  rows: Type.Array(EducationNeedRow),
})

/** JSON, or a file (csv, xlsx, JSON-stat) with its own content type. */
export const orFile = <T extends ReturnType<typeof Type.Object>>(json: T) =>
  Type.Union([json, Type.Unknown({ description: 'format=csv, xlsx or jsonstat: the file' })])
