import { customType } from 'drizzle-orm/pg-core'

// drizzle's built-in geometry() drops the SRID and only knows points (STYLE.md pitfall 8):
// a custom type writes the subtype and SRID into the DDL. Geometry is read and written in SQL, never decoded in JS.
export const geometry = (kind: 'Point' | 'MultiPolygon', srid = 4326) =>
  customType<{ data: string; driverData: string }>({ dataType: () => `geometry(${kind},${srid})` })
