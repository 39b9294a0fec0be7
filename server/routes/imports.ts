// Imports over HTTP (admin): the upload is streamed to a temporary file (size-limited), then imported exactly like the CLI.
import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import multipart from '@fastify/multipart'
import { Type } from 'typebox'
import { ApiError, badRequest, notFound } from '../errors.js'
import { requireRole } from '../plugins/auth.js'
import { checkKindFormat, ImportError, runImport, type ImportFormat } from '../ingest/run-import.js'
import { csvLine } from '../ingest/csv-out.js'
import { importErrorPages } from '../ingest/error-pages.js'
import { Sink } from '../actors/export.js'
import { TileService } from '../tiles/service.js'
import { StringEnum } from '../schema.js'

const Counts = Type.Object({ read: Type.Integer(), imported: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(),
  rejected: Type.Integer(), unplaced: Type.Integer(), removed: Type.Integer() })

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  const uploads = path.join(app.config.dataDir, 'uploads')
  const reports = path.join(app.config.dataDir, 'reports')
  app.removeAllContentTypeParsers() // JSON and text uploads are streamed like any file, never parsed or buffered
  await app.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 10 } })
  // Any other content type is the file itself, streamed (never buffered) to disk.
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload))

  app.post('/imports', {
    preHandler: requireRole('admin'),
    bodyLimit: app.config.maxUploadBytes,
    schema: {
      tags: ['imports'], summary: 'Import a file (admin): raw body or multipart field "file"; returns counts and the report',
      security: [{ bearer: [] }],
      querystring: Type.Object({
        kind: StringEnum(['companies', 'workplaces', 'education']),
        format: StringEnum(['scb-bulk', 'scb-api', 'bolagsverket', 'csv', 'json']),
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
        sniVersion: Type.Optional(StringEnum(['2007', '2025', 'auto'])),
        source: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' })),
        fileName: Type.Optional(Type.String({ maxLength: 200 })),
      }),
    },
  }, async (req, reply) => {
    const q = req.query
    try { checkKindFormat(q.kind, q.format) } catch (e) { throw badRequest((e as Error).message) }
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
    const safeName = path.basename(fileName).replace(/[^\w.\-åäöÅÄÖ]/g, '_').slice(0, 120) || 'upload'
    const tmp = path.join(uploads, `${randomBytes(6).toString('hex')}-${safeName}`)
    let bytes = 0
    const limit = app.config.maxUploadBytes
    const counter = new Transform({ transform (chunk: Buffer, _e, done) {
      bytes += chunk.length
      if (bytes > limit) return done(new ApiError(413, 'PAYLOAD_TOO_LARGE', `upload exceeds ${limit} bytes`))
      done(null, chunk)
    } })
    const out = createWriteStream(tmp)
    try {
      await pipeline(stream, counter, out)
      if ((stream as { truncated?: boolean }).truncated) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `upload exceeds ${limit} bytes`)
      if (bytes === 0) throw badRequest('the upload is empty')
      const result = await runImport(app.dbHandle, {
        kind: q.kind, format: q.format as ImportFormat, filePath: tmp, fileName: safeName, year: q.year, sniVersion: q.sniVersion,
        source: q.source, createdBy: req.principal.who, reportDir: reports,
      })
      if (result.changed) TileService.of(app.dbHandle)?.invalidate() // this process: at once, not after the version poll
      return reply.code(201).send({ ...result, report: result.counts.rejected ? `/api/imports/${result.batchId}/errors` : null })
    } catch (err) {
      if (err instanceof ImportError) throw new ApiError(422, 'IMPORT_FAILED', err.message, { batchId: err.batchId })
      throw err
    } finally {
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve())) // a failed upload may still be opening the file
      rmSync(tmp, { force: true })
    }
  })

  app.get('/imports', {
    preHandler: requireRole('admin'),
    schema: { tags: ['imports'], summary: 'Import log (admin)', security: [{ bearer: [] }],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }) },
  }, async (req) => (await app.dbHandle.query(`SELECT id, kind, format, source, file_name AS "fileName", file_sha256 AS "sha256", ref_year AS year,
      sni_version AS "sniVersion", status, synthetic, started_at::text AS "startedAt", finished_at::text AS "finishedAt", counts, message,
      created_by AS "createdBy" FROM import_batch ORDER BY id DESC LIMIT $1`, [req.query.limit])).rows)

  app.get('/imports/:id/errors', {
    preHandler: requireRole('admin'),
    schema: { tags: ['imports'], summary: 'Rejected rows of an import as CSV (file, line, column, value, reason) (admin)', security: [{ bearer: [] }],
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) },
  }, async (req, reply) => {
    const { rows } = await app.dbHandle.query('SELECT id FROM import_batch WHERE id = $1', [req.params.id])
    if (!rows.length) throw notFound(`no import ${req.params.id}`)
    reply.exportSlot()
    const sink = new Sink(app.config.exportStallMs)
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${req.params.id}-errors.csv"`)
    // page by page (keyset on line, id), no connection held while the client reads
    const write = async () => {
      await sink.write('\ufeff' + csvLine(['file', 'line', 'column', 'value', 'reason']))
      for await (const page of importErrorPages(app.dbHandle, req.params.id)) {
        if (!await sink.write(page.map((r) => csvLine([r.file, r.line, r.column, r.value, r.reason])).join(''))) return
      }
      sink.out.end()
    }
    write().catch((err) => { req.log.error({ err }, 'error report failed'); sink.out.destroy(err as Error) })
    return reply.send(sink.out)
  })
}
export default plugin
