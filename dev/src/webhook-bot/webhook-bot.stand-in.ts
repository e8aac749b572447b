// A sample webhook bot: what a customer would host to put their own bot in front of Switchboard's
// agents. It receives Switchboard's signed events, answers with the FAQ brain the Direct Line FAQ
// bot uses, and calls Switchboard back (messages, hand-off with context, end), signed the same
// way. Events are acknowledged at once (202) and answered by callback, in order per conversation,
// so a slow bot never holds Switchboard's request open.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { BotMode } from '../directline/bot';
import { type BrainState, type Language, type Subject, greet, newBrainState, respond } from '../directline/faq-brain';
import {
  type BotEvent,
  type CallbackAction,
  type CallbackBody,
  callbackPath,
  parseBotEvent,
} from './webhook-contract';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, verifyWebhookSignature } from './webhook-signature';
import { listenOn } from '../listen';

export const EVENTS_PATH = '/events';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ status: number }>;

export interface WebhookBotOptions {
  botId: string;
  /** Shared with Switchboard: verifies its events and signs the callbacks. */
  secret: string;
  /** Also accepted on events while a secret is being rotated. */
  previousSecrets?: string[];
  /** Where Switchboard's functions app answers, e.g. http://127.0.0.1:7071 */
  switchboardUrl: string;
  fetch?: FetchLike;
  /** milliseconds since epoch */
  now?: () => number;
  toleranceSeconds?: number;
  /** Callbacks answered 5xx or unreachable are retried with the same id (Switchboard ignores a repeat). */
  retry?: { attempts?: number; baseDelayMs?: number };
  log?: (line: string) => void;
}

export interface WebhookBotStats {
  events: { accepted: number; duplicates: number; refusedSignature: number; refusedDown: number; malformed: number };
  callbacks: { sent: number; failed: number; byAction: Record<CallbackAction, number> };
}

export interface WebhookBotStandIn {
  /** Where Switchboard posts events: http://127.0.0.1:N/events once listening. */
  url: string;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  /** Same test hook as the Direct Line stand-in: `down` answers 503, `silent` accepts and never calls back, `slowMs` delays the callbacks. */
  setMode(mode: BotMode): void;
  mode(): BotMode;
  stats(): WebhookBotStats;
}

const LOCALES: Record<Language, string> = { en: 'en-US', fr: 'fr-FR' };
const SUBJECTS: readonly string[] = ['billing', 'orders'] satisfies Subject[];
const MAX_BODY_BYTES = 64 * 1024;

export function createWebhookBot(options: WebhookBotOptions): WebhookBotStandIn {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const attempts = options.retry?.attempts ?? 3;
  const baseDelayMs = options.retry?.baseDelayMs ?? 500;
  const secrets = [options.secret, ...(options.previousSecrets ?? [])];
  const base = options.switchboardUrl.replace(/\/+$/, '');

  let mode: BotMode = 'up';
  let closed = false;
  const brains = new Map<string, BrainState>();
  const chains = new Map<string, Promise<void>>();
  const seenEvents = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const stats: WebhookBotStats = {
    events: { accepted: 0, duplicates: 0, refusedSignature: 0, refusedDown: 0, malformed: 0 },
    callbacks: { sent: 0, failed: 0, byAction: { messages: 0, handoff: 0, end: 0 } },
  };

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  async function callBack(conversationId: string, action: CallbackAction, body: CallbackBody): Promise<void> {
    const raw = JSON.stringify(body);
    const url = `${base}${callbackPath(options.botId, conversationId, action)}`;
    for (let attempt = 1; attempt <= attempts && !closed; attempt++) {
      // signed per attempt: a retry later than the tolerance must still carry a fresh timestamp
      const headers = { 'Content-Type': 'application/json', ...signWebhook(options.secret, raw, now() / 1000) };
      let status = 0;
      try {
        status = (await doFetch(url, { method: 'POST', headers, body: raw })).status;
      } catch (err) {
        log(`callback ${action} for ${conversationId} failed: ${(err as Error).message}`);
      }
      if (status >= 200 && status < 300) {
        stats.callbacks.sent++;
        stats.callbacks.byAction[action]++;
        return;
      }
      // a 4xx will not get better by asking again
      if (status >= 400 && status < 500) break;
      if (attempt < attempts) await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
    stats.callbacks.failed++;
    throw new Error(`Switchboard did not take the ${action} callback for ${conversationId}`);
  }

  async function answer(event: BotEvent): Promise<void> {
    const current = mode;
    if (current === 'silent') return;
    let brain = brains.get(event.conversationId);
    if (!brain) {
      brain = newBrainState();
      brains.set(event.conversationId, brain);
    }
    let turn;
    if (event.type === 'conversation.opened') {
      // a topic chosen before the chat (pre-chat answer, context variable) is what the customer came for
      const topic = event.context?.topic;
      if (typeof topic === 'string' && SUBJECTS.includes(topic)) brain.subject = topic as Subject;
      turn = greet(brain, event.locale);
    } else if (event.message.authorKind === 'agent' && event.id) {
      // An agent consulting the bot (Switchboard sends agents' words only then): answered in
      // reply to the event's id, which is how Switchboard keeps the answer for agents only; never
      // handed off, and never changing what the bot knows of the customer.
      const consulted = respond({ ...newBrainState(), greeted: true }, event.message.text, event.locale);
      if (closed) return;
      for (const text of consulted.say) await callBack(event.conversationId, 'messages', { id: randomUUID(), text, locale: LOCALES[consulted.language], inReplyTo: event.id });
      return;
    } else {
      // only the customer talks to the bot, and only until a person took over
      if (event.message.authorKind !== 'customer' || brain.handedOff) return;
      if (brain.ended) brain.ended = false;
      turn = respond(brain, event.message.text, event.locale);
    }
    if (typeof current === 'object') await sleep(current.slowMs);
    if (closed) return;
    const locale = LOCALES[turn.language];
    for (const text of turn.say) await callBack(event.conversationId, 'messages', { id: randomUUID(), text, locale });
    if (turn.handoff) {
      await callBack(event.conversationId, 'handoff', { id: randomUUID(), context: turn.handoff.context, summary: turn.handoff.agentMessage, locale });
    }
    if (turn.end) await callBack(event.conversationId, 'end', { id: randomUUID(), reason: 'resolved' });
  }

  function enqueue(event: BotEvent): void {
    const previous = chains.get(event.conversationId) ?? Promise.resolve();
    const next = previous.then(() => answer(event)).catch((err: Error) => log(err.message));
    chains.set(event.conversationId, next);
    void next.then(() => {
      if (chains.get(event.conversationId) === next) chains.delete(event.conversationId);
    });
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
  const refuse = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://bot').pathname;
    if (path !== EVENTS_PATH || req.method !== 'POST') return refuse(res, 404, 'NotFound', `Switchboard posts events to POST ${EVENTS_PATH}`);
    if (mode === 'down') {
      stats.events.refusedDown++;
      return refuse(res, 503, 'BotUnavailable', 'The bot is down (stand-in mode)');
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const check = verifyWebhookSignature({
      secrets,
      timestamp: header(TIMESTAMP_HEADER),
      signature: header(SIGNATURE_HEADER),
      rawBody: raw,
      nowSeconds: now() / 1000,
      ...(options.toleranceSeconds !== undefined ? { toleranceSeconds: options.toleranceSeconds } : {}),
    });
    if (!check.ok) {
      stats.events.refusedSignature++;
      return refuse(res, 401, 'InvalidSignature', `Signature refused: ${check.reason}`);
    }
    let parsed: ReturnType<typeof parseBotEvent>;
    try {
      parsed = parseBotEvent(JSON.parse(raw.toString('utf8')));
    } catch {
      parsed = { ok: false, message: 'The body is not valid JSON' };
    }
    if (!parsed.ok) {
      stats.events.malformed++;
      return refuse(res, 400, 'BadRequest', parsed.message);
    }
    const event = parsed.event;
    if (event.id !== undefined) {
      if (seenEvents.has(event.id)) {
        stats.events.duplicates++;
        return send(res, 202, { accepted: true, duplicate: true });
      }
      seenEvents.add(event.id);
    }
    stats.events.accepted++;
    enqueue(event);
    send(res, 202, { accepted: true });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return refuse(res, 413, 'PayloadTooLarge', `Events are at most ${MAX_BODY_BYTES} bytes`);
      handle(req, res, Buffer.concat(chunks));
    });
  });

  let url = '';
  return {
    get url() {
      return url;
    },
    async listen(port = 0, host = '127.0.0.1') {
      const listening = await listenOn(server, port, host);
      url = `${listening.origin}${EVENTS_PATH}`;
      return { port: listening.port, url };
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    setMode(next) {
      if (typeof next === 'object' && !(next.slowMs >= 0)) throw new Error('slowMs must be a number of milliseconds');
      mode = next;
    },
    mode: () => mode,
    stats: () => structuredClone(stats),
  };
}
