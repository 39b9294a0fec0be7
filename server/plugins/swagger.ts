import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { ErrorBody } from '../errors.js'

type Schema = Record<string, unknown>
const error = (description: string) => ({ description, $ref: 'ErrorBody#' })

/** The error responses a route can give, each `ErrorBody` (plugins/errors.ts writes every one), declared here once for
 *  every route in the OpenAPI document rather than in each route; a route's own declaration of a status wins. */
function errorResponses (schema: Schema): Record<string, unknown> {
  return {
    400: error('BAD_REQUEST / VALIDATION_ERROR: a parameter is missing, malformed or out of range'),
    401: error('UNAUTHORIZED: the bearer token is unknown, revoked or malformed (no token = the public role)'),
    ...(schema.security ? { 403: error('FORBIDDEN: the token\'s role may not use this route') } : {}),
    ...(schema.params ? { 404: error('NOT_FOUND: no such resource') } : {}),
    429: error('RATE_LIMITED: too many requests, or too many failed token checks, from this address (Retry-After says when)'),
    '4XX': error('another client error (e.g. 413 PAYLOAD_TOO_LARGE, 422 IMPORT_FAILED)'),
    500: error('INTERNAL: an unexpected error (details are logged, not sent)'),
    503: error('QUERY_TIMEOUT: the query took too long; narrow the filters'),
  }
}

/** Responses for the document: a 2XX placeholder where the route declares no success schema (so it is not lost once
 *  error responses are added), then the declared responses over the shared error responses. */
function withErrorResponses (schema: Schema): Schema {
  const declared = (schema.response ?? {}) as Record<string, unknown>
  const success = Object.keys(declared).some((code) => /^2/.test(code)) ? {} : { '2XX': { description: 'Default Response' } }
  return { ...schema, response: { ...success, ...errorResponses(schema), ...declared } }
}

// Registered before the routes, or they are missing from the spec.
export default fp(async (app) => {
  if (!app.getSchema('ErrorBody')) app.addSchema(ErrorBody) // referenced as ErrorBody# below
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'KKB Atlas API', version: '0.1.0',
        description: 'Registry, key figures and map of Sweden\'s cultural and creative industries (KKB). ' +
          'Errors are `{ "error": { "code", "message", "details" } }`. Roles: public (no token), promoter and admin (Bearer tokens).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // shared schemas keep their $id as their name under components/schemas (ErrorBody, not def-0)
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema, url }) => ({ schema: schema && !schema.hide ? withErrorResponses(schema as Schema) : schema, url }),
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
