// Fingerprints of source lines: what lets a refresh of a register-scale file (the same year's file a month later, ≈1 %
// of its rows changed) read, validate and write only the lines that changed.
//
// A row a source alone supplied keeps the fingerprint of the line it was read from (company.source_fp). The fingerprint
// is a 53-bit hash of the line (as decoded and LF-normalised, exactly what the parser reads) seeded with everything
// else its parsed row depends on: the format, the source, the synthetic flag, the file's header (which column is what),
// the SNI version picked for the file, the import's bounds, the reference data the parser and the merge read (code
// lists, postcodes, the kommun points) and FINGERPRINT_VERSION (bumped whenever a parser's rules change). Equal
// fingerprint, so, means the line would be parsed into the same row and merged into the row already stored.
// A refresh first streams (line, key, fingerprint) for every line (a split of the key field and this hash: no
// validation), finds in SQL the lines whose key has no stored row of this source with that fingerprint, then parses,
// validates and stages only those; every other line is counted unchanged. Lines the first pass cannot key (an invalid
// organisation number, a wrong number of columns) and keys the file holds twice are always parsed, so every rejected
// row is reported by every import, as a full read reports it.
// Whatever else writes a stored row in a way its own source's next import would undo (Bolagsverket's facts, see
// mergeEnrichment) clears its fingerprint: the next refresh reads that line in full again.

/** Bumped when a parser's rules change, so lines fingerprinted by the previous code are read in full again. */
export const FINGERPRINT_VERSION = 1

/**
 * cyrb53 (public domain): a fast 53-bit string hash, two 32-bit multiply-xor lanes. A safe integer, stored as bigint.
 * Not cryptographic: a changed line shares its fingerprint with the old one with odds of about 2^-53.
 */
export function fingerprint (text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/** The 32-bit seed of a file's line fingerprints, from everything besides the line that its row depends on. */
export function fingerprintSeed (parts: Array<string | number | boolean | null>): number {
  return fingerprint(JSON.stringify([FINGERPRINT_VERSION, ...parts])) | 0
}

/** What a parser needs to fingerprint its lines: the context besides the file (see fingerprintSeed). */
export interface FingerprintContext {
  /** format, source, synthetic flag, bounds and the reference data's digest, as one string */
  context: string
  /** only these (physical, 1-based) lines are parsed and yielded; the others are skipped (the refresh's second pass) */
  only?: ReadonlySet<number>
}

/** One line of the first pass: its number, its key (null when the line cannot be keyed: it is parsed) and fingerprint. */
export interface KeyedLine { line: number; key: string | null; fp: number }

/**
 * A set of keys seen (53-bit hashes of them in an open-addressed table of doubles: ≈12 bytes per key, not a JS string
 * set's ≈100): finds keys the file holds more than once. A hash collision reports a key twice when it is not, which only
 * makes its lines parsed in full.
 */
export class KeyHashSet {
  private table = new Float64Array(1 << 16)
  private size = 0
  /** true when the key was (probably) seen before */
  addSeen (key: string): boolean {
    return this.addSeenHash(fingerprint(key) + 1)
  }

  /** addSeen of a key hashed as addSeen hashes it (fingerprint(key) + 1: 0 marks an empty slot), e.g. by a worker thread */
  addSeenHash (h: number): boolean {
    if (this.size * 4 >= this.table.length * 3) this.grow() // (load ≤ 3/4: 1.3 M keys in 16 MB)
    const mask = this.table.length - 1
    for (let i = (h % 4294967296) & mask; ; i = (i + 1) & mask) {
      const v = this.table[i]
      if (v === 0) { this.table[i] = h; this.size++; return false }
      if (v === h) return true
    }
  }

  private grow (): void {
    const old = this.table
    this.table = new Float64Array(old.length * 2)
    const mask = this.table.length - 1
    for (const h of old) {
      if (h === 0) continue
      let i = (h % 4294967296) & mask
      while (this.table[i] !== 0) i = (i + 1) & mask
      this.table[i] = h
    }
  }
}
