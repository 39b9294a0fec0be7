// Imports over HTTP (admin): the upload is checked against its size limit (Content-Length first, then the streamed
// count), stored under DATA_DIR/uploads, imported exactly like the CLI, and removed when the import ends.
// A running import can be listed and cancelled; leftovers of a crash are swept when the server starts.
import { createWriteStream, mkdirSync } from 'node:fs'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import { Type } from 'typebox'
import { ApiError, badRequest, notFound } from '../errors.js'
import { requireRole } from '../plugins/auth.js'
import { checkKindFormat, ImportError, runImport } from '../ingest/run-import.js'
import { IMPORT_FORMATS, IMPORT_KINDS, describeImports, type ImportFormat, type ImportKind } from '../ingest/formats/index.js'
import { writeErrorReport } from '../ingest/error-report.js'
import { importedBy, importEntry, importExists, listImports } from '../ingest/import-log.js'
import { recoverAbortedImports } from '../ingest/journal.js'
import { cancelImport, runningImports, trackImport } from '../ingest/running.js'
import { safeUploadName, sweepUploads, uploadPath } from '../ingest/uploads.js'
import { checkStatisticsFormat, runStatisticsImport, STATISTICS_FORMATS } from '../statistics/import.js'
import { Sink } from '../actors/export.js'
import { StringEnum } from '../schema.js'
import { readProgress, rate, trackProgress, type ProgressTracker } from '../ingest/progress.js'
import { audit } from '../auth/audit.js'

/** Room for the multipart framing around the file (boundaries, part headers, small fields). */
const MULTIPART_SLACK = 64 * 1024
/** how often a progress stream looks at the import again */
const EVENTS_EVERY_MS = 500

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const uploads = path.join(app.config.dataDir, 'uploads')
  const reports = path.join(app.config.dataDir, 'reports')
  app.removeAllContentTypeParsers() // JSON and text uploads are streamed like any file, never parsed or buffered
  await app.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 10 } })
  // Any other content type is the file itself, streamed (never buffered) to disk.
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload))

  // After a crash: uploads left behind are removed, imports that never finished are recorded as aborted.
  app.addHook('onReady', async () => {
    const removed = sweepUploads(uploads)
    if (removed.length) app.log.warn(`removed ${removed.length} upload(s) left by an earlier process`)
    await recoverAbortedImports(app.dbHandle, reports, (m) => app.log.warn(m))
  })

  // Only POST /imports takes a file; the other routes here take no body, and the parsers removed above would not bound
  // one: refuse a body over the server's JSON limit by its declared length, as every other route does.
  app.addHook('onRequest', async (req) => {
    if (req.method === 'POST' && req.routeOptions.url === '/api/imports') return
    if (Number(req.headers['content-length']) > app.initialConfig.bodyLimit!) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', 'request body is too large')
  })

  const tooLarge = (limit: number) => new ApiError(413, 'PAYLOAD_TOO_LARGE', `upload exceeds ${limit} bytes (MAX_UPLOAD_MB)`)

  // A curator may import staff lists of curated entries (their rows limited to their län); everything else is admin's.
  const importer = async (req: FastifyRequest) => {
    if (req.principal.role === 'curator' && (req.query as { kind?: string }).kind === 'curated') return
    await requireRole('admin')(req)
  }

  // a curator follows and reads the report of their own curated imports
  const ownCuratedOrAdmin = async (req: FastifyRequest) => {
    if (req.principal.role === 'curator' && await importedBy(app.dbHandle, Number((req.params as { id: number }).id), req.principal.who, 'curated')) return
    await requireRole('admin')(req)
  }

  app.post('/imports', {
    preHandler: importer,
    bodyLimit: app.config.maxUploadBytes,
    schema: {
      tags: ['imports'], summary: 'Import a file (admin): raw body or multipart field "file"; returns counts and the report',
      description: `Kinds and their formats: ${describeImports()}.`,
      security: [{ bearer: [] }],
      querystring: Type.Object({
        kind: StringEnum([...IMPORT_KINDS, 'statistics']),
        format: StringEnum([...new Set([...IMPORT_FORMATS, ...STATISTICS_FORMATS])]),
        table: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'statistics: the table id (default: the file\'s own)' })),
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
        sniVersion: Type.Optional(StringEnum(['2007', '2025', 'auto'])),
        source: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' })),
        fileName: Type.Optional(Type.String({ maxLength: 200 })),
        wait: Type.Boolean({ default: true, description: 'false: answer 202 with the import id as soon as the import has started; follow it at /api/imports/:id/events' }),
      }),
    },
  }, async (req, reply) => {
    const q = req.query
    try {
      if (q.kind === 'statistics') checkStatisticsFormat(q.format)
      else checkKindFormat(q.kind, q.format)
    } catch (e) { throw badRequest((e as Error).message) }
    const limit = app.config.maxUploadBytes
    // Refused before a byte is stored: the declared length is known before the body is read. The connection is closed
    // so the rest of an over-limit body is not read either.
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit + (req.isMultipart() ? MULTIPART_SLACK : 0)) {
      reply.header('connection', 'close')
      throw tooLarge(limit)
    }
    mkdirSync(uploads, { recursive: true })
    let fileName = q.fileName ?? 'upload'
    let stream: NodeJS.ReadableStream
    if (req.isMultipart()) {
      const part = await req.file().catch((e: Error & { statusCode?: number }) => { throw e.statusCode ? e : badRequest(`malformed multipart upload: ${e.message}`) })
      if (!part) throw badRequest('multipart upload without a "file" field')
      fileName = q.fileName ?? part.filename
      stream = part.file
    } else {
      stream = req.body as NodeJS.ReadableStream
    }
    const safeName = safeUploadName(fileName)
    const upload = uploadPath(uploads, safeName)
    let bytes = 0
    const counter = new Transform({ transform (chunk: Buffer, _e, done) {
      bytes += chunk.length
      if (bytes > limit) return done(tooLarge(limit))
      done(null, chunk)
    } })
    const out = createWriteStream(upload.file)
    const controller = new AbortController()
    let untrack = () => {}
    let background = false
    try {
      // The source is piped by hand, not given to pipeline(): Node 24's pipeline waits for the source's 'close', which an
      // injected request (light-my-request) never emits once its payload is pushed, so a 413 would hang there.
      stream.on('error', (e: Error) => counter.destroy(e))
      stream.pipe(counter)
      try {
        await pipeline(counter, out)
      } catch (e) {
        stream.unpipe(counter);
        (stream as unknown as { destroy?: () => void }).destroy?.()
        throw e
      }
      if ((stream as { truncated?: boolean }).truncated) throw tooLarge(limit)
      if (bytes === 0) throw badRequest('the upload is empty')
      if (q.kind === 'statistics') {
        // a statistical table is its own pipeline (server/statistics/): read whole, recognised, replaced in one transaction
        const stat = await runStatisticsImport(app.dbHandle, { format: q.format, filePath: upload.file, fileName: safeName, table: q.table,
          source: q.source, createdBy: req.principal.who })
        await audit(app.dbHandle, req.principal, 'import', `statistics:${safeName}`, { kind: q.kind, format: q.format, file: safeName, status: 'done' })
        return reply.code(201).send(stat)
      }
      // checked above by checkKindFormat: a register import
      const kind = q.kind as ImportKind
      const format = q.format as ImportFormat
      let announce: (id: number) => void = () => {}
      const started = new Promise<number>((resolve) => { announce = resolve })
      let tracker: ProgressTracker | undefined
      const work = (async () => {
        const progress = { rows: 0, bytes: 0, totalBytes: bytes }
        try {
          const result = await runImport(app.dbHandle, {
            kind, format, filePath: upload.file, fileName: safeName, year: q.year, sniVersion: q.sniVersion,
            source: q.source, createdBy: req.principal.who, reportDir: reports, limits: app.config.importLimits, upload: true,
            scope: req.principal.role === 'curator' ? req.principal.lan : undefined,
            signal: controller.signal,
            onStart: (id) => {
              untrack = trackImport({ id, kind, format, fileName: safeName, startedAt: new Date().toISOString(),
                createdBy: req.principal.who, progress }, controller)
              tracker = trackProgress(app.dbHandle, { id, kind, format, fileName: safeName, createdBy: req.principal.who, totalBytes: bytes },
                (err) => req.log.warn({ err }, 'import progress not recorded'))
              // the id goes out once its progress record is readable: a client that follows it at once finds it (its
              // import_batch row stays invisible until the import commits)
              void tracker.recorded.then(() => announce(id))
            },
            onProgress: (p) => { Object.assign(progress, p); tracker?.update(p) },
          })
          await tracker?.finish('done', result.counts, null)
          await audit(app.dbHandle, req.principal, 'import', `import:${result.batchId}`, { kind, format, file: safeName, year: q.year ?? null, status: 'done', counts: result.counts })
          return { ...result, report: result.counts.rejected + result.cleaned ? `/api/imports/${result.batchId}/errors` : null }
        } catch (err) {
          const cancelled = err instanceof ImportError && err.cancelled
          await tracker?.finish(cancelled ? 'cancelled' : 'failed', null, (err as Error).message)
          await audit(app.dbHandle, req.principal, 'import', err instanceof ImportError && err.batchId ? `import:${err.batchId}` : null,
            { kind: q.kind, format: q.format, file: safeName, status: cancelled ? 'cancelled' : 'failed', message: (err as Error).message })
            .catch((e) => req.log.error({ err: e }, 'audit entry of a failed import not written'))
          if (err instanceof ImportError && err.cancelled) throw new ApiError(409, 'IMPORT_CANCELLED', err.message, { batchId: err.batchId })
          if (err instanceof ImportError) throw new ApiError(422, 'IMPORT_FAILED', err.message, { batchId: err.batchId })
          throw err
        } finally {
          untrack()
          upload.release()
        }
      })()
      background = true // the upload is released by the import itself from here on
      if (q.wait) return reply.code(201).send(await work)
      // wait=false: answer once the import has its id (or has already failed before it got one)
      work.catch((err) => req.log.warn({ err }, 'background import ended with an error'))
      const id = await Promise.race([started, work.then((r) => r.batchId)])
      return reply.code(202).send({ id, status: 'running', events: `/api/imports/${id}/events` })
    } catch (err) {
      if (background) throw err
      await audit(app.dbHandle, req.principal, 'import', null, { kind: q.kind, format: q.format, file: safeName, status: 'failed', message: (err as Error).message })
        .catch((e) => req.log.error({ err: e }, 'audit entry of a failed import not written'))
      if (err instanceof ImportError) throw new ApiError(422, 'IMPORT_FAILED', err.message, { batchId: err.batchId })
      throw err
    } finally {
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve())) // a failed upload may still be opening the file
      if (!background) { untrack(); upload.release() }
    }
  })

  app.get('/imports/:id/events', {
    preHandler: ownCuratedOrAdmin,
    schema: { tags: ['imports'], summary: 'Progress of an import as server-sent events (admin; a curator for their own curated imports): `progress` events, then one `end` event',
      description: 'Each event\'s data is JSON: status, rows, bytes, totalBytes, fraction, rowsPerSecond, etaSeconds, counts, message. Read from the database, so any app instance can serve it.',
      security: [{ bearer: [] }], params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) },
  }, async (req, reply) => {
    const id = req.params.id
    const first = await readProgress(app.dbHandle, id)
    const finishedBatch = first ? undefined : await importEntry(app.dbHandle, id)
    if (!first && !finishedBatch) throw notFound(`no import ${id}`)
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' })
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    if (finishedBatch) { // an import from before progress was recorded, or of another kind: its log entry is the end
      send('end', { id, status: finishedBatch.status, counts: finishedBatch.counts, message: finishedBatch.message, fraction: 1 })
      return res.end()
    }
    let closed = false
    req.raw.on('close', () => { closed = true })
    let p = first
    while (!closed && p) {
      const out = { ...p, ...rate(p) }
      if (p.status !== 'running') { send('end', out); break }
      send('progress', out)
      await new Promise((resolve) => setTimeout(resolve, EVENTS_EVERY_MS))
      p = await readProgress(app.dbHandle, id).catch(() => p)
    }
    res.end()
  })

  app.get('/imports', {
    preHandler: requireRole('admin'),
    schema: { tags: ['imports'], summary: 'Import log (admin)', security: [{ bearer: [] }],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }) },
  }, async (req) => listImports(app.dbHandle, req.query.limit))

  app.get('/imports/running', {
    preHandler: requireRole('admin'),
    schema: { tags: ['imports'], summary: 'Imports running in this server, with their progress (admin); answered without the database', security: [{ bearer: [] }] },
  }, async () => runningImports())

  app.post('/imports/:id/cancel', {
    preHandler: requireRole('admin'),
    schema: { tags: ['imports'], summary: 'Cancel a running import (admin): it rolls back and the import log records it as cancelled',
      security: [{ bearer: [] }], params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) },
  }, async (req, reply) => {
    if (!cancelImport(req.params.id, `cancelled by ${req.principal.who}`)) throw notFound(`no running import ${req.params.id} in this server`)
    return reply.code(202).send({ id: req.params.id, status: 'cancelling' })
  })

  app.get('/imports/:id/errors', {
    // a curator reads the report of their own curated imports
    preHandler: ownCuratedOrAdmin,
    schema: { tags: ['imports'], summary: 'Rejected rows of an import as CSV (file, line, column, value, reason) (admin; a curator for their own curated imports)', security: [{ bearer: [] }],
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) },
  }, async (req, reply) => {
    if (!await importExists(app.dbHandle, req.params.id)) throw notFound(`no import ${req.params.id}`)
    await audit(app.dbHandle, req.principal, 'import.report', `import:${req.params.id}`)
    reply.exportSlot()
    const sink = new Sink(app.config.exportStallMs)
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${req.params.id}-errors.csv"`)
    // page by page (keyset on line, id), no connection held while the client reads
    const write = async () => {
      await writeErrorReport(app.dbHandle, req.params.id, (chunk) => sink.write(chunk), { bom: true })
      sink.out.end()
    }
    write().catch((err) => { req.log.error({ err }, 'error report failed'); sink.out.destroy(err as Error) })
    return reply.send(sink.out)
  })
}
export default plugin
