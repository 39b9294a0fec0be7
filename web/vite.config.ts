// Vite config for the map app: root web/, output web/dist (served by the Fastify server at /).
import { defineConfig } from 'vite'

// In development `npx vite --config web/vite.config.ts` proxies the API to a running server.
const api = process.env.KKB_API_URL ?? 'http://127.0.0.1:3000'

export default defineConfig({
  root: 'web',
  base: '/',
  server: { proxy: { '/api': api, '/docs': api } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1300,
    target: 'es2022',
    rolldownOptions: {
      // MapLibre (~1 MB) in its own long-cached chunk; the app chunk stays small.
      output: { codeSplitting: { groups: [{ name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ }] } },
    },
  },
})
