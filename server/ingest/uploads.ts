// Uploaded import files under DATA_DIR/uploads: named after the process that stores them, removed when their import
// ends, and swept at start-up (a crash or kill -9 leaves them behind, and they may hold personal identity numbers).
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'

const own = new Set<string>()

/** A fresh path for an upload, registered as in use until `release`. */
export function uploadPath (dir: string, fileName: string): { file: string; release: () => void } {
  const safe = safeUploadName(fileName)
  const file = path.join(dir, `${process.pid}-${randomBytes(6).toString('hex')}-${safe}`)
  own.add(file)
  return { file, release: () => { own.delete(file); rmSync(file, { force: true }) } }
}

export function safeUploadName (fileName: string): string {
  return path.basename(fileName).replace(/[^\w.\-åäöÅÄÖ]/g, '_').slice(0, 120) || 'upload'
}

function alive (pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false
  try { process.kill(pid, 0); return true } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM' }
}

/** Removes every upload not in use by this process nor stored by another live process. Returns the names removed. */
export function sweepUploads (dir: string): string[] {
  if (!existsSync(dir)) return []
  const removed: string[] = []
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name)
    if (own.has(file) || alive(Number(name.split('-')[0]))) continue
    rmSync(file, { recursive: true, force: true })
    removed.push(name)
  }
  return removed
}
