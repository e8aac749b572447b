// Identity and table privileges, over HTTP with dynamics-web-api.
import { DynamicsWebApi } from 'dynamics-web-api';
import { type Emulator, createEmulator } from './emulator';
import { ADMIN_ROLE, AGENT_ROLE, SUPERVISOR_ROLE, fixtureMetadata } from './testing/fixture-metadata';

let emu: Emulator;
let port: number;
const client = (token: string) =>
  new DynamicsWebApi({ serverUrl: `http://127.0.0.1:${port}`, dataApi: { version: '9.2' }, onTokenRefresh: async () => token, propagateErrors: true });

async function failure(p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { status: number; code: string; message: string };
  }
  throw new Error('expected the request to fail');
}

let alice: string;
let bob: string;
let sup: string;

beforeAll(async () => {
  emu = createEmulator({ metadata: fixtureMetadata, db: ':memory:', appToken: 'test-app-token' });
  ({ port } = await emu.listen(0));
  alice = emu.seedUser({ fullname: 'Alice Agent', domainname: 'alice@switchboard.dev', roles: [AGENT_ROLE] });
  bob = emu.seedUser({ fullname: 'Bob Agent', domainname: 'bob@switchboard.dev', roles: [AGENT_ROLE], token: 'bob-secret' });
  sup = emu.seedUser({ fullname: 'Sue Supervisor', domainname: 'sue@switchboard.dev', roles: [SUPERVISOR_ROLE] });
  emu.seedUser({ fullname: 'Ada Admin', domainname: 'ada@switchboard.dev', roles: [ADMIN_ROLE] });
  emu.seedUser({ fullname: 'Nobody', domainname: 'nobody@switchboard.dev' });
});
afterAll(() => emu.close());

it('a request without a token or with an unknown token is 401', async () => {
  expect((await fetch(`${emu.url}WhoAmI`)).status).toBe(401);
  expect((await failure(client('not-a-token').callFunction({ name: 'WhoAmI' }))).status).toBe(401);
  expect((await failure(client('dev:ghost@switchboard.dev').callFunction({ name: 'WhoAmI' }))).status).toBe(401);
});

// Application users sign in with their own credential only (client secret or certificate):
// https://learn.microsoft.com/power-apps/developer/data-platform/use-single-tenant-server-server-authentication
it('the dev scheme never signs in as an application user, only the configured app token does', async () => {
  expect((await failure(client('dev:switchboard-app@switchboard.dev').callFunction({ name: 'WhoAmI' }))).status).toBe(401);
  const app = client('test-app-token');
  await app.create({ collection: 'systemusers', data: { fullname: 'Other app', domainname: 'other-app@switchboard.dev', applicationid: 'a1b2c3d4-0000-4000-8000-00000000a991' } });
  expect((await failure(client('dev:other-app@switchboard.dev').callFunction({ name: 'WhoAmI' }))).status).toBe(401);
  expect((await app.callFunction({ name: 'WhoAmI' })).UserId).toBe('0a7e0003-0000-4000-8000-000000000001');
});

it('dev tokens and registered tokens identify the seeded user; the app token is the application user', async () => {
  expect((await client('dev:alice@switchboard.dev').callFunction({ name: 'WhoAmI' })).UserId).toBe(alice);
  expect((await client('bob-secret').callFunction({ name: 'WhoAmI' })).UserId).toBe(bob);
  expect((await client('test-app-token').callFunction({ name: 'WhoAmI' })).UserId).toBe('0a7e0003-0000-4000-8000-000000000001');
  expect((await failure(client('switchboard-dev-app-token').callFunction({ name: 'WhoAmI' }))).status).toBe(401);
});

it('a disabled user is refused', async () => {
  const app = client('test-app-token');
  const id = emu.seedUser({ fullname: 'Gone', domainname: 'gone@switchboard.dev', roles: [AGENT_ROLE] });
  await app.update({ collection: 'systemusers', key: id, data: { isdisabled: true } });
  expect((await failure(client('dev:gone@switchboard.dev').callFunction({ name: 'WhoAmI' }))).status).toBe(401);
});

it('a missing table privilege is 403 with the privilege error code', async () => {
  const err = await failure(client('dev:alice@switchboard.dev').create({ collection: 'swb_channels', data: { swb_name: 'x' } }));
  expect([err.status, err.code]).toEqual([403, '0x80040220']);
  expect(err.message).toContain('prvCreateswb_channel');
  const none = await failure(client('dev:nobody@switchboard.dev').retrieveMultiple({ collection: 'contacts' }));
  expect(none.code).toBe('0x80040220');
  expect((await client('dev:ada@switchboard.dev').create({ collection: 'swb_channels', data: { swb_name: 'admin made' } }))).toBeDefined();
});

it('Basic depth limits an agent to their own rows; Global depth sees everyone\'s', async () => {
  const a = client('dev:alice@switchboard.dev');
  const b = client('bob-secret');
  const mine: string = await a.create({ collection: 'swb_conversations', data: { subject: 'alice conv' } });
  const theirs: string = await b.create({ collection: 'swb_conversations', data: { subject: 'bob conv' } });
  const aliceSees = (await a.retrieveMultiple({ collection: 'swb_conversations', select: ['subject'] })).value.map((r: { subject: string }) => r.subject);
  expect(aliceSees).toEqual(['alice conv']);
  const denied = await failure(a.retrieve({ collection: 'swb_conversations', key: theirs }));
  expect(denied.status).toBe(403);
  expect((await failure(a.update({ collection: 'swb_conversations', key: theirs, data: { subject: 'hijack' } }))).status).toBe(403);
  const s = client('dev:sue@switchboard.dev');
  const supSees = (await s.retrieveMultiple({ collection: 'swb_conversations', select: ['subject'], orderBy: ['subject'] })).value.map((r: { subject: string }) => r.subject);
  expect(supSees).toEqual(['alice conv', 'bob conv']);
  await s.update({ collection: 'swb_conversations', key: mine, data: { subject: 'edited by supervisor' } });
  expect((await failure(s.deleteRecord({ collection: 'swb_conversations', key: mine }))).code).toBe('0x80040220');
  const row = await a.retrieve({ collection: 'swb_conversations', key: mine, select: ['subject', '_ownerid_value', '_modifiedby_value'] });
  expect(row).toMatchObject({ subject: 'edited by supervisor', _ownerid_value: alice, _modifiedby_value: sup });
});

it('append and appendTo are checked when a lookup is bound', async () => {
  const app = client('test-app-token');
  const ch: string = await app.create({ collection: 'swb_channels', data: { swb_name: 'bindable' } });
  const conv: string = await client('dev:alice@switchboard.dev').create({ collection: 'swb_conversations', data: { subject: 's', 'swb_channelid@odata.bind': `/swb_channels(${ch})` } });
  expect(conv).toBeDefined();
  // supervisors have no append on conversations
  const err = await failure(client('dev:sue@switchboard.dev').update({ collection: 'swb_conversations', key: conv, data: { 'swb_channelid@odata.bind': `/swb_channels(${ch})` } }));
  expect(err.code).toBe('0x80040220');
});

it('users and their roles can be seeded over HTTP by the application user, as on Dataverse', async () => {
  const app = client('test-app-token');
  const id: string = await app.create({ collection: 'systemusers', data: { firstname: 'Hal', lastname: 'Http', domainname: 'hal@switchboard.dev' } });
  const hal = client('dev:hal@switchboard.dev');
  expect((await failure(hal.create({ collection: 'swb_conversations', data: { subject: 'no role yet' } }))).code).toBe('0x80040220');
  await app.associate({ collection: 'systemusers', primaryKey: id, relationshipName: 'systemuserroles_association', relatedCollection: 'roles', relatedKey: AGENT_ROLE });
  expect(await hal.create({ collection: 'swb_conversations', data: { subject: 'with the agent role' } })).toMatch(/^[0-9a-f-]{36}$/);
  expect((await app.retrieve({ collection: 'systemusers', key: id, select: ['fullname'] })).fullname).toBe('Hal Http');
  // agents cannot grant themselves roles
  expect((await failure(hal.associate({ collection: 'systemusers', primaryKey: id, relationshipName: 'systemuserroles_association', relatedCollection: 'roles', relatedKey: ADMIN_ROLE }))).status).toBe(403);
});

// A hostile filter is the caller's mistake: a 400 that says what to fix, never a 500 from a
// blown stack (Troubleshoot Web API client errors: 4xx for what the client got wrong).
it('deeply nested or oversized $filter expressions are a 400 with a message, over HTTP and inside a $batch', async () => {
  const app = client('test-app-token');
  const filters = [`${'not '.repeat(2000)}firstname eq 'a'`, `${'('.repeat(5000)}firstname eq 'a'${')'.repeat(5000)}`];
  for (const filter of filters) {
    const err = await failure(app.retrieveMultiple({ collection: 'contacts', filter }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('nested more than 64 levels');
  }
  const res = await fetch(`${emu.url}$batch`, {
    method: 'POST',
    headers: { Authorization: 'Bearer test-app-token', 'Content-Type': 'multipart/mixed; boundary=b' },
    body: ['--b', 'Content-Type: application/http', '', `GET /api/data/v9.2/contacts?$filter=${encodeURIComponent(filters[1])} HTTP/1.1`, '', '--b--', ''].join('\r\n'),
  });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('nested more than 64 levels');
});

// Each row of a deep insert is a Create of its own table, so its privileges apply:
// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api#create-related-table-rows-in-one-operation
it('a deep insert needs create privilege on every table it writes, and writes nothing when one is missing', async () => {
  const a = client('dev:alice@switchboard.dev');
  const err = await failure(a.create({ collection: 'contacts', data: { firstname: 'Deep agent', parentcustomerid_account: { name: 'Not allowed Co' } } }));
  expect([err.status, err.code]).toEqual([403, '0x80040220']);
  expect(err.message).toContain('prvCreateaccount');
  const app = client('test-app-token');
  expect((await app.retrieveMultiple({ collection: 'accounts', filter: "name eq 'Not allowed Co'" })).value).toEqual([]);
  expect((await app.retrieveMultiple({ collection: 'contacts', filter: "firstname eq 'Deep agent'" })).value).toEqual([]);
  const conv: string = await a.create({ collection: 'swb_conversations', data: { subject: 'agent deep', swb_conversation_messages: [{ swb_body: 'mine' }] } });
  const msgs = await a.retrieveMultiple({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${conv}`, select: ['swb_body', '_ownerid_value'] });
  expect(msgs.value).toEqual([expect.objectContaining({ swb_body: 'mine', _ownerid_value: alice })]);
});

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables ("up to 15 $expand options")
it('more than 15 $expand options, or a hostile nesting of them, is a 400 rather than a stack overflow', async () => {
  const app = client('test-app-token');
  const levels = 100;
  const nested = `${'swb_conversation_messages($expand=swb_conversationid($expand='.repeat(levels)}swb_channelid${'))'.repeat(levels)}`;
  const deep = await failure(app.retrieveMultiple({ collection: 'swb_conversations', queryParams: [`$expand=${encodeURIComponent(nested)}`] }));
  expect([deep.status, deep.code]).toEqual([400, '0x8004430D']);
  const wide = Array.from({ length: 16 }, () => 'swb_channelid').join(',');
  const err = await failure(app.retrieveMultiple({ collection: 'swb_conversations', queryParams: [`$expand=${wide}`] }));
  expect([err.status, err.code]).toEqual([400, '0x8004430D']);
});
