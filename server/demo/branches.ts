// Branch (SNI) side of the SYNTHETIC demo register: which codes are drawn and how often, which ones
// count as KKB for the demo, the crude SNI 2007 → 2025 correspondence, and regional KKB profiles.
//
// None of this is official. The KKB list is the research notes' *candidate* list
// (shared/research/kkb-definition.md §1.5, all unconfirmed), used here only to give the synthetic
// data a realistic KKB share; the product's own KKB definition lives elsewhere. The weights are
// rough orders of magnitude for Swedish firm counts, chosen by hand.
import { readDataCsv } from '../reference/csv-file.js'

/** KKB candidate codes (SNI 2007) from kkb-definition.md §1.5, with a relative frequency among KKB firms. */
export const KKB_2007_WEIGHTS: Record<string, number> = {
  90030: 18, // konstnärligt skapande: by far the largest, mostly sole traders
  74102: 8, 90010: 8, 73111: 7, 59110: 7, 71110: 6, 85522: 4,
  74203: 3, 74101: 3, 73119: 3, 90020: 3, 59200: 3, 74300: 2.5, 58110: 2.5,
  74201: 2, 74103: 2, 74202: 1.5, 73120: 1.5, 58210: 1.5, 47783: 1.5,
  59120: 1.2, 58140: 1.2, 58190: 1, 18122: 1, 47610: 0.8, 32120: 0.8,
  91020: 0.6, 90040: 0.6, 73112: 0.5, 18130: 0.5, 91030: 0.4, 59130: 0.4, 59140: 0.4,
  60100: 0.3, 60200: 0.3, 58131: 0.3, 32200: 0.3,
  58132: 0.2, 74204: 0.2, 18121: 0.2, 18140: 0.2, 47621: 0.2, 47630: 0.2, 32130: 0.2, 15120: 0.2, 63910: 0.2,
  14110: 0.1, 14120: 0.2, 14130: 0.4, 14140: 0.15, 14190: 0.35, 14200: 0.05, 14310: 0.05, 14390: 0.2,
  15200: 0.1, 18110: 0.1, 18200: 0.1, 91011: 0.1, 91012: 0.1, 85521: 0.05, 77220: 0.05,
}
export const KKB_SNI2007: ReadonlySet<string> = new Set(Object.keys(KKB_2007_WEIGHTS))

/**
 * Crude SNI 2007 → SNI 2025 correspondence for SYNTHETIC data only — not SCB's key
 * (nyckel-sni2007---sni2025.xlsx, which we do not have). Rules, in order:
 *  1. the explicit pairs below (KKB codes per kkb-definition.md §5.2, division 45, which NACE 2.1
 *     dissolved, PR 70210 → 73300, zoos 91040 → 91410); an array = a split, one target per company;
 *  2. the same code, if it is a level-5 code in data/sni2025.csv;
 *  3. otherwise the first level-5 code of data/sni2025.csv with the same 4-digit class, else the
 *     same 3-digit group, else the same 2-digit division, else the nearest lower division. At each
 *     step a non-KKB source code skips KKB targets when a non-KKB candidate exists, so the
 *     fallback never turns an ordinary firm into a KKB firm (e.g. 74900 → 74910, not 74110).
 */
export const SNI_2007_TO_2025_EXPLICIT: Record<string, string | string[]> = {
  58131: '58121', 58132: '58122', 58140: '58130', 63910: '60310', 70210: '73300',
  74101: '74110', 74102: '74120', 74103: '74130',
  74201: '74200', 74202: '74200', 74203: '74200', 74204: '74200',
  90010: '90200', 90020: '90390', 90030: ['90110', '90120', '90130'], 90040: '90310',
  91011: '91110', 91012: '91120', 91020: '91210', 91030: '91220',
  47610: ['47611', '47611', '47611', '47612'], 47630: '47693', 47783: '47692', 47595: '47691',
  14110: '14240', 14120: '14230', 14130: '14210', 14140: '14220', 14190: '14290', 14200: '14240', 14310: '14100', 14390: '14100',
  45110: '47811', 45191: '47812', 45192: '47813', 45201: '95311', 45202: '95312', 45203: '95311', 45204: '95313',
  45310: '46720', 45320: '47820', 45400: '47830', 91040: '91410',
}

/** Share (in %) of all non-agricultural firms per SNI 2007 division, KKB codes excluded. Rough. */
const DIVISION_WEIGHTS: Record<string, number> = {
  '05': 0.005, '06': 0.002, '07': 0.005, '08': 0.12, '09': 0.02,
  10: 0.6, 11: 0.08, 12: 0.002, 13: 0.2, 15: 0.03, 16: 0.7, 17: 0.05, 19: 0.005, 20: 0.12, 21: 0.03,
  22: 0.25, 23: 0.3, 24: 0.05, 25: 1.3, 26: 0.15, 27: 0.12, 28: 0.5, 29: 0.12, 30: 0.1, 31: 0.3, 32: 0.3, 33: 0.8,
  35: 0.4, 36: 0.03, 37: 0.05, 38: 0.15, 39: 0.03,
  41: 3.2, 42: 0.6, 43: 7.5, 45: 1.9, 46: 4.0, 47: 6.0,
  49: 2.4, 50: 0.25, 51: 0.05, 52: 0.5, 53: 0.2, 55: 0.6, 56: 2.8,
  58: 0.15, 61: 0.15, 62: 3.6, 63: 0.3, 64: 2.2, 65: 0.05, 66: 0.5, 68: 6.5,
  69: 1.6, 70: 5.5, 71: 2.6, 72: 0.35, 73: 0.25, 74: 1.3, 75: 0.12,
  77: 0.5, 78: 0.25, 79: 0.35, 80: 0.1, 81: 1.9, 82: 1.2, 85: 1.5,
  86: 2.8, 87: 0.35, 88: 0.8, 91: 0.05, 92: 0.08, 93: 1.6, 94: 1.0, 95: 0.35, 96: 2.6,
  // 84 public administration, 97–98 households and 99 extraterritorial bodies: not drawn
}
const AGRI_DIVISION_WEIGHTS: Record<string, number> = { '01': 52, '02': 45, '03': 3 }

/** Within-division multipliers (default 1): the codes that dominate real registers. */
const CODE_BOOST: Record<string, number> = {
  '01110': 4, '01410': 2.5, '01420': 2.5, '01430': 1.5, '01500': 3, '01610': 2, '01133': 1.5,
  '01120': 0.02, '01140': 0.02, '01150': 0.02, '01220': 0.02, '01230': 0.02, '01260': 0.02, '01270': 0.02, '01440': 0.02, '01491': 0.5,
  '02101': 3, '02102': 3, '02200': 4, '02409': 2,
  41200: 8, 43120: 2.5, 43210: 4, 43221: 3, 43320: 3, 43330: 1.5, 43341: 3, 43390: 3, 43911: 1.2, 43912: 1.2, 43999: 3,
  45201: 4, 45202: 2, 45110: 2, 46190: 3, 46900: 3,
  47111: 1.5, 47112: 2, 47191: 1.5, 47241: 1.5, 47711: 2, 47713: 2, 47761: 1.5, 47789: 2, 47791: 1.5, 47911: 2, 47912: 2, 47919: 3,
  49320: 4, 49410: 8, 56100: 8, 56210: 1.5, 56300: 1.5, 55101: 2,
  62010: 3, 62020: 4, 62030: 0.5, 64110: 0, 64190: 0.2, 64201: 0.5, 64202: 8, 64991: 2, 64992: 1.5,
  68201: 2, 68203: 2, 68209: 2, 68310: 1, 68320: 1,
  69201: 4, 69101: 1.5, 70220: 8, 70100: 1, 71121: 3, 71129: 2.5, 71122: 1.5, 74900: 1,
  81210: 3, 81300: 3, 82990: 2, 85599: 2, 85594: 1.5,
  86211: 1, 86230: 2, 86905: 2, 86909: 1.5, 88101: 1, 93120: 2.5, 93130: 1.5, 93199: 1.5,
  94990: 4, 94910: 1.5, 96021: 4, 96022: 3, 96040: 1.5, 96090: 1.5,
}

export interface SniCode { code: string; title: string; division: string; section: string }

export interface BranchTables {
  sni2007: Map<string, SniCode>
  sni2025: Map<string, SniCode>
  /** level-5 SNI 2007 codes and weights, non-KKB and not section A */
  general: { codes: string[]; weights: number[] }
  agri: { codes: string[]; weights: number[] }
  kkb: { codes: string[]; weights: number[] }
  kkb2025: Set<string>
  to2025: (code: string, u: number) => string
}

function readSni (version: '2007' | '2025'): Map<string, SniCode> {
  const rows = readDataCsv<{ code: string; level: string; title_sv: string; parent: string }>(`sni${version}.csv`)
  const parent = new Map(rows.map((r) => [r.code, r.parent]))
  const out = new Map<string, SniCode>()
  for (const r of rows) {
    if (r.level !== '5') continue
    const division = r.code.slice(0, 2)
    out.set(r.code, { code: r.code, title: r.title_sv, division, section: parent.get(division) ?? '' })
  }
  return out
}

export function loadBranchTables (): BranchTables {
  const sni2007 = readSni('2007')
  const sni2025 = readSni('2025')
  const byDivision = new Map<string, string[]>()
  for (const c of sni2007.keys()) {
    if (KKB_SNI2007.has(c)) continue
    const d = c.slice(0, 2)
    if (!byDivision.has(d)) byDivision.set(d, [])
    byDivision.get(d)!.push(c)
  }
  const build = (divWeights: Record<string, number>) => {
    const codes: string[] = []
    const weights: number[] = []
    for (const [div, dw] of Object.entries(divWeights)) {
      const list = byDivision.get(div.padStart(2, '0'))
      if (!list) continue
      const boosts = list.map((c) => CODE_BOOST[c] ?? 1)
      const sum = boosts.reduce((a, b) => a + b, 0)
      list.forEach((c, i) => { if (boosts[i] > 0) { codes.push(c); weights.push(dw * boosts[i] / sum) } })
    }
    return { codes, weights }
  }
  for (const c of KKB_SNI2007) if (!sni2007.has(c)) throw new Error(`KKB demo code ${c} missing from sni2007.csv`)
  const kkbCodes = Object.keys(KKB_2007_WEIGHTS)

  const kkb2025 = new Set<string>()
  for (const c of kkbCodes) {
    const e = SNI_2007_TO_2025_EXPLICIT[c]
    if (e === undefined && !sni2025.has(c)) throw new Error(`KKB demo code ${c} has no SNI 2025 target`)
    for (const t of e === undefined ? [c] : typeof e === 'string' ? [e] : e) kkb2025.add(t)
  }
  const codes2025 = [...sni2025.keys()].sort()
  const divisions2025 = [...new Set(codes2025.map((c) => c.slice(0, 2)))]
  const fallback = new Map<string, string>()
  const to2025 = (code: string, u: number): string => {
    const e = SNI_2007_TO_2025_EXPLICIT[code]
    if (e !== undefined) return typeof e === 'string' ? e : e[Math.floor(u * e.length)]
    if (sni2025.has(code)) return code
    let t = fallback.get(code)
    if (t === undefined) {
      for (const avoidKkb of KKB_SNI2007.has(code) ? [false] : [true, false]) {
        for (const len of [4, 3, 2]) {
          t = codes2025.find((c) => c.startsWith(code.slice(0, len)) && !(avoidKkb && kkb2025.has(c)))
          if (t !== undefined) break
        }
        if (t !== undefined) break
      }
      if (t === undefined) {
        const lower = divisions2025.filter((d) => d < code.slice(0, 2))
        const d = lower.length ? lower[lower.length - 1] : divisions2025[0]
        t = codes2025.find((c) => c.startsWith(d) && !kkb2025.has(c)) ?? codes2025.find((c) => c.startsWith(d))!
      }
      fallback.set(code, t)
    }
    return t
  }
  for (const c of kkb2025) if (!sni2025.has(c)) throw new Error(`SNI 2025 target ${c} missing from sni2025.csv`)
  return {
    sni2007,
    sni2025,
    general: build(DIVISION_WEIGHTS),
    agri: build(AGRI_DIVISION_WEIGHTS),
    kkb: { codes: kkbCodes, weights: kkbCodes.map((c) => KKB_2007_WEIGHTS[c]) },
    kkb2025,
    to2025,
  }
}

/**
 * Regional KKB profiles: a multiplier on the kommun's KKB share and multipliers on individual
 * KKB codes, so location quotients show something. Chosen from well-known clusters (game studios
 * in Skellefteå/Umeå/Malmö/Stockholm, film in Trollhättan and Ystad, glass and design in Småland's
 * Glasriket, textile/fashion in Borås, furniture design in Tibro, art on Gotland and Österlen); the
 * sizes of the effects are invented.
 */
export interface KommunProfile { share?: number; codes?: Record<string, number> }
const FILM = { 59110: 7, 59120: 5, 59130: 2, 90020: 1.5 }
const GAMES = (x: number) => ({ 58210: x })
const GLASS = { 90030: 3, 74101: 6, 47783: 4, 32120: 2 }
const ART = { 90030: 2.2, 47783: 3, 91030: 2.5, 32120: 1.5 }
export const KOMMUN_PROFILES: Record<string, KommunProfile> = {
  '0180': { share: 1.85, codes: { 58210: 3.5, 73111: 1.8, 73120: 2, 58110: 1.6, 58140: 1.8, 59110: 1.6, 59200: 2, 60100: 2, 60200: 2, 63910: 2.5, 74101: 1.3 } },
  1480: { share: 1.55, codes: { 58210: 2, 59200: 1.6, 74101: 1.4, 90010: 1.2 } },
  1280: { share: 1.55, codes: { 58210: 5, 74102: 1.3, 59110: 1.2 } },
  2482: { share: 1.15, codes: GAMES(12) },
  2480: { share: 1.4, codes: { 58210: 7, 90010: 1.3 } },
  1082: { share: 1.05, codes: GAMES(6) },
  '0380': { share: 1.4, codes: { 58210: 4, 58110: 1.5, 91020: 1.5 } },
  1281: { share: 1.45, codes: { 71110: 1.6, 58110: 1.4, 74101: 1.3 } },
  1488: { share: 1.4, codes: FILM },
  1286: { share: 1.35, codes: FILM },
  '0881': { share: 1.45, codes: GLASS }, '0862': { share: 1.4, codes: GLASS },
  '0761': { share: 1.45, codes: GLASS }, '0760': { share: 1.35, codes: GLASS },
  '0780': { share: 1.25, codes: { 74101: 1.6, 90030: 1.3 } },
  1643: { share: 1.2, codes: { 74101: 3, 74103: 3 } },
  1490: { share: 1.15, codes: { 14130: 10, 14190: 10, 14390: 8, 14140: 8, 74101: 2.5 } },
  '0980': { share: 1.35, codes: ART },
  1291: { share: 1.4, codes: ART }, 1270: { share: 1.3, codes: ART },
  2080: { share: 1.15, codes: { 59200: 1.6, 90010: 1.4 } },
  2510: { share: 1.1, codes: { 90030: 2, 32120: 3 } }, // duodji (Sami handicraft)
  '0184': { share: 1.45, codes: { 59110: 1.8, 60200: 3, 73111: 1.5 } },
  '0182': { share: 1.35 }, '0186': { share: 1.3 }, '0162': { share: 1.3 },
  '0580': { share: 1.2 }, '0581': { share: 1.2, codes: { 59120: 2 } }, 1880: { share: 1.2 }, 1780: { share: 1.2 },
  2580: { share: 1.2 }, '0680': { share: 1.2 }, 2281: { share: 1.15 }, 2180: { share: 1.15 },
  1980: { share: 1.15 }, 1380: { share: 1.15 }, '0880': { share: 1.2 },
}
/** University towns, used for högskolor in the education file and a KKB share bonus. */
export const UNIVERSITY_TOWNS = ['0180', '1480', '1280', '0380', '1281', '2480', '0580', '1880', '0780', '2580', '1780',
  '0680', '2281', '2180', '1980', '1380', '0880', '2080', '1490', '1082', '0980', '0581', '1488', '2482']
