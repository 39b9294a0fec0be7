// npm run token -- create <name> [--role promoter|admin] | list | revoke <id>
import { parseArgs } from 'node:util'
import { openCliDb } from './cli-db.js'
import { createToken, listTokens, revokeToken } from '../server/auth/tokens.js'

const { positionals, values } = parseArgs({ allowPositionals: true, options: { role: { type: 'string', default: 'promoter' } } })
const [cmd, arg] = positionals
const { db } = await openCliDb(() => {})
try {
  if (cmd === 'create' && arg) {
    if (values.role !== 'promoter' && values.role !== 'admin') throw new Error('--role must be promoter or admin')
    const t = await createToken(db, arg, values.role)
    process.stdout.write(`token #${t.id} for "${arg}" (${values.role}) — shown once, store it safely:\n${t.token}\n`)
  } else if (cmd === 'list') {
    for (const t of await listTokens(db)) process.stdout.write(`#${t.id}\t${t.role}\t${t.name}\tcreated ${t.created_at}${t.revoked_at ? `\trevoked ${t.revoked_at}` : ''}\n`)
  } else if (cmd === 'revoke' && arg) {
    process.stdout.write(await revokeToken(db, Number(arg)) ? `revoked #${arg}\n` : `no active token #${arg}\n`)
  } else {
    process.stderr.write('usage: npm run token -- create <name> [--role promoter|admin] | list | revoke <id>\n')
    process.exitCode = 2
  }
} finally { await db.close() }
