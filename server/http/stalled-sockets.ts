// Which side is waiting decides whether a quiet connection is cut. Node's socket timeout (Fastify connectionTimeout)
// fires after IDLE_TIMEOUT_MS without a byte in either direction; a 'timeout' listener on the server replaces Node's
// default (destroy) with this rule:
// - the client is the slow party (nothing in flight, a request body that stopped arriving, response bytes it does not
//   read): close the connection, whatever the route;
// - the server is the slow party (a complete request it is still working on: an import, a large table of figures):
//   keep waiting. A long upload or a long export that is being read is never idle, so never cut.
import type { Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export function cutStalledSockets (server: Server, onCut?: (why: string) => void): void {
  server.on('timeout', (socket: Socket) => {
    const res = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage // the response being written, if any
    const why = !res ? 'idle connection'
      : !res.req.complete ? 'request body stalled'
        : socket.writableLength > 0 || res.writableNeedDrain ? 'response not read'
          : undefined
    if (!why) return // the server is still working on this request
    onCut?.(why)
    socket.destroy()
  })
}
