// The WebSocket stream ("Receive activities from the bot in Direct Line API 3.0", Connect via
// WebSocket): the streamUrl is preauthorized, so the upgrade carries no Authorization header and
// its `t=` stream token is the credential. On connect the stream replays what followed its
// watermark, then pushes each activity as it is numbered, and sends an empty frame now and then,
// which the service documents as its way to check the connection (clients ignore them, and the
// service ignores whatever clients send, their own empty pings included).
import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_PREFIX } from './activity';
import { type ConversationLog, parseWatermark } from './conversation-log';
import { DirectLineError, conversationNotFound, notValidForConversation, tokenExpired } from './direct-line-error';
import type { TokenMinter } from './direct-line-token';

export interface StreamDeps {
  minter: TokenMinter;
  keepAliveMs: number;
  /** undefined once the stand-in is closing */
  conversation(id: string): ConversationLog | undefined;
}

function refuse(socket: Duplex, status: number, err: DirectLineError): void {
  const body = JSON.stringify(err.body());
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function serveStreams(server: http.Server, deps: StreamDeps): { close(): void } {
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const pattern = new RegExp(`^${API_PREFIX}/conversations/([^/]+)/stream$`);

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const m = pattern.exec(url.pathname);
    if (!m) return refuse(socket, 404, new DirectLineError(404, 'NotFound', 'No stream here'));
    const id = decodeURIComponent(m[1]!);
    const check = deps.minter.check(url.searchParams.get('t') ?? '');
    if (!check.ok) return refuse(socket, 403, check.reason === 'expired' ? tokenExpired() : notValidForConversation());
    if (!check.claims.stream || check.claims.conv !== id) return refuse(socket, 403, notValidForConversation());
    const conversation = deps.conversation(id);
    if (!conversation) return refuse(socket, 404, conversationNotFound());
    let replayFrom: number;
    try {
      replayFrom = parseWatermark(url.searchParams.get('watermark')) ?? Number(check.claims.wm ?? conversation.lastSeq);
    } catch (err) {
      return refuse(socket, 400, err as DirectLineError);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const keepAlive = setInterval(() => {
        if (ws.readyState === ws.OPEN) ws.send('');
      }, deps.keepAliveMs);
      const unsubscribe = conversation.subscribe(
        {
          send: (frame) => {
            if (ws.readyState === ws.OPEN) ws.send(frame);
          },
          close: (reason) => ws.close(1000, reason),
        },
        replayFrom,
      );
      ws.on('message', () => undefined);
      ws.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
        sockets.delete(ws);
      });
    });
  });

  return {
    close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
