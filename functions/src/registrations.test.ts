import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { FunctionDef, FunctionsAppLike, HttpFunctionDef } from './hosting/function-def';
import { register, validateTable } from './hosting/function-def';
import { functionsTable, LIMITS, type Services } from './registrations';
import { notImplementedServices } from './composition';
import { RetriesExhausted } from './dataverse/errors';
import { loadConfig } from './config';
import { ConfigError } from './hosting/errors';

const settings = {
  publicBaseUrl: 'https://switchboard.example.com',
  webhookKey: 'k'.repeat(32),
  storageConnectionSetting: 'AzureWebJobsStorage',
  queues: { routing: 'swb-routing' },
};

function table(overrides: Partial<Services> = {}): FunctionDef[] {
  return functionsTable({ ...notImplementedServices(), ...overrides }, settings);
}

function http(defs: FunctionDef[], name: string): HttpFunctionDef {
  const def = defs.find((d) => d.name === name);
  if (!def || def.kind !== 'http') throw new Error(`no http function ${name}`);
  return def;
}

const quiet = () => new InvocationContext({ functionName: 'test', logHandler: () => undefined });

async function call(def: HttpFunctionDef, init: ConstructorParameters<typeof HttpRequest>[0]): Promise<{ status: number; body: unknown; headers: Record<string, string> }> {
  const response = (await def.handler(new HttpRequest(init), quiet())) as HttpResponseInit;
  const headers = Object.fromEntries(Object.entries((response.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
  return { status: response.status ?? 200, body: response.jsonBody ?? response.body, headers };
}

test('every public route of the design is registered with exactly its methods', () => {
  const routes = table()
    .filter((d): d is HttpFunctionDef => d.kind === 'http')
    .flatMap((d) => d.methods.filter((m) => m !== 'OPTIONS').map((m) => `${m} /api/${d.route}`))
    .sort();
  expect(routes).toEqual(
    [
      'POST /api/sms/twilio/{channelId}',
      'POST /api/sms/twilio/{channelId}/status',
      'POST /api/sms/telesign/{channelId}',
      'POST /api/sms/acs/{channelId}',
      'POST /api/sms/{channelId}/validate',
      // Beyond the design's table: admin-only (function key + admin key), templates to many customers.
      'POST /api/admin/broadcasts',
      'GET /api/chat/{widgetId}/config',
      'POST /api/chat/{widgetId}/conversations',
      'GET /api/chat/conversations/{id}/messages',
      'POST /api/chat/conversations/{id}/messages',
      'POST /api/chat/conversations/{id}/end',
      'POST /api/chat/conversations/{id}/negotiate',
      'POST /api/chat/conversations/{id}/typing',
      'POST /api/chat/conversations/{id}/csat',
      'GET /api/chat/widget.js',
      // Beyond the design's table: Web PubSub's event handler (signed by the service).
      'POST /api/push/events',
      'POST /api/dataverse/{step}',
      'POST /api/bots/{botId}/conversations/{id}/{action}',
      'GET /api/health',
    ].sort(),
  );
});

test('register hands every definition to the matching app method', () => {
  const calls: string[] = [];
  const app: FunctionsAppLike = {
    http: (name, o) => void calls.push(`http ${name} ${o.route} ${o.methods?.join(',')} ${o.authLevel}`),
    storageQueue: (name, o) => void calls.push(`queue ${name} ${o.queueName} ${o.connection}`),
    timer: (name, o) => void calls.push(`timer ${name} ${o.schedule}`),
  };
  register(app, table());
  expect(calls).toContain('http sms-twilio-inbound sms/twilio/{channelId} POST anonymous');
  expect(calls).toContain('http sms-validate sms/{channelId}/validate POST function');
  expect(calls).toContain('queue routing-worker swb-routing AzureWebJobsStorage');
  // One timer, the insights fold (an idle run is one read); offers time out by their own delayed work items.
  expect(calls.filter((c) => c.startsWith('timer '))).toEqual(['timer insights-fold 0 */5 * * * *']);
  expect(calls).toHaveLength(table().length);
});

test('a table with a duplicate name or two functions on one route is refused', () => {
  const h = async () => ({});
  expect(() =>
    validateTable([
      { kind: 'http', name: 'a', route: 'x/{id}', methods: ['GET'], authLevel: 'anonymous', handler: h },
      { kind: 'http', name: 'A', route: 'x/{other}', methods: ['GET'], authLevel: 'anonymous', handler: h },
    ]),
  ).toThrow(/duplicate function name[\s\S]*both answer GET/);
  expect(() => validateTable([{ kind: 'queue', name: 'q', queueName: 'Bad_Name', connection: 'S', handler: h }])).toThrow(/invalid queue name/);
});

test('a route whose service is not built yet answers 501 NotImplemented, never a fake success', async () => {
  const res = await call(http(table(), 'chat-config'), { method: 'GET', url: 'http://h/api/chat/w1/config', params: { widgetId: 'w1' } });
  expect(res.status).toBe(501);
  expect(res.body).toEqual({ error: { code: 'NotImplemented', message: expect.stringContaining('Chat API') } });
});

test('the webhook route refuses a missing or wrong key with 401 and never reaches the service', async () => {
  let reached = 0;
  const defs = table({ pluginWebhooks: { handle: async () => ((reached++), { status: 200 }) } });
  const hook = http(defs, 'dataverse-webhook');
  const base = { method: 'POST', params: { step: 'route-on-create' }, headers: { 'content-type': 'application/json' }, body: { string: '{}' } };
  expect((await call(hook, { ...base, url: 'http://h/api/dataverse/route-on-create' })).status).toBe(401);
  expect((await call(hook, { ...base, url: 'http://h/api/dataverse/route-on-create?code=wrong' })).status).toBe(401);
  expect(reached).toBe(0);
  const ok = await call(hook, { ...base, url: `http://h/api/dataverse/route-on-create?code=${settings.webhookKey}` });
  expect(ok.status).toBe(200);
  const viaHeader = await call(hook, { ...base, url: 'http://h/api/dataverse/route-on-create', headers: { ...base.headers, 'x-switchboard-webhook-key': settings.webhookKey } });
  expect(viaHeader.status).toBe(200);
  expect(reached).toBe(2);
});

test('the webhook passes the parsed execution context and the step name to the service', async () => {
  let got: unknown[] = [];
  const hook = http(table({ pluginWebhooks: { handle: async (step, ctx) => ((got = [step, ctx]), { status: 202, body: { accepted: true } }) } }), 'dataverse-webhook');
  const res = await call(hook, {
    method: 'POST',
    url: `http://h/api/dataverse/message-created?code=${settings.webhookKey}`,
    params: { step: 'message-created' },
    headers: { 'content-type': 'application/json' },
    body: { string: '{"MessageName":"Create","PrimaryEntityName":"swb_message"}' },
  });
  expect(res).toMatchObject({ status: 202, body: { accepted: true } });
  expect(got).toEqual(['message-created', { MessageName: 'Create', PrimaryEntityName: 'swb_message' }]);
});

test('caller mistakes in a body are 4xx: too large 413, not JSON 415, malformed 400', async () => {
  const start = http(table({ chat: { ...notImplementedServices().chat, startConversation: async () => ({ status: 201, body: {} }) } }), 'chat-start');
  const url = 'http://h/api/chat/w1/conversations';
  const params = { widgetId: 'w1' };
  const big = await call(start, { method: 'POST', url, params, headers: { 'content-type': 'application/json' }, body: { string: `"${'x'.repeat(LIMITS.chatStartBytes)}"` } });
  expect(big).toMatchObject({ status: 413, body: { error: { code: 'PayloadTooLarge' } } });
  const text = await call(start, { method: 'POST', url, params, headers: { 'content-type': 'text/plain' }, body: { string: '{}' } });
  expect(text).toMatchObject({ status: 415, body: { error: { code: 'UnsupportedMediaType' } } });
  const broken = await call(start, { method: 'POST', url, params, headers: { 'content-type': 'application/json' }, body: { string: '{"a":' } });
  expect(broken).toMatchObject({ status: 400, body: { error: { code: 'InvalidJson' } } });
  const fine = await call(start, { method: 'POST', url, params, headers: { 'content-type': 'application/json' }, body: { string: '{"answers":{}}' } });
  expect(fine.status).toBe(201);
});

test('an SMS callback reaches the service with the raw body and the public URL the provider signed', async () => {
  let seen: unknown;
  const sms = http(
    table({
      sms: {
        handle: async (cb) => {
          seen = cb;
          return { status: 200, headers: { 'content-type': 'text/xml' }, body: '<Response/>' };
        },
      },
    }),
    'sms-twilio-inbound',
  );
  const res = await call(sms, {
    method: 'POST',
    url: 'http://10.0.0.4:7071/api/sms/twilio/ch-1?x=1',
    params: { channelId: 'ch-1' },
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': 'sig' },
    body: { string: 'From=%2B15551234567&Body=Hi+there' },
  });
  expect(res).toMatchObject({ status: 200, body: '<Response/>', headers: { 'content-type': 'text/xml' } });
  expect(seen).toMatchObject({
    provider: 'twilio',
    kind: 'message',
    channelId: 'ch-1',
    publicUrl: 'https://switchboard.example.com/api/sms/twilio/ch-1?x=1',
    request: { method: 'POST', rawBody: 'From=%2B15551234567&Body=Hi+there', headers: { 'x-twilio-signature': 'sig' } },
  });
});

test('a route parameter that cannot be an id is a 400, not a lookup', async () => {
  const res = await call(http(table(), 'sms-acs'), { method: 'POST', url: 'http://h/api/sms/acs/x', params: { channelId: 'a b;drop' }, body: { string: '[]' } });
  expect(res).toMatchObject({ status: 400, body: { error: { code: 'InvalidRouteParameter' } } });
});

test('reading messages after a non-number is a 400', async () => {
  const res = await call(http(table(), 'chat-messages'), { method: 'GET', url: 'http://h/api/chat/conversations/c1/messages?after=abc', params: { id: 'c1' } });
  expect(res).toMatchObject({ status: 400, body: { error: { code: 'InvalidQuery' } } });
});

test('our own failures are a 500 that does not leak internals; Dataverse throttling becomes 503 with Retry-After', async () => {
  const boom = http(table({ widgetScript: { script: async () => { throw new Error('secret connection string xyz'); } } }), 'chat-widget-script');
  const res = await call(boom, { method: 'GET', url: 'http://h/api/chat/widget.js' });
  expect(res).toMatchObject({ status: 500, body: { error: { code: 'InternalError' } } });
  expect(JSON.stringify(res.body)).not.toContain('secret');

  const throttled = http(
    table({ widgetScript: { script: async () => { throw new RetriesExhausted(5, Object.assign(new Error('limit'), { status: 429 }), 42); } } }),
    'chat-widget-script',
  );
  const t = await call(throttled, { method: 'GET', url: 'http://h/api/chat/widget.js' });
  expect(t).toMatchObject({ status: 503, headers: { 'retry-after': '42' } });
});

test('configuration errors name every missing setting at once', () => {
  let err: unknown;
  try {
    loadConfig({ DATAVERSE_AUTH: 'client-secret' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).problems).toEqual(
    expect.arrayContaining([
      'DATAVERSE_URL is required',
      'AZURE_TENANT_ID is required',
      'AZURE_CLIENT_ID is required',
      'AZURE_CLIENT_SECRET is required',
      'WEBHOOK_KEY is required',
      'PUBLIC_BASE_URL is required',
    ]),
  );
});

test('a static token is refused against anything but the loopback emulator', () => {
  const env = {
    DATAVERSE_AUTH: 'static-token',
    DATAVERSE_STATIC_TOKEN: 'dev',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    WEBHOOK_KEY: 'k'.repeat(20),
    PUBLIC_BASE_URL: 'http://127.0.0.1:7071',
  };
  expect(() => loadConfig({ ...env, DATAVERSE_URL: 'https://contoso.crm.dynamics.com' })).toThrow(/only allowed with a loopback/);
  expect(loadConfig({ ...env, DATAVERSE_URL: 'http://127.0.0.1:7070/' })).toMatchObject({
    dataverse: { url: 'http://127.0.0.1:7070', auth: { kind: 'static-token', token: 'dev' } },
    queues: { routing: 'swb-routing' },
  });
});
