import { customType, integer, real, text } from 'drizzle-orm/pg-core'

// drizzle's built-in geometry() drops the SRID and only knows points (STYLE.md pitfall 8):
// a custom type writes the subtype and SRID into the DDL. Geometry is read and written in SQL, never decoded in JS.
export const geometry = (kind: 'Point' | 'MultiPolygon', srid = 4326) =>
  customType<{ data: string; driverData: string }>({ dataType: () => `geometry(${kind},${srid})` })

// Column groups that every register actor table (company, workplace) and the change log's before images (company_change)
// hold under the same names, so the one actor predicate (actors/filters.ts) and the placement rule (ingest/placement)
// read them alike. Functions, not objects: drizzle needs fresh builders per table.

/** Where an actor sits: kommun/län, how it was placed, its postal address, the exact point and the point the public may
 *  see (a sole trader's kommun point), and the precision of the point. */
export const locationColumns = () => ({
  kommunCode: text('kommun_code'),
  lanCode: text('lan_code'),
  placement: text(),
  street: text(),
  postcode: text(),
  city: text(),
  geom: geometry('Point')(),
  geomPublic: geometry('Point')('geom_public'),
  locationPrecision: text('location_precision'),
})

/** Size: exact employees, the register's size class, and the exact figure else the size class's estimate (null when
 *  neither is known). */
export const sizeColumns = () => ({
  employees: integer(),
  sizeClass: text('size_class'),
  employeesEst: real('employees_est'),
})
