// Which side is waiting decides whether a quiet connection is cut. Node's socket timeout (Fastify connectionTimeout)
// fires after IDLE_TIMEOUT_MS without a byte in either direction; a 'timeout' listener on the server replaces Node's
// default (destroy) with this rule:
// - the client is the slow party (nothing in flight, a request body that stopped arriving, response bytes it does not
//   read): close the connection, whatever the route;
// - the server is the slow party (a complete request it is still working on: an import, a large table of figures):
//   keep waiting. A long upload or a long export that is being read is never idle, so never cut.
import type { Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** Why the client, not the server, is the one holding a quiet connection; undefined while the server is working. */
function stalledByClient (socket: Socket): string | undefined {
  const res = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage // the response being written, if any
  if (!res) return 'idle connection'
  if (!res.req.complete) return 'request body stalled'
  if (socket.writableLength > 0 || res.writableNeedDrain) return 'response not read'
  return undefined
}

export function cutStalledSockets (server: Server, onCut?: (why: string) => void): void {
  server.on('timeout', (socket: Socket) => {
    const why = stalledByClient(socket)
    if (!why) return // the server is still working on this request: keep waiting
    onCut?.(why)
    socket.destroy()
  })
}
