import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoConfig, FakeChatBackend } from './fake-chat-backend';

// Two origins on 127.0.0.1, ephemeral ports: the "functions app" serving the
// chat API and the built widget, and a fake shop embedding it with one script
// tag. A third origin (a partner site) shows the cross-site hand-off.
export interface FakeChatServer {
  readonly backend: FakeChatBackend;
  /** e.g. http://127.0.0.1:41234/api/chat */
  readonly apiBase: string;
  /** Shop origin, pages /index.html and /checkout.html */
  readonly shopOrigin: string;
  /** A different origin embedding the same widget, page /index.html */
  readonly partnerOrigin: string;
  close(): Promise<void>;
}

export interface FakeChatServerOptions {
  /** Path of the built dist/widget.js to serve at /api/chat/widget.js. */
  readonly widgetScript: string;
  readonly backend?: FakeChatBackend;
  readonly widgetId?: string;
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Host-page CSS that would wreck an unisolated widget: the screenshot and the
// browser test show it does not reach inside the shadow root.
const hostileCss = `
  * { font-family: "Courier New", monospace !important; letter-spacing: .08em; }
  body { margin: 0; font-size: 20px; color: #4a2c00; background: #fdf6ec; line-height: 2.2; }
  button, input, select, textarea { background: hotpink; border: 4px dashed green; border-radius: 0; }
  div, p, li { padding: 6px; }
  header { background: #222; color: #fff; padding: 16px 24px; }
  main { padding: 24px; }
`;

function shopPage(title: string, body: string, scriptSrc: string, widgetId: string, context: Record<string, string>): string {
  // data-context is an attribute: JSON with quotes escaped for HTML.
  const ctx = JSON.stringify(context).replace(/&/g, '&amp;').replace(/'/g, '&#39;');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${hostileCss}</style></head>
<body><header><strong>Contoso Outdoor</strong> — ${title}</header>
<main>${body}</main>
<script src="${scriptSrc}" data-widget-id="${widgetId}" data-context='${ctx}' async></script>
</body></html>`;
}

export async function startFakeChatServer(options: FakeChatServerOptions): Promise<FakeChatServer> {
  const backend = options.backend ?? new FakeChatBackend();
  const widgetId = options.widgetId ?? demoConfig.widgetId;
  const apiServer = http.createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      if (req.method === 'GET' && url.split('?')[0] === '/api/chat/widget.js') {
        // Read on every request so a rebuild shows up without a restart.
        res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
        res.end(readFileSync(options.widgetScript));
        return;
      }
      if (!url.startsWith('/api/chat/')) {
        res.writeHead(404).end();
        return;
      }
      const body = await readBody(req);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const answer = backend.handle({ method: req.method ?? 'GET', path: url.slice('/api/chat'.length), headers, body });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: String(error) } }));
    });
  });
  const apiOrigin = await listen(apiServer);
  const apiBase = `${apiOrigin}/api/chat`;
  const scriptSrc = `${apiBase}/widget.js`;

  let partnerOrigin = '';
  const shopServer = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const pages: Record<string, () => string> = {
      '/': () => pages['/index.html'](),
      '/index.html': () =>
        shopPage(
          'Tents',
          `<h1>Tents</h1><p>The Trailhead 2 tent — 2 persons, 1.9 kg, €249.</p>
           <p><a id="to-checkout" href="/checkout.html">Go to checkout</a></p>`,
          scriptSrc,
          widgetId,
          { orderId: '42', page: 'tents' },
        ),
      '/checkout.html': () =>
        shopPage(
          'Checkout',
          `<h1>Checkout</h1><p>1 × Trailhead 2 — €249.</p>
           <p><a id="to-partner" href="${partnerOrigin}/index.html">Track your parcel with our delivery partner</a></p>`,
          scriptSrc,
          widgetId,
          { orderId: '42', page: 'checkout' },
        ),
    };
    const page = pages[path];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page());
  });
  const partnerServer = http.createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/index.html') {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(shopPage('Parcel tracking (partner site)', '<h1>Your parcel</h1><p>In transit.</p>', scriptSrc, widgetId, {}));
  });
  const shopOrigin = await listen(shopServer);
  partnerOrigin = await listen(partnerServer);

  const config = backend.configs[widgetId] ?? demoConfig;
  backend.configs[widgetId] = { ...config, widgetId, allowedOrigins: [shopOrigin, partnerOrigin] };

  return {
    backend,
    apiBase,
    shopOrigin,
    partnerOrigin,
    close: async () => {
      for (const server of [apiServer, shopServer, partnerServer]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
