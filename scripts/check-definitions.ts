// Self-check for the KKB definitions shipped as data in data/definitions/.
// Run: npx tsx scripts/check-definitions.ts   (exits 1 on any problem)
//
// Checks every data/definitions/*.json + its CSV: JSON fields, CSV header, code formats,
// consistent group/category names, ≥1 SNI code per category and SNI version, every code exists
// as a level-5 code in data/sni2007.csv / data/sni2025.csv, no duplicate (sni_version, sni_code).
// Kreametern additionally: exactly the 9 groups / 21 categories of the national definition.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { parse } from 'csv-parse/sync'

const root = new URL('../', import.meta.url)
const dataDir = new URL('data/', root)
const defDir = new URL('data/definitions/', root)

const HEADER = ['group_code', 'group_name', 'category_code', 'category_name', 'sni_version', 'sni_code', 'share', 'confidence', 'note']
const VERSIONS = ['2007', '2025'] as const
const CONFIDENCE = new Set(['high', 'medium', 'low'])

// The confirmed Kreametern structure (research notes §1.3), in table order.
const KREAMETERN: Array<[string, string[]]> = [
  ['Arkitektur', ['Arkitektur']],
  ['Audiovisuellt', ['Audiovisuella lagringsmedier', 'Dataspel', 'Film & tv', 'Radio']],
  ['Bild & Form', ['Konst', 'Design', 'Foto']],
  ['Kulturarv', ['Arkiv', 'Muséer', 'Historiska och arkeologiska platser']],
  ['Litteratur & Press', ['Press', 'Okategoriserat', 'Litteratur', 'Bibliotek']],
  ['Litterärt och konstnärligt skapande', ['Litterärt och konstnärligt skapande']],
  ['Mode', ['Mode']],
  ['Reklam', ['Reklam']],
  ['Scenkonst', ['Musik', 'Kulturutbildning', 'Scenkonst']],
]

const problems: string[] = []
const fail = (where: string, msg: string) => problems.push(`${where}: ${msg}`)

function readCsv (url: URL): string[][] {
  return parse(readFileSync(url, 'utf8'), { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][]
}

function level5Codes (file: string): Set<string> {
  const rows = readCsv(new URL(file, dataDir))
  const [head, ...body] = rows
  const iCode = head.indexOf('code')
  const iLevel = head.indexOf('level')
  if (iCode < 0 || iLevel < 0) throw new Error(`${file}: missing code/level columns`)
  return new Set(body.filter((r) => r[iLevel] === '5').map((r) => r[iCode]))
}

const sni: Record<string, Set<string>> = {
  2007: level5Codes('sni2007.csv'),
  2025: level5Codes('sni2025.csv'),
}

interface Meta {
  id: string
  version: string
  name: string
  provisional: boolean
  description: string
  source: string
  file: string
  national: boolean
}

function checkDefinition (jsonFile: string): void {
  const where = `data/definitions/${jsonFile}`
  let meta: Meta
  try {
    meta = JSON.parse(readFileSync(new URL(jsonFile, defDir), 'utf8')) as Meta
  } catch (e) {
    fail(where, `cannot read/parse JSON: ${(e as Error).message}`)
    return
  }
  for (const k of ['id', 'version', 'name', 'description', 'source', 'file'] as const) {
    if (typeof meta[k] !== 'string' || meta[k].trim() === '') fail(where, `"${k}" must be a non-empty string`)
  }
  for (const k of ['provisional', 'national'] as const) {
    if (typeof meta[k] !== 'boolean') fail(where, `"${k}" must be a boolean`)
  }
  if (jsonFile !== `${meta.id}.json`) fail(where, `file name should be "${meta.id}.json"`)
  if (typeof meta.file !== 'string') return
  const csvUrl = new URL(meta.file, defDir)
  const csvWhere = `data/definitions/${meta.file}`
  if (!existsSync(csvUrl)) {
    fail(where, `CSV file ${meta.file} not found`)
    return
  }

  const raw = readFileSync(csvUrl, 'utf8')
  const firstLine = raw.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]
  if (firstLine !== HEADER.join(',')) fail(csvWhere, `header must be exactly "${HEADER.join(',')}", got "${firstLine}"`)
  const [, ...rows] = readCsv(csvUrl)
  if (rows.length === 0) fail(csvWhere, 'no data rows')

  const groupNames = new Map<string, string>() // group_code → name (in order of appearance)
  const categories = new Map<string, { group: string; name: string }>()
  const perCatVersion = new Map<string, number>() // `${cat}|${ver}` → count
  const seen = new Map<string, number>() // `${ver}|${code}` → line

  rows.forEach((r, i) => {
    const line = i + 2
    const at = `${csvWhere}:${line}`
    if (r.length !== HEADER.length) {
      fail(at, `expected ${HEADER.length} columns, got ${r.length}`)
      return
    }
    const [g, gName, c, cName, ver, code, share, conf] = r
    if (!/^[1-9]\d*$/.test(g)) fail(at, `bad group_code "${g}"`)
    if (!/^[1-9]\d*\.[1-9]\d*$/.test(c) || c.split('.')[0] !== g) fail(at, `category_code "${c}" must be "<group_code>.<n>"`)
    if (!gName.trim()) fail(at, 'empty group_name')
    if (!cName.trim()) fail(at, 'empty category_name')
    const prevG = groupNames.get(g)
    if (prevG === undefined) groupNames.set(g, gName)
    else if (prevG !== gName) fail(at, `group ${g} named "${gName}" but earlier "${prevG}"`)
    const prevC = categories.get(c)
    if (prevC === undefined) categories.set(c, { group: g, name: cName })
    else if (prevC.name !== cName || prevC.group !== g) fail(at, `category ${c} is "${g}/${cName}" but earlier "${prevC.group}/${prevC.name}"`)
    if (!(VERSIONS as readonly string[]).includes(ver)) fail(at, `sni_version must be 2007 or 2025, got "${ver}"`)
    else if (!/^\d{5}$/.test(code)) fail(at, `sni_code must be 5 digits, got "${code}"`)
    else if (!sni[ver].has(code)) fail(at, `SNI ${ver} code ${code} is not a level-5 code in data/sni${ver}.csv`)
    const key = `${ver}|${code}`
    if (seen.has(key)) fail(at, `duplicate (sni_version ${ver}, sni_code ${code}); first on line ${seen.get(key)}`)
    else seen.set(key, line)
    const s = Number(share)
    if (share.trim() === '' || !Number.isFinite(s) || s <= 0 || s > 1) fail(at, `share must be a number in (0, 1], got "${share}"`)
    if (!CONFIDENCE.has(conf)) fail(at, `confidence must be high|medium|low, got "${conf}"`)
    perCatVersion.set(`${c}|${ver}`, (perCatVersion.get(`${c}|${ver}`) ?? 0) + 1)
  })

  // Group / category numbering: groups 1..n, categories g.1..g.m, without gaps.
  const gCodes = [...groupNames.keys()].map(Number).sort((a, b) => a - b)
  gCodes.forEach((n, i) => { if (n !== i + 1) fail(csvWhere, `group codes must be 1..${gCodes.length} without gaps`) })
  for (const g of groupNames.keys()) {
    const idx = [...categories.entries()].filter(([, v]) => v.group === g).map(([k]) => Number(k.split('.')[1])).sort((a, b) => a - b)
    idx.forEach((n, i) => { if (n !== i + 1) fail(csvWhere, `categories of group ${g} must be ${g}.1..${g}.${idx.length} without gaps`) })
  }

  for (const c of categories.keys()) {
    for (const ver of VERSIONS) {
      if (!perCatVersion.get(`${c}|${ver}`)) fail(csvWhere, `category ${c} "${categories.get(c)!.name}" has no SNI ${ver} code`)
    }
  }

  if (meta.id === 'kreametern-provisional') {
    if (meta.national !== true) fail(where, 'Kreametern must have "national": true')
    if (meta.provisional !== true) fail(where, 'the candidate Kreametern list must stay "provisional": true')
    if (groupNames.size !== 9) fail(csvWhere, `expected 9 branch groups, got ${groupNames.size}`)
    if (categories.size !== 21) fail(csvWhere, `expected 21 branch categories, got ${categories.size}`)
    KREAMETERN.forEach(([gName, cats], gi) => {
      const g = String(gi + 1)
      if (groupNames.get(g) !== gName) fail(csvWhere, `group ${g} should be "${gName}", got "${groupNames.get(g) ?? '(missing)'}"`)
      cats.forEach((cName, ci) => {
        const c = `${g}.${ci + 1}`
        const got = categories.get(c)
        if (!got || got.name !== cName) fail(csvWhere, `category ${c} should be "${cName}", got "${got?.name ?? '(missing)'}"`)
      })
    })
  } else if (meta.national === true) {
    fail(where, 'only the Kreametern definition is national')
  }

  const counts = VERSIONS.map((v) => `${v}: ${[...seen.keys()].filter((k) => k.startsWith(`${v}|`)).length}`).join(', ')
  console.log(`${meta.id} (${meta.version}): ${groupNames.size} groups, ${categories.size} categories, SNI codes ${counts}`)
}

const jsonFiles = readdirSync(defDir).filter((f) => f.endsWith('.json')).sort()
for (const required of ['kreametern-provisional.json', 'essnet-culture.json']) {
  if (!jsonFiles.includes(required)) fail('data/definitions', `missing ${required}`)
}
for (const f of jsonFiles) checkDefinition(f)

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):`)
  for (const p of problems) console.error(`  - ${p}`)
  process.exit(1)
}
console.log('OK: all definitions valid')
