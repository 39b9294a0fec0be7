// Response types of the KKB Atlas API (see /api/openapi.json). Only the fields the UI reads.
/** how dense the seeded demo is (server/demo/density.ts): a national sample plus län at full register density */
export interface DemoInfo { sampleCompanies: number; registerCompanies: number; fullDensityLan: Array<{ code: string; name: string }> }
export interface Health { status: string; database: string; postgis: string; dataVersion: number; synthetic: boolean; years: number[]; demo: DemoInfo | null }

export interface DefinitionSummary { id: string; version: string; name: string; provisional: boolean; national: boolean }
export interface SniCode { code: string; version: string; title: string | null; share: number }
export interface Category { code: string; name: string; sni: SniCode[] }
export interface Group { code: string; name: string; categories: Category[] }
export interface Definition extends DefinitionSummary { description: string | null; source: string | null; groups: Group[] }

export type SuppressionFlag = null | 'min-companies' | 'dominance' | 'secondary'
export interface KeyFigureRow {
  year: number; regionLevel: string; regionCode: string; regionName: string; parentCode: string | null
  branchLevel: string; branchCode: string; branchName: string
  companies: number; companiesAll: number; shareCompanies: number | null; lqCompanies: number | null; workplaces: number | null
  employees: number | null; employeesAll: number | null; shareEmployees: number | null; lqEmployees: number | null
  turnover: number | null; valueAdded: number | null; population: number | null; per10k: number | null
  companiesChange: number | null; companiesChangePct: number | null
  suppressed: {
    employees: SuppressionFlag; turnover: SuppressionFlag; valueAdded: SuppressionFlag; shareEmployees: SuppressionFlag; lqEmployees: SuppressionFlag
  }
}
export interface KeyFigures {
  definition: DefinitionSummary; year: number | null; years: number[]; level: string; rows: KeyFigureRow[]
  /** with lan=: the län and riket rows of the same branches and years */
  context?: KeyFigureRow[]
  meta: { source: string; generatedAt: string; synthetic: boolean; dataVersion: number; yearsAvailable: number[]
    sources: Array<{ source: string; refYear: number | null; synthetic: boolean; importedAt: string }>
    suppression: { minCompanies: number; dominance: number; rule: string }
    /** year → the SNI version most of its companies are coded in; where it changes, a series crosses the SNI break */
    sniVersionByYear: Record<string, string> }
}

/** GET /api/key-figures/flows (period=year): births and closures of a region × branch; null = no snapshot of the year. */
export interface FlowRow {
  regionCode: string; branchLevel: string; branchCode: string; period: string; year: number; quarter: number | null
  births: number | null; closures: number | null; net: number | null; closuresDatesOnly: boolean
}
export interface Flows { snapshots: number[]; rows: FlowRow[] }
/** GET /api/key-figures/survival: of the companies registered in `cohort`, how many are active in the snapshot of `year`. */
export interface SurvivalRow {
  regionLevel: string; regionCode: string; regionName: string; branchLevel: string; branchCode: string; branchName: string
  cohort: number; year: number; started: number; surviving: number | null; rate: number | null
}
export interface Survival { definition: DefinitionSummary; level: string; snapshots: number[]; rows: SurvivalRow[]
  meta: { source: string; generatedAt: string; synthetic: boolean; dataVersion: number } }

export type ActorKind = 'company' | 'workplace' | 'education'
export interface Actor {
  id: number; kind: ActorKind; orgnr?: string; name: string; legalForm: string | null; sni: string[]
  group: string | null; category: string | null; kommunCode: string | null; lanCode: string | null
  employees: number | null; sizeClass: string | null; lon: number | null; lat: number | null
  locationPrecision: string | null; soleTrader: boolean; street?: string | null; postcode?: string | null
  city: string | null; registeredOn: string | null; synthetic: boolean
}
/** totalExact is false when a name search has more matches than the API counts (total is then a lower bound) */
export interface ActorPage { items: Actor[]; total: number; totalExact?: boolean; nextCursor: string | null }
export interface ActorDetail extends Actor {
  turnover?: number | null; valueAdded?: number | null; groupName?: string | null; categoryName?: string | null
  legalFormName?: string | null; refYear?: number; source?: string; placement?: string
  sniCodes?: { code: string; rank: number; title: string | null }[]
  workplaces?: { id: number; workplaceId: string; name: string; kommunCode: string; employees: number | null; sni: string }[]
  importBatch?: { id: number; format?: string; source?: string; importedAt?: string; fileName?: string } | null
  providerType?: string | null
  url?: string | null
  programmes?: { name?: string; sunCode?: string; sunTitle?: string; places?: number | null }[]
}

/** Properties of /api/regions?format=geojson features. */
export interface RegionProps { code: string; name: string; lanCode: string | null; level: 'kommun' | 'lan' }
export type RegionCollection = GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, RegionProps>

/** /api/reference/size-classes: SCB employee size classes (max null = open-ended) */
export interface SizeClass { code: string; label: string; min: number; max: number | null }
/** /api/reference/legal-forms: SCB legal forms (title in Swedish); naturalPerson = sole traders */
export interface LegalForm { code: string; title: string; naturalPerson: boolean }

/** /api/key-figures/occupations: people by workplace region from an imported statistical table (SSYK 2012). */
export type CellFlag = null | 'includes-missing' | 'missing'
export interface OccupationGroup {
  group: 'total' | 'sex' | 'age' | 'occupation'; code: string; label: string
  employed: number | null; kkOccupations: number | null; share: number | null; per10k: number | null; lq: number | null
  change: number | null; changePct: number | null; missingCells: number
  flags: { employed: CellFlag; kkOccupations: CellFlag; share: CellFlag; per10k: CellFlag; lq: CellFlag; change: CellFlag }
}
export interface OccupationRow extends Omit<OccupationGroup, 'group' | 'code' | 'label'> {
  year: number; regionLevel: string; regionCode: string; regionName: string; parentCode: string | null
  population: number | null; from: 'table' | 'kommuner' | 'lan'; coverage: { present: number; of: number } | null
  bySex: OccupationGroup[]; byAge: OccupationGroup[]; byOccupation: OccupationGroup[]
}
export interface Occupations {
  table: { id: string; title: string; source: string; updated: string | null; unit: string | null; synthetic?: boolean }
  occupationList: { id: string; version: string; name: string }
  level: string; years: number[]; allYears: number[]; sex: string | null; rows: OccupationRow[]
}

/** /api/key-figures/education-need: per SUN field and län */
export interface EducationNeedRow {
  lanCode: string; lanName: string; sunPrefix: string; sunTitle: string | null; mappingNote: string
  programmes: number; providers: number; places: number; placesReported: number; applicants?: number | null
  applications?: number | null; applicationsGranted?: number | null
  relatedGroup: string | null; relatedGroupName: string | null
  companies: number | null; employees: number | null; employeesSuppressed: boolean; lqCompanies: number | null; lqEmployees: number | null
  occupations: string[]; people: number | null; peopleFlag: CellFlag; lqOccupations: number | null
  specialisedBy: string[]; specialisedWithoutProgramme: boolean
}
export interface EducationNeed {
  synthetic: boolean; years: { education: number | null; companies: number | null; occupations: number | null }
  occupationTable: Occupations['table'] | null; threshold: number; rows: EducationNeedRow[]
}

/** GET /api/key-figures/compare: regions side by side with their ranks (issue #21). */
export interface Rank { rank: number; of: number; percentile: number | null }
export interface CompareRegion {
  regionLevel: 'kommun' | 'lan' | 'riket'; regionCode: string; regionName: string; lanCode: string | null; lanName: string | null
  row: KeyFigureRow
  ranks: Record<string, { riket: Rank | null; lan: Rank | null }>
}
export interface Compare {
  definition: DefinitionSummary; year: number | null; branch: { level: string; code: string; name: string }
  measures: string[]; peers: { kommun: number; lan: number }; regions: CompareRegion[]
  meta: { source: string; synthetic: boolean }
}
/** GET /api/key-figures/similar */
export interface Similar {
  kommun: { regionCode: string; regionName: string; population: number | null; companies: number }
  items: Array<{ regionCode: string; regionName: string; lanCode: string; lanName: string; population: number | null; companies: number
    distance: number; populationDistance: number; structureDistance: number }>
}
