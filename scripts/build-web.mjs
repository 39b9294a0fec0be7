// Builds the map app (web/ → web/dist) with Vite, but only when web/dist is missing or older than a source file,
// so `npm start` is fast on the second run. Prints one line. `--force` always builds.
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const web = path.join(root, 'web')
const stamp = path.join(web, 'dist', 'index.html')

function newest (p) {
  if (!existsSync(p)) return 0
  const st = statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(p).reduce((m, f) => Math.max(m, newest(path.join(p, f))), st.mtimeMs)
}

const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((f) => path.join(web, f))
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0
const changed = Math.max(...sources.map(newest))
if (!process.argv.includes('--force') && built && built >= changed) {
  console.log('web: web/dist is up to date')
} else {
  const t0 = performance.now()
  const { build } = await import('vite')
  try {
    await build({ configFile: path.join(web, 'vite.config.ts'), root: web, logLevel: 'error' })
  } catch (err) {
    // strip the terminal colour codes (ESC [ … m) from Vite's message
    const message = String(err instanceof Error ? err.message : err).replace(/\u001b\[[0-9;]*m/g, '') // eslint-disable-line no-control-regex
    console.error(`web: build failed: ${message.split('\n').filter(Boolean).slice(0, 3).join(' | ')}`)
    process.exit(1)
  }
  console.log(`web: built web/dist in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}
