// Response schema of /api/key-figures/education (JSON). As every response schema it decides what is serialised: a field
// not declared here never reaches a client (test/statistics/education-need.test.ts compares the answer with the result).
import { Type } from 'typebox'

const S = Type.Union([Type.String(), Type.Null()])
const I = Type.Union([Type.Integer(), Type.Null()])

const EducationRow = Type.Object({
  year: Type.Integer(), regionCode: Type.String(), regionName: Type.String(),
  sunCode: Type.String({ description: 'SUN 2020 inriktning, 3 characters' }), sunTitle: S,
  providers: Type.Integer(), programmes: Type.Integer(),
  places: Type.Integer({ description: 'sum of the reported places' }), placesReported: Type.Integer({ description: 'programmes that report places' }),
  relatedGroup: S, relatedGroupName: S, relatedCompanies: Type.Union([Type.Number(), Type.Null()]),
})

export const EducationFiguresResult = Type.Object({
  year: I,
  // absent when nothing is imported (year null)
  companiesYear: Type.Optional(I),
  definition: Type.Optional(Type.Object({
    id: Type.String(), version: Type.String(), name: Type.String(), provisional: Type.Boolean(), national: Type.Boolean(),
  })),
  rows: Type.Array(EducationRow),
})
