// npm run token -- create <name> [--role promoter|curator|admin] [--lan 18,01] [--organisation NAME] | list | revoke <id>
import { parseArgs } from 'node:util'
import { openCliDb } from './cli-db.js'
import { createToken, listTokens, revokeToken, TOKEN_ROLES, type TokenRole } from '../server/auth/tokens.js'

const USAGE = 'usage: npm run token -- create <name> [--role promoter|curator|admin] [--lan 18,01] [--organisation NAME] | list | revoke <id>\n'
const { positionals, values } = parseArgs({ allowPositionals: true, options: {
  role: { type: 'string', default: 'promoter' }, lan: { type: 'string' }, organisation: { type: 'string' },
} })
const [cmd, arg] = positionals
const { db } = await openCliDb(() => {})
try {
  if (cmd === 'create' && arg) {
    if (!(TOKEN_ROLES as readonly string[]).includes(values.role)) throw new Error(`--role must be one of ${TOKEN_ROLES.join(', ')}`)
    const lan = values.lan ? values.lan.split(',').map((s) => s.trim()).filter(Boolean) : []
    const t = await createToken(db, arg, values.role as TokenRole, { lan, organisation: values.organisation })
    const scope = t.lan.length ? ` län ${t.lan.join(',')}` : ''
    process.stdout.write(`token #${t.id} for "${arg}" (${t.role}${scope}${t.organisation ? `, ${t.organisation}` : ''}) — shown once, store it safely:\n${t.token}\n`)
  } else if (cmd === 'list') {
    for (const t of await listTokens(db)) {
      process.stdout.write(`#${t.id}\t${t.role}${t.lan.length ? ` (län ${t.lan.join(',')})` : ''}\t${t.name}${t.organisation ? `\t${t.organisation}` : ''}\tcreated ${t.created_at}${t.revoked_at ? `\trevoked ${t.revoked_at}` : ''}\n`)
    }
  } else if (cmd === 'revoke' && arg) {
    process.stdout.write(await revokeToken(db, Number(arg)) ? `revoked #${arg}\n` : `no active token #${arg}\n`)
  } else {
    process.stderr.write(USAGE)
    process.exitCode = 2
  }
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`)
  process.exitCode = 1
} finally { await db.close() }
