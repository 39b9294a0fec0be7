import type { TestProject } from 'vitest/node'
import { buildSnapshots, dropSnapshots, type Snapshots } from './helpers/fixture.js'

declare module 'vitest' {
  export interface ProvidedContext { snapshots: Snapshots }
}

export default async function setup (project: TestProject) {
  const t0 = Date.now()
  const snapshots = await buildSnapshots()
  process.stderr.write(`test fixture (${snapshots.mode}) ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
  project.provide('snapshots', snapshots)
  return async () => { await dropSnapshots(snapshots) }
}
