// Imports running in this process, so an admin can list and cancel them. Kept in memory on purpose: on the embedded
// database a running import holds the only connection, and a cancel must not wait for it.
import type { ImportKind, ImportFormat, Progress } from './run-import.js'

export interface RunningImport {
  id: number
  kind: ImportKind
  format: ImportFormat
  fileName: string
  startedAt: string
  createdBy: string | null
  progress: Progress
}

const running = new Map<number, { info: RunningImport; controller: AbortController }>()

/** Registers an import under its batch id; the returned function unregisters it. */
export function trackImport (info: RunningImport, controller: AbortController): () => void {
  running.set(info.id, { info, controller })
  return () => { running.delete(info.id) }
}

export function runningImports (): RunningImport[] {
  return [...running.values()].map((r) => ({ ...r.info, progress: { ...r.info.progress } }))
}

/** Asks a running import to stop (it rolls back and is logged as cancelled). False when no such import runs here. */
export function cancelImport (id: number, reason: string): boolean {
  const r = running.get(id)
  if (!r) return false
  r.controller.abort(reason)
  return true
}
