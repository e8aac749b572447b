// The data-plane REST API, driven by the real @azure/web-pubsub server SDK (api-version 2024-12-01),
// observed through real WebPubSubClient connections; raw fetch only where the SDK cannot say it
// (tokens it would never send, bodies it would never build).
import type { RestError } from '@azure/core-rest-pipeline';
import { WebPubSubServiceClient, odata } from '@azure/web-pubsub';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import { signJwt } from './access-token';
import { Harness, waitUntil, type RecordedClient } from './stand-in.testing';

let h: Harness;
beforeEach(async () => {
  h = await new Harness().start();
});
afterEach(async () => {
  await h.stop();
});

async function connect(token: Parameters<Harness['client']>[0], options: Parameters<Harness['client']>[1] = {}): Promise<RecordedClient & { id: string }> {
  const c = h.client(token, options);
  await c.client.start();
  const { connectionId } = await c.connected();
  return Object.assign(c, { id: connectionId });
}

function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

async function restError(p: Promise<unknown>): Promise<RestError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  // By name: the SDK's core-client carries its own copy of core-rest-pipeline.
  expect(err).toMatchObject({ name: 'RestError' });
  return err as RestError;
}

test('getClientAccessToken signs sub, role and webpubsub.group locally, with aud the http client URL and the requested lifetime', async () => {
  const { token } = await h.service().getClientAccessToken({ userId: 'alice', roles: ['webpubsub.joinLeaveGroup.q1'], groups: ['conversation-1'], expirationTimeInMinutes: 5 });
  const claims = decodeJwt(token);
  expect(claims).toMatchObject({ sub: 'alice', role: ['webpubsub.joinLeaveGroup.q1'], 'webpubsub.group': ['conversation-1'], aud: `${h.listening.url}/client/hubs/chat` });
  expect((claims.exp as number) - (claims.iat as number)).toBe(300);
  // Made without a REST call: the stand-in saw none.
  expect(h.standIn.stats().rest.requests).toBe(0);
});

test('group.addUser puts every connection of the user in the group, group.sendToAll reaches them, removeUser takes them out', async () => {
  const tab1 = await connect({ userId: 'alice' });
  const tab2 = await connect({ userId: 'alice' });
  const bob = await connect({ userId: 'bob' });
  const service = h.service();
  const queue = service.group('queue-web');
  expect(await service.groupExists('queue-web')).toBe(false);
  await queue.addUser('alice');
  expect(await service.groupExists('queue-web')).toBe(true);
  await queue.sendToAll({ offer: 'c-1' });
  await tab1.waitFor((m) => (m.data as { offer?: string }).offer === 'c-1');
  await tab2.waitFor((m) => (m.data as { offer?: string }).offer === 'c-1');
  await queue.removeUser('alice');
  expect(await service.groupExists('queue-web')).toBe(false);
  await queue.sendToAll({ offer: 'c-2' });
  await service.sendToAll('marker', { contentType: 'text/plain' });
  for (const c of [tab1, tab2, bob]) await c.waitFor((m) => m.data === 'marker');
  expect(tab1.received.map((m) => m.data)).toEqual([{ offer: 'c-1' }, 'marker']);
  expect(bob.received.map((m) => m.data)).toEqual(['marker']);
  // A user with no connection cannot be added (the SDK surfaces the 404).
  expect((await restError(queue.addUser('nobody'))).statusCode).toBe(404);
});

test('addConnectionsToGroups and removeConnectionsFromGroups act on the connections the filter selects', async () => {
  const a = await connect({ userId: 'alice', groups: ['supervisors'] });
  const b = await connect({ userId: 'bob' });
  const service = h.service();
  await service.addConnectionsToGroups(['live-board', 'queue-web'], "userId eq 'alice' or userId eq 'bob'");
  await service.removeConnectionsFromGroups(['queue-web'], "'supervisors' in groups");
  const members = async (g: string) => {
    const out: string[] = [];
    for await (const m of await service.group(g).listConnections()) out.push(m.connectionId);
    return out.sort();
  };
  expect(await members('live-board')).toEqual([a.id, b.id].sort());
  expect(await members('queue-web')).toEqual([b.id]);
  expect((await restError(service.addConnectionsToGroups(['x'], 'userId gt'))).statusCode).toBe(400);
});

test('removeUserFromAllGroups and removeConnectionFromAllGroups empty the groups; the connections stay', async () => {
  const alice = await connect({ userId: 'alice' });
  const bob = await connect({ userId: 'bob' });
  const service = h.service();
  await service.group('a').addUser('alice');
  await service.group('b').addUser('alice');
  await service.group('b').addConnection(bob.id);
  await service.removeUserFromAllGroups('alice');
  expect(await service.groupExists('a')).toBe(false);
  expect(await service.groupExists('b')).toBe(true);
  await service.removeConnectionFromAllGroups(bob.id);
  expect(await service.groupExists('b')).toBe(false);
  expect(await service.connectionExists(alice.id)).toBe(true);
  expect(await service.connectionExists(bob.id)).toBe(true);
});

test('connection operations: sendToConnection, group.addConnection/removeConnection, closeConnection; an unknown id is reported as the SDK says', async () => {
  const a = await connect({ userId: 'alice' });
  const b = await connect({ userId: 'alice' });
  const service = h.service();
  await service.sendToConnection(a.id, 'only you', { contentType: 'text/plain' });
  await service.group('g').addConnection(b.id);
  await service.group('g').sendToAll('group g', { contentType: 'text/plain' });
  await a.waitFor((m) => m.data === 'only you');
  await b.waitFor((m) => m.data === 'group g');
  expect(a.received.map((m) => m.data)).toEqual(['only you']);
  expect(b.received.map((m) => m.data)).toEqual(['group g']);
  await service.group('g').removeConnection(b.id);
  expect(await service.groupExists('g')).toBe(false);
  expect((await restError(service.group('g').addConnection('no-such-connection'))).statusCode).toBe(404);
  await service.closeConnection(a.id, { reason: 'bye' });
  expect(await service.connectionExists(a.id)).toBe(false);
  expect(await service.connectionExists(b.id)).toBe(true);
});

test('closeUserConnections closes every connection of the user, and the client is told the reason', async () => {
  const tab1 = await connect({ userId: 'alice' }, { autoReconnect: false });
  const tab2 = await connect({ userId: 'alice' }, { autoReconnect: false });
  const bob = await connect({ userId: 'bob' }, { autoReconnect: false });
  const service = h.service();
  await service.closeUserConnections('alice', { reason: 'signed out' });
  expect(await service.userExists('alice')).toBe(false);
  expect(await service.userExists('bob')).toBe(true);
  await waitUntil(() => tab1.stopped() && tab2.stopped(), 10_000, 'both tabs to stop');
  expect(tab1.disconnections).toEqual([{ connectionId: tab1.id, message: 'signed out' }]);
  expect(bob.stopped()).toBe(false);
  await service.closeAllConnections({ reason: 'maintenance' });
  expect(h.standIn.stats().connections.open).toBe(0);
});

test('group.closeAllConnections closes the members only', async () => {
  const a = await connect({ userId: 'alice', groups: ['room'] }, { autoReconnect: false });
  const b = await connect({ userId: 'bob' }, { autoReconnect: false });
  const service = h.service();
  await service.group('room').closeAllConnections({ reason: 'room closed' });
  expect(await service.connectionExists(a.id)).toBe(false);
  expect(await service.connectionExists(b.id)).toBe(true);
});

test('sendToAll and group.sendToAll leave out the excluded connections', async () => {
  const a = await connect({ userId: 'alice', groups: ['room'] });
  const b = await connect({ userId: 'bob', groups: ['room'] });
  const service = h.service();
  await service.sendToAll('all but a', { contentType: 'text/plain', excludedConnections: [a.id] });
  await service.group('room').sendToAll('room but b', { contentType: 'text/plain', excludedConnections: [b.id] });
  await service.sendToAll('marker', { contentType: 'text/plain' });
  await a.waitFor((m) => m.data === 'marker');
  await b.waitFor((m) => m.data === 'marker');
  expect(a.received.map((m) => m.data)).toEqual(['room but b', 'marker']);
  expect(b.received.map((m) => m.data)).toEqual(['all but a', 'marker']);
});

test('an OData filter narrows sendToAll, sendToUser and group.sendToAll to the matching connections', async () => {
  const agentA = await connect({ userId: "agent-o'neil", groups: ['queue-web', 'supervisors'] });
  const agentB = await connect({ userId: 'agent-bruno', groups: ['queue-web'] });
  const customer = await connect({ userId: 'customer-1' });
  const service = h.service();
  const text = { contentType: 'text/plain' as const };
  await service.sendToAll('supervisors only', { ...text, filter: "'supervisors' in groups" });
  await service.sendToAll('agents', { ...text, filter: odata`startswith(userId, ${'agent-'})` });
  await service.sendToAll('o-neil by name', { ...text, filter: odata`userId eq ${"agent-o'neil"}` });
  await service.sendToAll('in two groups', { ...text, filter: 'length(groups) ge 2' });
  await service.sendToAll('not in queue', { ...text, filter: "not ('queue-web' in groups)" });
  await service.sendToAll('one of a list', { ...text, filter: "userId in ('customer-1', 'agent-bruno') and connectionId ne null" });
  await service.sendToAll('case folded', { ...text, filter: "toupper(userId) eq 'AGENT-BRUNO' or indexof(userId, 'o''n') ge 0" });
  await service.sendToUser('agent-bruno', 'user and filter', { ...text, filter: odata`connectionId eq ${agentB.id}` });
  await service.sendToUser('agent-bruno', 'user and false filter', { ...text, filter: 'false' });
  await service.group('queue-web').sendToAll('group and filter', { ...text, filter: "endswith(userId, 'bruno')" });
  await service.sendToAll('marker', text);
  for (const c of [agentA, agentB, customer]) await c.waitFor((m) => m.data === 'marker');
  expect(agentA.received.map((m) => m.data)).toEqual(['supervisors only', 'agents', 'o-neil by name', 'in two groups', 'case folded', 'marker']);
  expect(agentB.received.map((m) => m.data)).toEqual(['agents', 'one of a list', 'case folded', 'user and filter', 'group and filter', 'marker']);
  expect(customer.received.map((m) => m.data)).toEqual(['not in queue', 'one of a list', 'marker']);
});

test('a filter the service would refuse is a 400 that says why, and nothing is sent', async () => {
  const c = await connect({ userId: 'alice' });
  const service = h.service();
  const cases: [string, RegExp][] = [
    ["protocol eq 'json'", /not an identifier the service supports/],
    ['not length(userId) gt 5', /type 'int', expected 'bool'/],
    ["userId eq 'a' and", /ends where a value was expected/],
    ['userId', /must be a boolean expression/],
    ["userId eq 1", /cannot compare string 'userId' with int '1'/],
    ["matchesPattern(userId, 'a')", /not a function the service supports/],
    [Array.from({ length: 101 }, (_, i) => `userId eq 'u${i}'`).join(' or '), /more than 100 clauses/],
  ];
  for (const [filter, why] of cases) {
    const err = await restError(service.sendToAll('x', { contentType: 'text/plain', filter }));
    expect(err.statusCode).toBe(400);
    expect(err.message).toMatch(why);
    expect(err.code).toBe('BadRequest');
  }
  await service.sendToAll('marker', { contentType: 'text/plain' });
  await c.waitFor((m) => m.data === 'marker');
  expect(c.received.map((m) => m.data)).toEqual(['marker']);
});

test('permissions granted and revoked over REST decide what a client may join; hasPermission reports them', async () => {
  const c = await connect({ userId: 'alice' });
  const service = h.service();
  expect(await service.hasPermission(c.id, 'joinLeaveGroup', { targetName: 'conversation-9' })).toBe(false);
  await service.grantPermission(c.id, 'joinLeaveGroup', { targetName: 'conversation-9' });
  expect(await service.hasPermission(c.id, 'joinLeaveGroup', { targetName: 'conversation-9' })).toBe(true);
  expect(await service.hasPermission(c.id, 'joinLeaveGroup')).toBe(false);
  await c.client.joinGroup('conversation-9');
  expect(await service.groupExists('conversation-9')).toBe(true);
  await service.revokePermission(c.id, 'joinLeaveGroup', { targetName: 'conversation-9' });
  await expect(c.client.leaveGroup('conversation-9')).rejects.toMatchObject({ errorDetail: { name: 'Forbidden' } });
  await service.grantPermission(c.id, 'sendToGroup');
  expect(await service.hasPermission(c.id, 'sendToGroup', { targetName: 'anything' })).toBe(true);
});

test('group.listConnections pages through the members with nextLink', async () => {
  const members = await Promise.all(['a', 'b', 'c'].map((u) => connect({ userId: u, groups: ['room'] })));
  const listed: { connectionId: string; userId?: string }[] = [];
  for await (const m of await h.service().group('room').listConnections({ maxPageSize: 2 })) listed.push(m);
  expect(listed.map((m) => m.connectionId).sort()).toEqual(members.map((m) => m.id).sort());
  expect(listed.map((m) => m.userId).sort()).toEqual(['a', 'b', 'c']);
});

test('every REST call must carry a token signed with the access key for that very URL, not expired: otherwise 401', async () => {
  const base = h.listening.url;
  const url = `${base}/api/hubs/chat/:send?api-version=2024-12-01`;
  const exp = Math.floor(Date.now() / 1000) + 600;
  const post = (token?: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: 'hi' });
  const good = signJwt({ aud: url, exp }, h.standIn.accessKey);
  expect((await post(good)).status).toBe(202);
  expect((await post()).status).toBe(401);
  expect((await post(signJwt({ aud: url, exp }, 'another-key'))).status).toBe(401);
  expect((await post(signJwt({ aud: `${base}/api/hubs/other/:send?api-version=2024-12-01`, exp }, h.standIn.accessKey))).status).toBe(401);
  expect((await post(signJwt({ aud: url, exp: exp - 7200 }, h.standIn.accessKey))).status).toBe(401);
  expect((await post(signJwt({ aud: url }, h.standIn.accessKey))).status).toBe(401);
  const [head, , sig] = good.split('.') as [string, string, string];
  const tampered = `${head}.${Buffer.from(JSON.stringify({ aud: url, exp: exp + 99999 })).toString('base64url')}.${sig}`;
  expect((await post(tampered)).status).toBe(401);
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ aud: url, exp })).toString('base64url')}.`;
  const refused = await post(none);
  expect(refused.status).toBe(401);
  expect(refused.headers.get('x-ms-error-code')).toBe('Unauthorized');
  expect(await refused.json()).toEqual({ code: 'Unauthorized', message: expect.stringMatching(/HS256/) });
  expect(h.standIn.stats().rest.unauthorized).toBe(7);

  const wrongKey = new WebPubSubServiceClient(`Endpoint=${base};AccessKey=not-the-key;Version=1.0;`, 'chat', { allowInsecureConnection: true });
  expect((await restError(wrongKey.sendToAll('x'))).statusCode).toBe(401);
  // The health probe is the one anonymous route.
  expect((await fetch(`${base}/api/health`, { method: 'HEAD' })).status).toBe(200);
});

test('the SDK\'s own token is refused once expired by the stand-in\'s clock', async () => {
  let clock = Date.now();
  await h.stop();
  h = await new Harness().start({ now: () => clock });
  const service = h.service();
  expect(await service.userExists('alice')).toBe(false);
  // The SDK signs each request for an hour; the stand-in reads it two hours late.
  clock -= 2 * 60 * 60 * 1000;
  expect(await service.userExists('alice')).toBe(false);
  clock += 4 * 60 * 60 * 1000;
  expect((await restError(service.userExists('alice'))).statusCode).toBe(401);
});

test('bodies the service would refuse: unsupported content type, invalid JSON, TTL out of range, bad names, missing api-version', async () => {
  const base = h.listening.url;
  const exp = Math.floor(Date.now() / 1000) + 600;
  const call = async (method: string, path: string, contentType?: string, body?: string) => {
    const url = `${base}${path}`;
    const res = await fetch(url, { method, headers: { authorization: `Bearer ${signJwt({ aud: url, exp }, h.standIn.accessKey)}`, ...(contentType ? { 'content-type': contentType } : {}) }, body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as { code: string; message: string }) : null };
  };
  expect(await call('POST', '/api/hubs/chat/:send?api-version=2024-12-01', 'application/xml', '<a/>')).toEqual({ status: 400, body: { code: 'BadRequest', message: expect.stringMatching(/Content-Type 'application\/xml' is not supported/) } });
  expect((await call('POST', '/api/hubs/chat/:send?api-version=2024-12-01', 'application/json', '{oops')).body?.message).toMatch(/not valid JSON/);
  expect((await call('POST', '/api/hubs/chat/:send?api-version=2024-12-01&messageTtlSeconds=301', 'text/plain', 'x')).status).toBe(400);
  expect((await call('POST', '/api/hubs/chat/:send?api-version=2024-12-01&messageTtlSeconds=300', 'text/plain', 'x')).status).toBe(202);
  expect((await call('POST', '/api/hubs/1chat/:send?api-version=2024-12-01', 'text/plain', 'x')).status).toBe(400);
  expect((await call('POST', '/api/hubs/chat/:send', 'text/plain', 'x')).body?.message).toMatch(/api-version/);
  expect((await call('HEAD', '/api/hubs/chat/groups/%20%20?api-version=2024-12-01')).status).toBe(400);
  expect((await call('POST', '/api/hubs/chat/:explode?api-version=2024-12-01', 'text/plain', 'x')).status).toBe(404);
  expect((await call('POST', '/api/hubs/chat/:send?api-version=2024-12-01', 'text/plain', 'x'.repeat(1024 * 1024 + 1))).status).toBe(413);
});

test(':generateToken over REST issues a client token that connects (what the SDK calls when it has no key)', async () => {
  const base = h.listening.url;
  const url = `${base}/api/hubs/chat/:generateToken?api-version=2024-12-01&userId=alice&role=webpubsub.joinLeaveGroup&group=g1&group=g2&minutesToExpire=2`;
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${signJwt({ aud: url, exp: Math.floor(Date.now() / 1000) + 60 }, h.standIn.accessKey)}` } });
  expect(res.status).toBe(200);
  const { token } = (await res.json()) as { token: string };
  expect(decodeJwt(token)).toMatchObject({ sub: 'alice', role: ['webpubsub.joinLeaveGroup'], 'webpubsub.group': ['g1', 'g2'], aud: `${base}/client/hubs/chat` });
  const c = h.record(new WebPubSubClient(`${base.replace('http', 'ws')}/client/hubs/chat?access_token=${token}`, { keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0 }));
  await c.client.start();
  expect(await c.connected()).toMatchObject({ userId: 'alice' });
  expect(await h.service().groupExists('g2')).toBe(true);
});

test('statistics count the sends by kind and the data messages delivered', async () => {
  await connect({ userId: 'alice', groups: ['g'] });
  await connect({ userId: 'alice' });
  const service = h.service();
  await service.sendToAll('x', { contentType: 'text/plain' });
  await service.sendToUser('alice', 'x', { contentType: 'text/plain' });
  await service.group('g').sendToAll('x', { contentType: 'text/plain' });
  await service.sendToConnection('gone', 'x', { contentType: 'text/plain' });
  expect(h.standIn.stats().messages).toEqual({ toAll: 1, toUser: 1, toGroup: 1, toConnection: 1, clientToGroup: 0, delivered: 5 });
});


test('a long close reason reaches the client cut to the 123 bytes a WebSocket close frame allows, on a character boundary', async () => {
  const c = await connect({ userId: 'alice' }, { autoReconnect: false });
  const reason = 'é'.repeat(100);
  await h.service().closeConnection(c.id, { reason });
  await waitUntil(() => c.stopped(), 10_000, 'the client to stop');
  // The full reason travels in the disconnected message; the close frame carries what fits.
  expect(c.disconnections).toEqual([{ connectionId: c.id, message: reason }]);
  expect(h.lines.some((l) => l.includes('failed'))).toBe(false);
});
