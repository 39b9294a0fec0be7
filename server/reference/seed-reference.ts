// Loads the shipped reference data (data/*.csv, *.geojson) into the database, once, in one transaction.
// Re-runs only when the files change (their hash is kept in meta.reference_hash), so a second start is fast.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { DbHandle, Tx } from '../db/client.js'
import { SIZE_CLASSES } from './size-classes.js'
import { readDataCsv } from './csv-file.js'
import { DATA_DIR } from '../paths.js'
import { NATURAL_PERSON_LEGAL_FORMS } from './legal-forms.js'

const FILES = ['lan.csv', 'kommuner.csv', 'population_kommun.csv', 'sni2007.csv', 'sni2025.csv', 'juridisk_form_2020.csv',
  'sun2020_inriktning.csv', 'region-sets.csv', 'kommuner_scb.geojson', 'kommuner_lm1m.geojson', 'lan_scb.geojson', 'lan_lm1m.geojson']

function referenceHash (): string {
  const h = createHash('sha256')
  for (const f of FILES) h.update(readFileSync(path.join(DATA_DIR, f)))
  h.update(JSON.stringify(SIZE_CLASSES))
  return h.digest('hex').slice(0, 16)
}

export async function seedReference (db: DbHandle, log: (m: string) => void = () => {}): Promise<boolean> {
  const hash = referenceHash()
  const { rows } = await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'reference_hash'")
  if (rows[0]?.value === hash) return false
  log('loading reference data (län, kommuner with boundaries, population, SNI 2007/2025, legal forms, SUN 2020)')
  await db.transaction(async (tx) => {
    await loadRegions(tx)
    await loadClassifications(tx)
    await tx.query(`INSERT INTO meta (key, value) VALUES ('reference_hash', $1)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [hash])
  })
  return true
}

async function upsertGeometries (tx: Tx, table: 'lan' | 'kommun', file: string, column: 'geom' | 'geom_detail', codeProp: string) {
  const fc = JSON.parse(readFileSync(path.join(DATA_DIR, file), 'utf8')) as { features: Array<{ properties: Record<string, string>; geometry: unknown }> }
  // One statement per layer: the features go in as a JSON array and PostGIS builds the geometries.
  await tx.query(`UPDATE ${table} t SET ${column} = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f.g::text), 4326))
    FROM (SELECT e->>'code' AS code, e->'g' AS g FROM jsonb_array_elements($1::jsonb) e) f WHERE t.code = f.code`,
  [JSON.stringify(fc.features.map((f) => ({ code: f.properties[codeProp], g: f.geometry })))])
}

async function loadRegions (tx: Tx) {
  const lan = readDataCsv('lan.csv')
  const kommuner = readDataCsv('kommuner.csv')
  await tx.query(`INSERT INTO lan (code, name) SELECT * FROM unnest($1::text[], $2::text[])
    ON CONFLICT (code) DO UPDATE SET name = excluded.name`, [lan.map((r) => r.lan_code), lan.map((r) => r.lan_name)])
  await tx.query(`INSERT INTO kommun (code, name, lan_code) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
    ON CONFLICT (code) DO UPDATE SET name = excluded.name, lan_code = excluded.lan_code`,
  [kommuner.map((r) => r.kommun_code), kommuner.map((r) => r.kommun_name), kommuner.map((r) => r.lan_code)])
  await upsertGeometries(tx, 'lan', 'lan_scb.geojson', 'geom', 'lan_code')
  await upsertGeometries(tx, 'lan', 'lan_lm1m.geojson', 'geom_detail', 'lan_code')
  await upsertGeometries(tx, 'kommun', 'kommuner_scb.geojson', 'geom', 'kommun_code')
  await upsertGeometries(tx, 'kommun', 'kommuner_lm1m.geojson', 'geom_detail', 'kommun_code')
  await tx.query('UPDATE kommun SET point = ST_PointOnSurface(geom)')
  await tx.query('UPDATE lan SET point = ST_PointOnSurface(geom)')
  const pop = readDataCsv('population_kommun.csv')
  await tx.query(`INSERT INTO population (kommun_code, year, population)
    SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
    ON CONFLICT (kommun_code, year) DO UPDATE SET population = excluded.population`,
  [pop.map((r) => r.kommun_code), pop.map((r) => Number(r.year)), pop.map((r) => Number(r.population))])
  const sets = readDataCsv('region-sets.csv')
  await tx.query('DELETE FROM region_set')
  const names = new Map<string, { name: string; description: string }>()
  for (const s of sets) if (!names.has(s.set_code)) names.set(s.set_code, { name: s.set_name, description: s.description })
  for (const [code, s] of names) await tx.query('INSERT INTO region_set (code, name, description) VALUES ($1, $2, $3)', [code, s.name, s.description || null])
  await tx.query(`INSERT INTO region_set_member (set_code, level, region_code) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
    [sets.map((s) => s.set_code), sets.map((s) => s.level), sets.map((s) => s.region_code)])
}

async function loadClassifications (tx: Tx) {
  for (const v of ['2007', '2025']) {
    const r = readDataCsv(`sni${v}.csv`)
    await tx.query(`INSERT INTO sni (version, code, level, title_sv, title_en, parent)
      SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[])
      ON CONFLICT (version, code) DO UPDATE SET level = excluded.level, title_sv = excluded.title_sv,
        title_en = excluded.title_en, parent = excluded.parent`,
    [v, r.map((x) => x.code), r.map((x) => Number(x.level)), r.map((x) => x.title_sv || null),
      r.map((x) => x.title_en || null), r.map((x) => x.parent || null)])
  }
  const lf = readDataCsv('juridisk_form_2020.csv')
  await tx.query(`INSERT INTO legal_form (code, title_sv, natural_person) SELECT * FROM unnest($1::text[], $2::text[], $3::bool[])
    ON CONFLICT (code) DO UPDATE SET title_sv = excluded.title_sv, natural_person = excluded.natural_person`,
  [lf.map((x) => x.code), lf.map((x) => x.title_sv), lf.map((x) => NATURAL_PERSON_LEGAL_FORMS.has(x.code))])
  await tx.query(`INSERT INTO size_class (code, label, min, max, estimate) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::real[])
    ON CONFLICT (code) DO UPDATE SET label = excluded.label, min = excluded.min, max = excluded.max, estimate = excluded.estimate`,
  [SIZE_CLASSES.map((c) => c.code), SIZE_CLASSES.map((c) => c.label), SIZE_CLASSES.map((c) => c.min),
    SIZE_CLASSES.map((c) => c.max), SIZE_CLASSES.map((c) => c.estimate)])
  const sun = readDataCsv('sun2020_inriktning.csv')
  await tx.query(`INSERT INTO sun_field (code, level, title_sv, parent, cci_relevance)
    SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[])
    ON CONFLICT (code) DO UPDATE SET level = excluded.level, title_sv = excluded.title_sv, parent = excluded.parent,
      cci_relevance = excluded.cci_relevance`,
  [sun.map((x) => x.code), sun.map((x) => Number(x.level)), sun.map((x) => x.title_sv), sun.map((x) => x.parent || null),
    sun.map((x) => x.cci_relevance || null)])
}
