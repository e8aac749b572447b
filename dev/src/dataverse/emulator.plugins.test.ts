// Plugin steps as webhooks: registration rows, the execution context posted, sync veto and
// Target changes inside the transaction, filtering attributes, images, durable async delivery.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DynamicsWebApi } from 'dynamics-web-api';
import { metadata } from '@switchboard/solution';
import { type Emulator, createEmulator } from './emulator';
import type { FetchLike } from './plugin-dispatcher';
import { fixtureMetadata } from './testing/fixture-metadata';
import { registerWebhookStep } from './testing/register-step';

interface Hit {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Record<string, any>;
}

let hooks: http.Server;
let hookUrl: string;
const hits: Hit[] = [];
let reply: (hit: Hit) => { status: number; body?: unknown } = () => ({ status: 200 });

let emu: Emulator;
let api: DynamicsWebApi;

const client = (token: string) =>
  new DynamicsWebApi({ serverUrl: emu.url.replace('/api/data/v9.2/', ''), dataApi: { version: '9.2' }, onTokenRefresh: async () => token, propagateErrors: true });

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  hooks = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const hit: Hit = { path: url.pathname, query: url.searchParams, headers: req.headers, body: JSON.parse(data || '{}') };
      hits.push(hit);
      const r = reply(hit);
      res.writeHead(r.status, { 'Content-Type': 'application/json' });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  emu = createEmulator({ metadata: fixtureMetadata, db: ':memory:', asyncRetry: { baseDelayMs: 20, maxAttempts: 5 } });
  await emu.listen(0);
  api = client(emu.appToken);
});
afterAll(async () => {
  await emu.close();
  await new Promise((r) => hooks.close(r));
});
beforeEach(() => {
  hits.length = 0;
});

it('a pre-operation step receives the execution context and may rewrite the Target before the write', async () => {
  await registerWebhookStep(api, { name: 'normalise phone', url: `${hookUrl}/normalise`, message: 'Create', table: 'contact', stage: 20, mode: 'sync', key: 's3cret' });
  reply = (hit) => hit.path === '/normalise' ? { status: 200, body: { Target: { mobilephone: '+33612345678' } } } : { status: 200 };
  const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Zoe', mobilephone: '06 12 34 56 78' } });
  expect((await api.retrieve({ collection: 'contacts', key: id, select: ['mobilephone'] })).mobilephone).toBe('+33612345678');
  const hit = hits.find((h) => h.path === '/normalise')!;
  expect(hit.query.get('code')).toBe('s3cret');
  expect(hit.headers['x-ms-dynamics-request-name']).toBe('Create');
  const ctx = hit.body;
  expect(ctx).toMatchObject({ MessageName: 'Create', PrimaryEntityName: 'contact', PrimaryEntityId: id, Stage: 20, Mode: 0, Depth: 1, InitiatingUserId: '0a7e0003-0000-4000-8000-000000000001' });
  expect(ctx.CorrelationId).toMatch(/^[0-9a-f-]{36}$/);
  expect(ctx.OperationCreatedOn).toMatch(/^\/Date\(\d+\)\/$/);
  const target = ctx.InputParameters.find((p: { key: string }) => p.key === 'Target').value;
  expect(target.LogicalName).toBe('contact');
  expect(target.Attributes).toEqual(expect.arrayContaining([{ key: 'mobilephone', value: '06 12 34 56 78' }, { key: 'firstname', value: 'Zoe' }]));
  expect(target.Attributes).toEqual(expect.arrayContaining([{ key: 'statecode', value: { __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 0 } }]));
});

it('MSCRM.BypassCustomPluginExecution skips the steps for the application user only', async () => {
  const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Raw', mobilephone: '06 00 00 00 00' }, bypassCustomPluginExecution: true });
  expect((await api.retrieve({ collection: 'contacts', key: id, select: ['mobilephone'] })).mobilephone).toBe('06 00 00 00 00');
  expect(hits).toHaveLength(0);
  emu.seedUser({ fullname: 'Plain Agent', domainname: 'plain@switchboard.dev' });
  const err = await client('dev:plain@switchboard.dev').create({ collection: 'contacts', data: { firstname: 'x' }, bypassCustomPluginExecution: true }).catch((e) => e);
  expect([err.status, err.code]).toEqual([403, '0x80040220']);
});

it('a sync post-operation step that answers non-2xx vetoes the write and the caller sees its message', async () => {
  await registerWebhookStep(api, { name: 'opt-out guard', url: `${hookUrl}/guard`, message: 'Create', table: 'swb_message', stage: 40, mode: 'sync' });
  reply = (hit) => hit.path === '/guard' && hit.body.InputParameters[0].value.Attributes.some((a: { key: string; value: unknown }) => a.key === 'swb_body' && a.value === 'STOP')
    ? { status: 400, body: { error: { code: 'optedOut', message: 'The customer has opted out of SMS.' } } }
    : { status: 200 };
  const err = await api.create({ collection: 'swb_messages', data: { swb_body: 'STOP', swb_providermessageid: 'veto-1' } }).catch((e) => e);
  expect([err.status, err.code, err.message]).toEqual([400, '0x80040265', 'The customer has opted out of SMS.']);
  const left = await api.retrieveMultiple({ collection: 'swb_messages', filter: "swb_providermessageid eq 'veto-1'" });
  expect(left.value).toHaveLength(0);
  const ok: string = await api.create({ collection: 'swb_messages', data: { swb_body: 'hello', swb_providermessageid: 'veto-2' } });
  const posted = hits.filter((h) => h.path === '/guard').at(-1)!.body;
  expect(posted).toMatchObject({ Stage: 40, PrimaryEntityId: ok, OutputParameters: [{ key: 'id', value: ok }] });
});

it('update steps honour filtering attributes and receive the pre and post images they registered', async () => {
  await registerWebhookStep(api, {
    name: 'phone changed', url: `${hookUrl}/phone-changed`, message: 'Update', table: 'contact', stage: 40, mode: 'sync',
    filteringAttributes: ['mobilephone'], images: [{ alias: 'PreImage', type: 'pre', attributes: ['mobilephone'] }, { alias: 'PostImage', type: 'post' }],
  });
  reply = () => ({ status: 200 });
  const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Ivy', mobilephone: '+15550001' } });
  await api.update({ collection: 'contacts', key: id, data: { firstname: 'Ivy2' } });
  expect(hits.filter((h) => h.path === '/phone-changed')).toHaveLength(0);
  await api.update({ collection: 'contacts', key: id, data: { mobilephone: '+15550002' } });
  const [hit] = hits.filter((h) => h.path === '/phone-changed');
  expect(hit.body.MessageName).toBe('Update');
  expect(hit.body.PreEntityImages[0].key).toBe('PreImage');
  expect(hit.body.PreEntityImages[0].value.Attributes).toEqual([{ key: 'mobilephone', value: '+15550001' }]);
  const post = hit.body.PostEntityImages[0].value.Attributes;
  expect(post).toEqual(expect.arrayContaining([{ key: 'mobilephone', value: '+15550002' }, { key: 'firstname', value: 'Ivy2' }]));
  const target = hit.body.InputParameters[0].value.Attributes.map((a: { key: string }) => a.key);
  expect(target).toEqual(expect.arrayContaining(['contactid', 'mobilephone']));
  expect(target).not.toContain('firstname');
});

it('delete steps get an EntityReference Target', async () => {
  await registerWebhookStep(api, { name: 'account deleted', url: `${hookUrl}/deleted`, message: 'Delete', table: 'account', stage: 40, mode: 'sync' });
  const id: string = await api.create({ collection: 'accounts', data: { name: 'Short lived' } });
  await api.deleteRecord({ collection: 'accounts', key: id });
  const [hit] = hits.filter((h) => h.path === '/deleted');
  expect(hit.body.InputParameters[0].value).toMatchObject({ Id: id, LogicalName: 'account' });
});

it('async steps are delivered after the commit and retried with backoff until the webhook accepts', async () => {
  await registerWebhookStep(api, { name: 'route conversation', url: `${hookUrl}/route`, message: 'Create', table: 'swb_conversation', stage: 40, mode: 'async' });
  let failures = 2;
  reply = (hit) => (hit.path === '/route' && failures-- > 0 ? { status: 503 } : { status: 200 });
  const id: string = await api.create({ collection: 'swb_conversations', data: { subject: 'route me' } });
  await until(() => hits.filter((h) => h.path === '/route').length === 3);
  await until(() => emu.plugins.pending().length === 0);
  expect(hits.filter((h) => h.path === '/route').every((h) => h.body.PrimaryEntityId === id && h.body.Mode === 1)).toBe(true);
});

it('an async job queued inside a change set that rolls back is never delivered', async () => {
  reply = () => ({ status: 200 });
  api.startBatch();
  api.create({ collection: 'swb_conversations', data: { subject: 'never routed' } });
  api.create({ collection: 'swb_conversations', data: { nosuch: 1 } });
  await api.executeBatch().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  expect(hits.filter((h) => h.path === '/route' && h.body.InputParameters[0].value.Attributes.some((a: { value: unknown }) => a.value === 'never routed'))).toHaveLength(0);
  expect(emu.plugins.pending()).toHaveLength(0);
});

it('async jobs survive a restart of the emulator on a file database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-emu-restart-'));
  const db = join(dir, 'dv.db');
  const delivered: string[] = [];
  const down: FetchLike = async () => { throw new Error('connection refused'); };
  const up: FetchLike = async (_url, init) => {
    delivered.push(JSON.parse(init.body).PrimaryEntityId);
    return { status: 204, text: async () => '' };
  };
  try {
    const first = createEmulator({ metadata: fixtureMetadata, db, fetch: down, asyncRetry: { baseDelayMs: 300 } });
    await first.listen(0);
    const a = new DynamicsWebApi({ serverUrl: first.url.replace('/api/data/v9.2/', ''), dataApi: { version: '9.2' }, onTokenRefresh: async () => first.appToken });
    await registerWebhookStep(a, { name: 'durable', url: 'http://127.0.0.1:9/unreachable', message: 'Create', table: 'account', stage: 40, mode: 'async' });
    const id: string = await a.create({ collection: 'accounts', data: { name: 'durable' } });
    await until(() => first.plugins.pending().some((j) => j.attempts === 1));
    await first.close();
    const second = createEmulator({ metadata: fixtureMetadata, db, fetch: up });
    try {
      await until(() => delivered.includes(id));
      expect(second.plugins.pending()).toHaveLength(0);
      expect((second.operations.store.get(second.store.reader, second.operations.model.entity('account'), id))?.name).toBe('durable');
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('Associate and Disassociate steps (N:N $ref)', () => {
  const APP_USER = '0a7e0003-0000-4000-8000-000000000001';
  const param = (body: Record<string, any>, key: string) => body.InputParameters.find((p: { key: string }) => p.key === key)?.value;
  const members = async (queue: string) =>
    (await api.retrieve({ collection: 'queues', key: queue, expand: [{ property: 'queuemembership_association', select: ['systemuserid'] }] }))
      .queuemembership_association.map((u: { systemuserid: string }) => u.systemuserid);

  it('a registered async Associate step receives the context once, with the relationship, the Target and the related row', async () => {
    await registerWebhookStep(api, { name: 'membership added', url: `${hookUrl}/membership`, message: 'Associate', stage: 40, mode: 'async', key: 'k1' });
    await registerWebhookStep(api, { name: 'membership removed', url: `${hookUrl}/membership`, message: 'Disassociate', stage: 40, mode: 'async', key: 'k1' });
    reply = () => ({ status: 200 });
    const queue: string = await api.create({ collection: 'queues', data: { name: 'Billing' } });
    const agent = emu.seedUser({ fullname: 'Ada Agent', domainname: 'ada@switchboard.dev' });

    await api.associate({ collection: 'queues', primaryKey: queue, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: agent });
    await until(() => hits.some((h) => h.path === '/membership'));
    await until(() => emu.plugins.pending().length === 0);
    await new Promise((r) => setTimeout(r, 50));
    const added = hits.filter((h) => h.path === '/membership');
    expect(added).toHaveLength(1);
    const [hit] = added;
    expect(hit.query.get('code')).toBe('k1');
    expect(hit.headers['x-ms-dynamics-request-name']).toBe('Associate');
    expect(hit.body).toMatchObject({
      MessageName: 'Associate', Stage: 40, Mode: 1, Depth: 1, InitiatingUserId: APP_USER, UserId: APP_USER,
      PrimaryEntityName: 'none', PrimaryEntityId: '00000000-0000-0000-0000-000000000000',
    });
    expect(param(hit.body, 'Target')).toMatchObject({ __type: 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts', LogicalName: 'queue', Id: queue });
    expect(param(hit.body, 'Relationship')).toEqual({ __type: 'Relationship:http://schemas.microsoft.com/xrm/2011/Contracts', PrimaryEntityRole: null, SchemaName: 'queuemembership_association' });
    expect(param(hit.body, 'RelatedEntities')).toEqual([expect.objectContaining({ LogicalName: 'systemuser', Id: agent })]);

    // The same membership removed from the user's side: Target is the user, the queue is related.
    await api.disassociate({ collection: 'systemusers', primaryKey: agent, relationshipName: 'queuemembership_association', relatedKey: queue });
    await until(() => hits.filter((h) => h.path === '/membership').length === 2);
    const removed = hits.filter((h) => h.path === '/membership')[1]!.body;
    expect(removed.MessageName).toBe('Disassociate');
    expect(param(removed, 'Target')).toMatchObject({ LogicalName: 'systemuser', Id: agent });
    expect(param(removed, 'RelatedEntities')).toEqual([expect.objectContaining({ LogicalName: 'queue', Id: queue })]);
    expect(await members(queue)).toEqual([]);
  });

  it('a sync Associate step that answers non-2xx vetoes the association: no row, no async job, the caller sees its message', async () => {
    const blocked = emu.seedUser({ fullname: 'Blocked Agent', domainname: 'blocked@switchboard.dev' });
    const allowed = emu.seedUser({ fullname: 'Allowed Agent', domainname: 'allowed@switchboard.dev' });
    await registerWebhookStep(api, { name: 'membership guard', url: `${hookUrl}/membership-guard`, message: 'Associate', stage: 40, mode: 'sync' });
    reply = (hit) => hit.path === '/membership-guard' && param(hit.body, 'RelatedEntities')[0].Id === blocked
      ? { status: 403, body: { error: { code: 'notAllowed', message: 'This agent may not join the queue.' } } }
      : { status: 200 };
    const queue: string = await api.create({ collection: 'queues', data: { name: 'VIP' } });

    const err = await api.associate({ collection: 'queues', primaryKey: queue, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: blocked }).catch((e) => e);
    expect([err.status, err.code, err.message]).toEqual([400, '0x80040265', 'This agent may not join the queue.']);
    expect(await members(queue)).toEqual([]);
    expect(emu.plugins.pending()).toHaveLength(0);
    expect(hits.filter((h) => h.path === '/membership')).toHaveLength(0);

    await api.associate({ collection: 'queues', primaryKey: queue, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: allowed });
    expect(await members(queue)).toEqual([allowed]);
    await until(() => hits.some((h) => h.path === '/membership'));
    expect(hits.filter((h) => h.path === '/membership-guard').map((h) => h.body.Mode)).toEqual([0, 0]);
  });
});

// Deep insert is one Create per row on Dataverse, so each row's steps run:
// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api#create-related-table-rows-in-one-operation
it('a deep insert runs the Create steps of every row it creates, parent and related', async () => {
  await registerWebhookStep(api, { name: 'deep conversation', url: `${hookUrl}/deep-conv`, message: 'Create', table: 'swb_conversation', stage: 40, mode: 'sync' });
  await registerWebhookStep(api, { name: 'deep message', url: `${hookUrl}/deep-msg`, message: 'Create', table: 'swb_message', stage: 20, mode: 'sync' });
  reply = () => ({ status: 200 });
  const conv: string = await api.create({ collection: 'swb_conversations', data: { subject: 'deep plugins', swb_conversation_messages: [{ swb_body: 'one' }, { swb_body: 'two' }] } });
  expect(hits.filter((h) => h.path === '/deep-conv').map((h) => h.body.PrimaryEntityId)).toEqual([conv]);
  const messageTargets = hits.filter((h) => h.path === '/deep-msg').map((h) => h.body.InputParameters[0].value.Attributes);
  expect(messageTargets).toHaveLength(2);
  for (const attrs of messageTargets) {
    expect(attrs).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'swb_conversationid', value: expect.objectContaining({ Id: conv, LogicalName: 'swb_conversation' }) })]));
  }
});

// "Use Webhooks", request headers: x-ms-dynamics-msg-size-exceeded is "sent only when the HTTP
// payload size exceeds the 256KB", and the context then comes without its large parts.
// https://learn.microsoft.com/power-apps/developer/data-platform/use-webhooks
it('a context over 256 KB is posted trimmed, as Dataverse does: no InputParameters or images, and the size-exceeded header', async () => {
  const big = createEmulator({ metadata, db: ':memory:' });
  await big.listen(0);
  try {
    const app = new DynamicsWebApi({ serverUrl: big.url.replace('/api/data/v9.2/', ''), dataApi: { version: '9.2' }, onTokenRefresh: async () => big.appToken, propagateErrors: true });
    await registerWebhookStep(app, { name: 'big conversation', url: `${hookUrl}/big`, message: 'Create', table: 'swb_conversation', stage: 40, mode: 'sync' });
    reply = () => ({ status: 200 });
    // Two JSON columns of accented text: over 256 KB once UTF-8 encoded.
    const small: string = await app.create({ collection: 'swb_conversations', data: { subject: 'small', swb_context: '{"a":1}' } });
    const id: string = await app.create({ collection: 'swb_conversations', data: { subject: 'big', swb_context: 'é'.repeat(90_000), swb_prechatanswers: 'è'.repeat(60_000) } });
    const [first, second] = hits.filter((h) => h.path === '/big');
    expect(first!.body.PrimaryEntityId).toBe(small);
    expect(first!.headers['x-ms-dynamics-msg-size-exceeded']).toBeUndefined();
    expect(first!.body.InputParameters).toHaveLength(1);
    expect(second!.headers['x-ms-dynamics-msg-size-exceeded']).toBe('true');
    expect(second!.body).toMatchObject({ PrimaryEntityId: id, PrimaryEntityName: 'swb_conversation', MessageName: 'Create' });
    for (const gone of ['InputParameters', 'PreEntityImages', 'PostEntityImages', 'ParentContext']) expect(second!.body).not.toHaveProperty(gone);
  } finally {
    await big.close();
  }
});
