// The :7072 server: agent workspace, widget demo shop, phone simulator, and the local
// stand-ins of Twilio's, TeleSign's and ACS's send APIs.
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { metadata } from '@switchboard/solution';
import { AGENTS, type DemoAgent } from '../seed/demo-data';
import { REPO_ROOT } from '../stack/config';
import { buildClientBundles } from './assets';
import { FAVICON_SVG, agentPage, helpPage, indexPage, insightsPage, phonePage, shopPage, supervisorPage, workspacePage } from './pages';
import { PhoneSimulator, type ProviderKey } from './phone-simulator';
import { readResx } from './resx';
import { LANGUAGE_IDS, PAGE_STRINGS, languageOfId, pageLanguageOf } from './strings';
import { workspaceState } from './workspace-url';

export const CONTROL_NAMES = ['AgentInbox', 'CommunicationPane', 'SessionTimer', 'ConversationSummary', 'SupervisorDesk', 'Insights'] as const;

export interface WebServerOptions {
  port: number;
  host?: string;
  functionsUrl: string;
  publicBaseUrl: string;
  dataverseApi: string;
  secrets: Record<string, string>;
  /** ACS access key the SDK signs with (from the channel's connection string). */
  acsAccessKey: string;
  cacheDir: string;
  /** The ACS SDK only accepts an endpoint at the root of a host, so its stand-in gets its own port (0 = any). */
  acsPort: number;
  log?: (line: string) => void;
}

export interface WebServer {
  url: string;
  acsUrl: string;
  simulator: PhoneSimulator;
  close(): Promise<void>;
}

const entitySets = Object.fromEntries(Object.entries(metadata.entitySets).map(([set, logical]) => [logical, set]));

function controlBundle(name: string): string {
  return path.join(REPO_ROOT, 'controls', name, 'out', 'controls', name, 'bundle.js');
}

/** JSON for an inline script element: a `</script>` inside it would end the element. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function controlStrings(languageId: number): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const name of CONTROL_NAMES) {
    const dir = path.join(REPO_ROOT, 'controls', name, 'out', 'controls', name, 'strings');
    out[name] = { ...readResx(path.join(dir, `${name}.1033.resx`)), ...(languageId === 1033 ? {} : readResx(path.join(dir, `${name}.${languageId}.resx`))) };
  }
  return out;
}

function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/html; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');

const headerMap = (req: IncomingMessage) => Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? (() => undefined);
  const simulator = new PhoneSimulator({ functionsUrl: options.functionsUrl, publicBaseUrl: options.publicBaseUrl, secrets: options.secrets });
  const bundles = await buildClientBundles(options.cacheDir);
  let widgetFromFunctions: boolean | undefined;
  // What a page's controls need to act as `user`: who they are, the demo users, the Web API, the strings in their language.
  const controlsConfig = (user: DemoAgent, languageId: number) => ({
    agent: { id: user.id, fullname: user.fullname, token: user.token, key: user.key },
    agents: AGENTS.map((a) => ({ key: a.key, fullname: a.fullname })),
    dataverseApi: options.dataverseApi,
    entitySets,
    strings: controlStrings(languageId),
    languageId,
  });

  // The widget demo's script tag points at the functions app, as on a customer's site. Until
  // the functions app serves the script itself, this server serves widget/dist/widget.js
  // and forwards the chat API, so the widget (which derives its API from its own src) works.
  const widgetScriptUrl = async (): Promise<string> => {
    if (widgetFromFunctions === undefined || widgetFromFunctions === false) {
      const res = await fetch(`${options.functionsUrl}/api/chat/widget.js`).catch(() => undefined);
      widgetFromFunctions = res?.status === 200;
      await res?.arrayBuffer();
      if (!widgetFromFunctions) log('functions does not serve /api/chat/widget.js yet: the shop loads widget/dist/widget.js from this server, which forwards the chat API');
    }
    return widgetFromFunctions ? `${options.functionsUrl}/api/chat/widget.js` : `/api/chat/widget.js`;
  };

  const forwardChat = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'content-type', 'accept', 'origin']) if (req.headers[h]) headers[h] = String(req.headers[h]);
    const upstream = await fetch(options.functionsUrl + url.pathname + url.search, { method: req.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) });
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) out[k] = v;
    });
    res.writeHead(upstream.status, out);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = url.pathname;
    const method = req.method ?? 'GET';

    // ---- provider stand-ins -------------------------------------------------------------
    if (method === 'POST' && p.startsWith('/twilio/')) {
      const r = simulator.twilioSend(p, headerMap(req), await readBody(req));
      return json(res, r.status, r.body);
    }
    if (method === 'POST' && p === '/telesign/v1/messaging') {
      const r = simulator.telesignSend(headerMap(req), await readBody(req));
      return json(res, r.status, r.body);
    }

    // ---- phone simulator ----------------------------------------------------------------
    if (p === '/phone') return send(res, 200, phonePage());
    if (p === '/phone/api/send' && method === 'POST') {
      const input = JSON.parse(await readBody(req, 64 * 1024)) as { provider?: string; from?: string; body?: string };
      const provider = (['twilio', 'telesign', 'acs'] as const).find((k) => k === input.provider);
      if (!provider || !input.from || !input.body) return json(res, 400, { error: { code: 'bad_request', message: 'provider, from and body are required' } });
      const entry = await simulator.send({ provider, from: input.from, body: input.body });
      return json(res, 200, entry);
    }
    if (p === '/phone/api/thread') {
      const provider = (url.searchParams.get('provider') ?? 'twilio') as ProviderKey;
      const channel = simulator.channel(provider);
      const customer = simulator.e164(url.searchParams.get('from') ?? '', provider);
      const entries = simulator.thread.filter((e) => e.provider === provider && (!customer || e.customer === customer));
      return json(res, 200, { customer, channelNumber: channel.number, entries });
    }
    if (p === '/phone/api/all') return json(res, 200, simulator.thread);

    // ---- agent workspace ----------------------------------------------------------------
    if (p === '/workspace') {
      return send(res, 200, workspacePage(workspaceState(url.searchParams, AGENTS.map((a) => a.key))));
    }
    if (p === '/workspace/agent') {
      const agent = AGENTS.find((a) => a.key === url.searchParams.get('agent')) ?? AGENTS[0]!;
      // `lang` wins (the two-agent page passes its own); otherwise the agent's own language, as a
      // model-driven app takes it from the user's settings.
      const lang = pageLanguageOf(url.searchParams.get('lang')) ?? languageOfId(agent.languageId);
      const languageId = LANGUAGE_IDS[lang];
      const embedded = url.searchParams.get('embedded') === '1';
      const conversation = url.searchParams.get('conversation');
      const config = {
        ...controlsConfig(agent, languageId),
        page: PAGE_STRINGS[lang],
        embedded,
        ...(conversation && /^[0-9a-f-]{36}$/i.test(conversation) ? { conversationId: conversation.toLowerCase() } : {}),
      };
      return send(res, 200, agentPage(inlineJson(config), { agentName: agent.fullname, lang, embedded }));
    }
    if (p === '/workspace/supervisor') {
      // The supervisor's desk as the app's desk form shows it, signed in as a supervisor (Sam by
      // default); ?as= any demo user shows what someone without the role gets.
      const who = AGENTS.find((a) => a.key === (url.searchParams.get('as') ?? 'sam')) ?? AGENTS.find((a) => a.role === 'supervisor')!;
      const languageId = url.searchParams.get('lang') === 'fr' ? 1036 : 1033;
      const poll = Number(url.searchParams.get('poll'));
      const config = { ...controlsConfig(who, languageId), desk: { pollSeconds: Number.isFinite(poll) && poll >= 1 ? poll : 15, transcriptSeconds: 2 } };
      return send(res, 200, supervisorPage(inlineJson(config), who.fullname));
    }
    if (p === '/workspace/insights') {
      // Insights as the desk form's Insights tab shows them, as Sam by default; ?as= any demo user
      // shows what someone without the Supervisor role gets; ?range= the period shown first.
      const who = AGENTS.find((a) => a.key === (url.searchParams.get('as') ?? 'sam')) ?? AGENTS.find((a) => a.role === 'supervisor')!;
      const languageId = url.searchParams.get('lang') === 'fr' ? 1036 : 1033;
      const config = { ...controlsConfig(who, languageId), insights: { defaultRange: url.searchParams.get('range') ?? '7d' } };
      return send(res, 200, insightsPage(inlineJson(config), who.fullname));
    }
    if (p === '/assets/host.js') return send(res, 200, bundles.host, 'text/javascript; charset=utf-8');
    if (p === '/assets/workspace.js') return send(res, 200, bundles.workspace, 'text/javascript; charset=utf-8');
    const control = /^\/controls\/(\w+)\/bundle\.js$/.exec(p)?.[1];
    if (control && (CONTROL_NAMES as readonly string[]).includes(control)) {
      const file = controlBundle(control);
      if (!fs.existsSync(file)) return send(res, 404, `controls/${control} is not built`, 'text/plain');
      return send(res, 200, fs.readFileSync(file), 'text/javascript; charset=utf-8');
    }

    // ---- widget demo --------------------------------------------------------------------
    if (p === '/shop' || p === '/shop/') return send(res, 200, shopPage('home', await widgetScriptUrl()));
    if (p === '/shop/cart') return send(res, 200, shopPage('cart', await widgetScriptUrl()));
    if (p === '/help' || p === '/help/') return send(res, 200, helpPage(await widgetScriptUrl()));
    if (p === '/api/chat/widget.js') {
      const file = path.join(REPO_ROOT, 'widget', 'dist', 'widget.js');
      if (!fs.existsSync(file)) return send(res, 404, 'widget is not built', 'text/plain');
      return send(res, 200, fs.readFileSync(file), 'application/javascript; charset=utf-8');
    }
    if (p.startsWith('/api/chat/')) return forwardChat(req, res, url);

    if (p === '/favicon.svg' || p === '/favicon.ico') return send(res, 200, FAVICON_SVG, 'image/svg+xml');
    if (p === '/health') return json(res, 200, { status: 'ok' });
    if (p === '/') return send(res, 200, indexPage({ functions: options.functionsUrl, dataverseApi: options.dataverseApi }));
    return send(res, 404, 'not found', 'text/plain');
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`${req.method} ${req.url}: ${(err as Error).message}`);
      if (!res.headersSent) json(res, 500, { error: { code: 'web_error', message: (err as Error).message } });
      else res.end();
    });
  });
  // ACS: POST /sms?api-version=… at the root of its own host.
  const acs = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'POST' || url.pathname !== '/sms') return json(res, 404, { error: { code: 'NotFound', message: 'Only POST /sms is played here.' } });
    readBody(req).then(
      (body) => {
        const r = simulator.acsSend('POST', req.url ?? '', headerMap(req), body, options.acsAccessKey);
        json(res, r.status, r.body);
      },
      (err: Error) => json(res, 400, { error: { code: 'BadRequest', message: err.message } }),
    );
  });
  const listen = (srv: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, options.host ?? '127.0.0.1', () => resolve((srv.address() as AddressInfo).port));
    });
  const port = await listen(server, options.port);
  const acsPort = await listen(acs, options.acsPort);
  const close = (srv: http.Server) =>
    new Promise<void>((resolve) => {
      srv.closeAllConnections();
      srv.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    acsUrl: `http://127.0.0.1:${acsPort}`,
    simulator,
    close: async () => {
      await Promise.all([close(server), close(acs)]);
    },
  };
}
