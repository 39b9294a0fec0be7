// MapLibre v6 is ESM-only and has no default export: a bundler must tell it where its worker lives.
import { setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'

setWorkerUrl(workerUrl)
