import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

// Registered before the routes, or they are missing from the spec.
export default fp(async (app) => {
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
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
