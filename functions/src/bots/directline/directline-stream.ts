// The receiving end of a Direct Line conversation's WebSocket stream ("Receive activities from
// the bot in Direct Line API 3.0", Connect via WebSocket). The streamUrl is preauthorized (its
// `t=` is a short-lived stream token): the upgrade carries no Authorization header, and the URL
// is never put in a message. The service sends ActivitySets `{ activities, watermark? }` (typing
// among them, and only here: a GET never returns typing) and empty frames to test the connection,
// which are ignored. Nothing is ever sent on it.
//
// One stream serves one turn: opened before the customer's activity is posted, read until the
// turn ends, then closed. Sets are queued as they come for the connector to read at its pace;
// `onSet` sees each one the moment it arrives (the bot's typing is told at once, even while the
// post is still waiting for the bot).
import WebSocket from 'ws';
import type { ActivityPage } from './directline-http';

/** Opens the WebSocket for a streamUrl; injectable so tests can make the stream unavailable. */
export type WebSocketFactory = (url: string) => WebSocket;

export const defaultWebSocketFactory: WebSocketFactory = (url) => new WebSocket(url);

/** A closed socket whose peer does not answer the closing handshake is cut after this long. */
const CLOSE_GRACE_MS = 1000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An ActivitySet from a frame; undefined for keep-alives and anything that is not one. */
function activitySetOf(data: WebSocket.RawData): ActivityPage | undefined {
  const text = (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !Array.isArray(parsed.activities)) return undefined;
  return { activities: parsed.activities, ...(typeof parsed.watermark === 'string' ? { watermark: parsed.watermark } : {}) };
}

export class DirectLineStream {
  private readonly queue: ActivityPage[] = [];
  private ended = false;
  private wake?: () => void;

  private constructor(
    private readonly ws: WebSocket,
    onSet: (set: ActivityPage) => void,
  ) {
    // Listening from the start: frames that come before anyone reads are queued, and a socket
    // error (refused, reset) is an 'error' event that must never go unhandled.
    ws.on('message', (data) => {
      // Once closed, what was still in flight is dropped: the turn is over.
      if (this.ended) return;
      const set = activitySetOf(data);
      if (!set) return;
      this.queue.push(set);
      try {
        onSet(set);
      } catch {
        // the listener's problem, not the stream's
      }
      this.wake?.();
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  /**
   * The stream once its socket is open; undefined when it could not be opened within `timeoutMs`
   * (bad URL, refused, an HTTP error on the upgrade, no answer), its socket then closed.
   */
  static open(factory: WebSocketFactory, url: string, timeoutMs: number, onSet: (set: ActivityPage) => void): Promise<DirectLineStream | undefined> {
    let ws: WebSocket;
    try {
      ws = factory(url);
    } catch {
      return Promise.resolve(undefined);
    }
    const stream = new DirectLineStream(ws, onSet);
    return new Promise((resolve) => {
      const settle = (opened: boolean) => {
        clearTimeout(timer);
        ws.off('open', onOpen);
        ws.off('close', onFail);
        ws.off('error', onFail);
        if (!opened) stream.close();
        resolve(opened ? stream : undefined);
      };
      const onOpen = () => settle(true);
      const onFail = () => settle(false);
      const timer = setTimeout(onFail, timeoutMs);
      ws.once('open', onOpen);
      ws.once('close', onFail);
      ws.once('error', onFail);
    });
  }

  /**
   * The sets received since the last call; when there are none, the ones that come within `ms`
   * (an empty list if none did). 'closed' once the stream ended and every set was read.
   */
  next(ms: number): Promise<ActivityPage[] | 'closed'> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.splice(0));
    if (this.ended) return Promise.resolve('closed');
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(this.queue.length > 0 ? this.queue.splice(0) : this.ended ? 'closed' : []);
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wake = done;
    });
  }

  /** Closes the socket (a clean close, cut short if the peer does not answer it); idempotent. */
  close(): void {
    const ws = this.ws;
    this.ended = true;
    this.wake?.();
    if (ws.readyState === WebSocket.CONNECTING) {
      ws.terminate();
    } else if (ws.readyState === WebSocket.OPEN) {
      ws.close(1000);
      const cut = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
      cut.unref();
      ws.once('close', () => clearTimeout(cut));
    }
  }
}
