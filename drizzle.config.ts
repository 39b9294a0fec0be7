import { defineConfig } from 'drizzle-kit'

// Only `drizzle-kit generate` is used (no database needed); migrations are applied by the app itself on start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './migrations',
  extensionsFilters: ['postgis'],
  tablesFilter: ['!spatial_ref_sys', '!geometry_columns', '!geography_columns'],
})
