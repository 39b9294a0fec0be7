// A labelled synthetic set of curated entries, so a new user sees the curated layers (issue #16): places of every type
// except persons (a person needs their own consent, which a generator cannot give) in a spread of kommuner, published,
// marked synthetic (the API and the map say "Demodata") and named "Demo: …". Removed by the first real staff list.
import type { DbHandle } from '../db/client.js'
import { insertEntry } from '../curated/entries.js'
import { readEntry } from '../curated/validate.js'
import { taxonomy, type CuratedType } from '../curated/taxonomy.js'
import { loadRefData } from '../reference/ref-data.js'
import { loadKommunGeometry, pointInKommun } from './geo.js'
import { Rng } from './random.js'

/** Two kommuner of every län (the first two codes), so every region has something on its map. */
function demoKommuner (): string[] {
  const byLan = new Map<string, string[]>()
  for (const [code, k] of loadRefData().kommuner) {
    if (!byLan.has(k.lanCode)) byLan.set(k.lanCode, [])
    byLan.get(k.lanCode)!.push(code)
  }
  return [...byLan.values()].flatMap((ks) => ks.sort().slice(0, 2))
}

export async function seedDemoCurated (db: DbHandle, log: (m: string) => void): Promise<number> {
  // only into an empty registry (never again once anything was curated, even if deleted) beside a synthetic register
  const { rows } = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM curated_entry) OR EXISTS (SELECT 1 FROM curated_history)
    OR EXISTS (SELECT 1 FROM company WHERE NOT synthetic) AS any`)
  if (rows[0].any) return 0
  const ref = loadRefData()
  const geo = loadKommunGeometry()
  const types = taxonomy().types.filter((t) => t.code !== 'person')
  let n = 0
  await db.transaction(async (tx) => {
    for (const kommun of demoKommuner()) {
      const rng = Rng.of(16, Number(kommun))
      const g = geo.get(kommun)
      const count = 1 + (rng.next() % 3)
      for (let i = 0; i < count; i++) {
        const t = types[rng.next() % types.length]
        const subtype = t.subtypes.length ? t.subtypes[rng.next() % t.subtypes.length] : null
        let lon: number | null = null; let lat: number | null = null
        for (let tries = 0; g && tries < 50 && lon === null; tries++) {
          const x = g.bbox[0] + rng.float() * (g.bbox[2] - g.bbox[0])
          const y = g.bbox[1] + rng.float() * (g.bbox[3] - g.bbox[1])
          if (pointInKommun(g, x, y)) { lon = Math.round(x * 1e5) / 1e5; lat = Math.round(y * 1e5) / 1e5 }
        }
        const name = `Demo: ${label(t.code, subtype)} ${ref.kommuner.get(kommun)!.name}${i ? ` ${i + 1}` : ''}`
        const r = readEntry({ name, type: t.code, subtype, kommun, lat, lon, published: true, source: 'syntetisk demodata',
          description: 'Syntetisk post för att visa kartlagren; ingen verklig plats.' }, ref, 'demo-seed')
        if (!r.fields) continue
        await insertEntry(tx, r.fields, 'demo-seed', 'import', true)
        n++
      }
    }
  })
  log(`demo data: ${n} synthetic curated entries`)
  return n
}

const label = (type: CuratedType, subtype: string | null) =>
  subtype ? subtype.charAt(0).toUpperCase() + subtype.slice(1) : { venue: 'Scen', workspace: 'Ateljé', support: 'Främjare', association: 'Förening', person: 'Person', other: 'Plats' }[type]
