// The shape every statistical-table reader produces (JSON-stat 2.0, SCB's CSV download) before the dimensions are
// recognised: dimensions with their categories in the table's order, and cells addressed by category positions.
export type DimensionKind = 'region' | 'occupation' | 'sex' | 'age' | 'time' | 'contents'

export interface Category {
  code: string
  label: string
  /** a total over the other categories of its dimension (sex "1+2", age "totalt"): never summed with them */
  total?: boolean
  unit?: string
}

export interface Dimension {
  id: string
  label: string
  /** a role the file itself declares (JSON-stat role.time/geo/metric) */
  role?: 'time' | 'geo' | 'metric'
  categories: Category[]
}

export interface RawCell {
  /** position of the cell's category in each dimension, in dimension order */
  at: number[]
  /** null = missing or protected; the status says why ("..") */
  value: number | null
  status: string | null
}

export interface ParsedTable {
  /** the publisher's table id when the file carries one (SCB JSON-stat: extension.px.tableid) */
  id: string | null
  title: string
  source: string | null
  updated: string | null
  unit: string | null
  dimensions: Dimension[]
  cells: RawCell[]
}

/** SCB's symbols for a cell without a number: ".." not available or too uncertain (protected), "." cannot occur. */
export const MISSING_SYMBOLS = new Set(['..', '.', '…'])
