// A worker thread of line-workers.ts: reads the jobs' lines with the format's row reader and answers each with its block.
import { parentPort, workerData } from 'node:worker_threads'
import { scbBulkRowReader, type ScbBulkLayout } from './formats/scb-bulk.js'
import { readDirectJob, type LineJob, type LineResult, type LineWorkerInit, type RowReader } from './line-workers.js'

const init = workerData as LineWorkerInit
const READERS: Record<LineWorkerInit['format'], (layout: unknown, ref: LineWorkerInit['ref']) => RowReader> = {
  'scb-bulk': (layout, ref) => scbBulkRowReader(layout as ScbBulkLayout, ref),
}
const read = READERS[init.format](init.layout, init.ref)

parentPort!.on('message', (job: LineJob & { id: number }) => {
  let result: LineResult
  try {
    result = readDirectJob(job, read, init.lookups, init.params)
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error).message })
    return
  }
  parentPort!.postMessage({ id: job.id, ...result }, [result.block.buffer as ArrayBuffer, result.hashes.buffer as ArrayBuffer])
})
