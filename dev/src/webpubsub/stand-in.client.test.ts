// The client side, driven by the real @azure/web-pubsub-client (reliable JSON protocol by default)
// with URLs from the real server SDK's getClientAccessToken.
import { SendMessageError, WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import WebSocket from 'ws';
import { signJwt } from './access-token';
import { Harness, waitUntil } from './stand-in.testing';

let h: Harness;
beforeEach(async () => {
  h = await new Harness().start();
});
afterEach(async () => {
  await h.stop();
});

/** Opens a raw WebSocket and reports the HTTP status of a refused upgrade (or 101). */
function upgradeStatus(url: string, protocols: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

test('a client connects with the URL from getClientAccessToken and learns its connection id and user id from the connected message', async () => {
  const alice = h.client({ userId: 'alice' });
  await alice.client.start();
  const { connectionId, userId } = await alice.connected();
  expect(userId).toBe('alice');
  expect(connectionId).toMatch(/^[\w-]{10,}$/);
  const service = h.service();
  expect(await service.connectionExists(connectionId)).toBe(true);
  expect(await service.userExists('alice')).toBe(true);
  expect(h.standIn.stats().connections).toMatchObject({ open: 1, byHub: { chat: 1 } });
});

test('the token URL the SDK builds (http endpoint turned into ws://) points at the stand-in\'s client endpoint', async () => {
  const { url, baseUrl } = await h.service().getClientAccessToken({ userId: 'alice' });
  expect(baseUrl).toBe(`${h.listening.url.replace('http://', 'ws://')}/client/hubs/chat`);
  expect(url.startsWith(`${baseUrl}?access_token=`)).toBe(true);
  expect(await upgradeStatus(url, ['json.webpubsub.azure.v1'])).toBe(101);
});

test('a to-user message reaches every connection of that user (several tabs) and nobody else', async () => {
  const tab1 = h.client({ userId: 'alice' });
  const tab2 = h.client({ userId: 'alice' });
  const bob = h.client({ userId: 'bob' });
  await Promise.all([tab1, tab2, bob].map((c) => c.client.start()));
  await Promise.all([tab1, tab2, bob].map((c) => c.connected()));
  const service = h.service();
  await service.sendToUser('alice', { kind: 'offer', conversationId: 'c-1' });
  await service.sendToAll('marker', { contentType: 'text/plain' });
  for (const tab of [tab1, tab2]) {
    await tab.waitFor((m) => m.data === 'marker');
    expect(tab.received.map((m) => m.data)).toEqual([{ kind: 'offer', conversationId: 'c-1' }, 'marker']);
    expect(tab.received[0]).toMatchObject({ from: 'server', dataType: 'json' });
  }
  // Messages to a connection arrive in order, so once bob has the marker he would have had the offer.
  await bob.waitFor((m) => m.data === 'marker');
  expect(bob.received.map((m) => m.data)).toEqual(['marker']);
});

test('text, JSON and binary bodies arrive with their dataType', async () => {
  const c = h.client({ userId: 'alice' });
  await c.client.start();
  await c.connected();
  const service = h.service();
  await service.sendToAll('plain words', { contentType: 'text/plain' });
  await service.sendToAll({ n: 1, list: ['a'] });
  await service.sendToAll(new Uint8Array([0, 1, 2, 250]));
  await waitUntil(() => c.received.length === 3);
  expect(c.received[0]).toMatchObject({ dataType: 'text', data: 'plain words' });
  expect(c.received[1]).toMatchObject({ dataType: 'json', data: { n: 1, list: ['a'] } });
  expect(c.received[2]!.dataType).toBe('binary');
  expect([...new Uint8Array(c.received[2]!.data as ArrayBuffer)]).toEqual([0, 1, 2, 250]);
  // The reliable protocol numbers data messages for the sequence acks.
  expect(c.received.map((m) => m.sequenceId)).toEqual([1, 2, 3]);
});

test('a client joins a group only with the role for it: without, the ack carries Forbidden and it gets nothing from that group', async () => {
  const agent = h.client({ userId: 'alice', roles: ['webpubsub.joinLeaveGroup.queue-web'] });
  await agent.client.start();
  await agent.connected();
  await agent.client.joinGroup('queue-web');
  const refused = await agent.client.joinGroup('queue-billing').catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(SendMessageError);
  expect((refused as SendMessageError).errorDetail).toMatchObject({ name: 'Forbidden' });
  const service = h.service();
  expect(await service.groupExists('queue-web')).toBe(true);
  expect(await service.groupExists('queue-billing')).toBe(false);
  await service.group('queue-billing').sendToAll({ secret: true });
  await service.group('queue-web').sendToAll({ changed: 'queue-web' });
  await agent.waitFor((m) => (m.data as { changed?: string }).changed === 'queue-web');
  expect(agent.received.map((m) => m.data)).toEqual([{ changed: 'queue-web' }]);
  // A server send to a group is a server message (`from: server`), not a group publish.
  expect(agent.received[0]!.from).toBe('server');
});

test('groups in the token are joined at connect; leaving needs the role too', async () => {
  const c = h.client({ userId: 'alice', groups: ['conversation-1'] });
  await c.client.start();
  await c.connected();
  expect(await h.service().groupExists('conversation-1')).toBe(true);
  const refused = await c.client.leaveGroup('conversation-1').catch((e: unknown) => e);
  expect((refused as SendMessageError).errorDetail).toMatchObject({ name: 'Forbidden' });
  expect(await h.service().groupExists('conversation-1')).toBe(true);
});

test('a client publishes to a group only with the sendToGroup role; members get `from: group` with the sender\'s user id, and noEcho leaves the sender out', async () => {
  const sender = h.client({ userId: 'alice', roles: ['webpubsub.sendToGroup.room', 'webpubsub.joinLeaveGroup'] });
  const member = h.client({ userId: 'bob', roles: ['webpubsub.joinLeaveGroup.room'] });
  await Promise.all([sender.client.start(), member.client.start()]);
  await Promise.all([sender.connected(), member.connected()]);
  await sender.client.joinGroup('room');
  await member.client.joinGroup('room');
  await sender.client.sendToGroup('room', 'typing', 'text');
  await sender.client.sendToGroup('room', { state: 'quiet' }, 'json', { noEcho: true });
  const forbidden = await member.client.sendToGroup('room', 'not allowed', 'text').catch((e: unknown) => e);
  expect((forbidden as SendMessageError).errorDetail).toMatchObject({ name: 'Forbidden' });
  await member.waitFor((m) => (m.data as { state?: string }).state === 'quiet');
  expect(member.received).toEqual([
    expect.objectContaining({ from: 'group', group: 'room', fromUserId: 'alice', dataType: 'text', data: 'typing' }),
    expect.objectContaining({ from: 'group', group: 'room', fromUserId: 'alice', dataType: 'json', data: { state: 'quiet' } }),
  ]);
  // A server message sent afterwards arrives after anything echoed before it.
  await h.service().sendToUser('alice', 'marker', { contentType: 'text/plain' });
  await sender.waitFor((m) => m.data === 'marker');
  expect(sender.received.map((m) => m.data)).toEqual(['typing', 'marker']);
  expect(h.standIn.stats().messages.clientToGroup).toBe(2);
});

test('after the stand-in drops its socket, the client recovers the same connection (id and groups kept) and gets the messages sent during the gap exactly once', async () => {
  const c = h.client({ userId: 'alice', roles: ['webpubsub.joinLeaveGroup'] });
  await c.client.start();
  const { connectionId } = await c.connected();
  await c.client.joinGroup('conversation-7');
  const service = h.service();
  await service.sendToUser('alice', 'before');
  await c.waitFor((m) => m.data === 'before');

  const gap = h.standIn.dropConnection('chat', connectionId, { holdRecovery: true });
  expect(h.standIn.stats().connections).toMatchObject({ open: 1, awaitingRecovery: 1 });
  await service.sendToUser('alice', { during: 'gap' });
  await service.group('conversation-7').sendToAll('group during gap', { contentType: 'text/plain' });
  expect(await service.connectionExists(connectionId)).toBe(true);
  expect(c.received.map((m) => m.data)).toEqual(['before']);
  gap.release();

  await c.waitFor((m) => m.data === 'group during gap');
  await service.sendToUser('alice', 'after');
  await c.waitFor((m) => m.data === 'after');
  expect(c.received.map((m) => m.data)).toEqual(['before', { during: 'gap' }, 'group during gap', 'after']);
  expect(c.connections).toHaveLength(1);
  expect(c.disconnections).toHaveLength(0);
  expect(h.standIn.stats().connections).toMatchObject({ open: 1, awaitingRecovery: 0, recovered: 1 });
  expect(await service.groupExists('conversation-7')).toBe(true);
});

test('a reliable session not recovered within the window ends: the client starts a new connection', async () => {
  await h.stop();
  h = await new Harness().start({ recoveryWindowMs: 100 });
  const c = h.client({ userId: 'alice' });
  await c.client.start();
  const { connectionId } = await c.connected();
  const gap = h.standIn.dropConnection('chat', connectionId, { holdRecovery: true });
  await new Promise((r) => setTimeout(r, 300));
  expect(await h.service().connectionExists(connectionId)).toBe(false);
  gap.release();
  // The recovery attempt is refused with 1008, so the SDK reports the disconnect and reconnects afresh.
  await waitUntil(() => c.connections.length === 2, 10_000, 'a new connection');
  expect(c.connections[1]!.connectionId).not.toBe(connectionId);
  expect(c.disconnections).toHaveLength(1);
});

test('unacknowledged messages are bounded: a session over the limit is closed', async () => {
  await h.stop();
  h = await new Harness().start({ reliableBuffer: { maxMessages: 5 } });
  const c = h.client({ userId: 'alice' }, { autoReconnect: false });
  await c.client.start();
  const { connectionId } = await c.connected();
  const gap = h.standIn.dropConnection('chat', connectionId, { holdRecovery: true });
  const service = h.service();
  for (let i = 0; i < 6; i++) await service.sendToUser('alice', `m${i}`);
  expect(await service.connectionExists(connectionId)).toBe(false);
  expect(h.standIn.stats().connections.droppedForFullBuffer).toBe(1);
  gap.release();
  await waitUntil(() => c.stopped(), 10_000, 'the client to stop');
});

test('a client token that is tampered with, signed with another key, for another hub or expired is refused with 401', async () => {
  const { url, token } = await h.service().getClientAccessToken({ userId: 'alice' });
  const [head, body, sig] = token.split('.') as [string, string, string];
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), sub: 'supervisor' })).toString('base64url');
  const base = url.slice(0, url.indexOf('?'));
  expect(await upgradeStatus(`${base}?access_token=${head}.${forged}.${sig}`)).toBe(401);
  const aud = `${h.listening.url}/client/hubs/chat`;
  const exp = Math.floor(Date.now() / 1000) + 600;
  expect(await upgradeStatus(`${base}?access_token=${signJwt({ aud, exp, sub: 'alice' }, 'another-key')}`)).toBe(401);
  expect(await upgradeStatus(`${base}?access_token=${signJwt({ aud: `${h.listening.url}/client/hubs/other`, exp, sub: 'alice' }, h.standIn.accessKey)}`)).toBe(401);
  expect(await upgradeStatus(`${base}?access_token=${signJwt({ aud, exp: Math.floor(Date.now() / 1000) - 3600, sub: 'alice' }, h.standIn.accessKey)}`)).toBe(401);
  expect(await upgradeStatus(base)).toBe(401);
  expect(await upgradeStatus(`${base}?access_token=${signJwt({ aud, exp, sub: 'alice' }, h.standIn.accessKey)}`)).toBe(101);

  const sdk = h.record(new WebPubSubClient(`${base}?access_token=${head}.${forged}.${sig}`, { keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0 }));
  await expect(sdk.client.start()).rejects.toThrow();
  expect(h.standIn.stats().connections.refusedUpgrades).toBeGreaterThanOrEqual(6);
});

test('a token expired by the stand-in\'s clock is refused (an hour-long SDK token, two hours later)', async () => {
  let clock = Date.now();
  await h.stop();
  h = await new Harness().start({ now: () => clock });
  const { url } = await h.service().getClientAccessToken({ userId: 'alice' });
  expect(await upgradeStatus(url)).toBe(101);
  clock += 2 * 60 * 60 * 1000;
  expect(await upgradeStatus(url)).toBe(401);
});

test('connected carries a reconnection token only on the reliable protocol, and only reliable messages carry sequence ids', async () => {
  const service = h.service();
  async function firstFrames(subprotocol: string, userId: string): Promise<Record<string, unknown>[]> {
    const { url } = await service.getClientAccessToken({ userId });
    const ws = new WebSocket(url, subprotocol);
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.on('open', r));
    expect(ws.protocol).toBe(subprotocol);
    await waitUntil(() => frames.length === 1);
    await service.sendToUser(userId, 'hello', { contentType: 'text/plain' });
    await waitUntil(() => frames.length === 2);
    ws.close();
    return frames;
  }
  const [plainConnected, plainMessage] = await firstFrames('json.webpubsub.azure.v1', 'plain');
  expect(plainConnected).toEqual({ type: 'system', event: 'connected', connectionId: expect.any(String), userId: 'plain' });
  expect(plainMessage).toEqual({ type: 'message', from: 'server', dataType: 'text', data: 'hello' });
  const [reliableConnected, reliableMessage] = await firstFrames('json.reliable.webpubsub.azure.v1', 'reliable');
  expect(reliableConnected).toEqual({ type: 'system', event: 'connected', connectionId: expect.any(String), userId: 'reliable', reconnectionToken: expect.any(String) });
  expect(reliableMessage).toEqual({ type: 'message', from: 'server', dataType: 'text', data: 'hello', sequenceId: 1 });
});

test('the SDK on json.webpubsub.azure.v1 (not reliable) connects and receives', async () => {
  const c = h.client({ userId: 'alice' }, { protocol: WebPubSubJsonProtocol() });
  await c.client.start();
  await c.connected();
  await h.service().sendToUser('alice', 'hello');
  const m = await c.waitFor((x) => x.data === 'hello');
  expect(m.sequenceId).toBeUndefined();
});

test('a simple WebSocket client (no subprotocol) gets bare frames: text for JSON and text bodies, binary for binary', async () => {
  const { url } = await h.service().getClientAccessToken({ userId: 'kiosk' });
  const ws = new WebSocket(url);
  const frames: { binary: boolean; data: string }[] = [];
  ws.on('message', (data, isBinary) => frames.push({ binary: isBinary, data: isBinary ? [...(data as Buffer)].join(',') : data.toString() }));
  await new Promise((r) => ws.on('open', r));
  expect(ws.protocol).toBe('');
  await waitUntil(() => h.standIn.stats().connections.open === 1);
  const service = h.service();
  await service.sendToUser('kiosk', { a: 1 });
  await service.sendToUser('kiosk', 'words', { contentType: 'text/plain' });
  await service.sendToUser('kiosk', new Uint8Array([7, 8]));
  await waitUntil(() => frames.length === 3);
  expect(frames).toEqual([{ binary: false, data: '{"a":1}' }, { binary: false, data: 'words' }, { binary: true, data: '7,8' }]);
  ws.close();
});

test('the SDK\'s stop() ends the connection for good; the service says so in userExists', async () => {
  const c = h.client({ userId: 'alice' });
  await c.client.start();
  await c.connected();
  c.client.stop();
  await waitUntil(() => h.standIn.stats().connections.open === 0, 5000, 'the connection to close');
  expect(await h.service().userExists('alice')).toBe(false);
});

test('close() ends every socket, including a session waiting for recovery, and stops listening', async () => {
  const service = h.service();
  const open = async (userId: string, protocol?: string) => {
    const { url } = await service.getClientAccessToken({ userId });
    const ws = new WebSocket(url, protocol ? [protocol] : []);
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    await new Promise((r) => ws.on('open', r));
    return { ws, closed };
  };
  const reliable = await open('a', 'json.reliable.webpubsub.azure.v1');
  const simple = await open('b');
  const waiting = await open('c', 'json.reliable.webpubsub.azure.v1');
  await waitUntil(() => h.standIn.stats().connections.open === 3);
  waiting.ws.terminate();
  await waitUntil(() => h.standIn.stats().connections.awaitingRecovery === 1, 5000, 'the session to wait for recovery');
  await h.standIn.close();
  // 1001 "going away" when the close frame gets out before the socket is destroyed, 1006 otherwise.
  expect([1001, 1006]).toContain(await reliable.closed);
  expect([1001, 1006]).toContain(await simple.closed);
  expect(h.standIn.stats().connections).toMatchObject({ open: 0, awaitingRecovery: 0 });
  expect(h.standIn.server.listening).toBe(false);
  await expect(fetch(`${h.listening.url}/api/health`, { method: 'HEAD' })).rejects.toThrow();
});

test('the JSON protocol at frame level: acks, Duplicate for a reused ackId, pong, unsupported invocations, and a malformed frame closing the connection', async () => {
  const { url } = await h.service().getClientAccessToken({ userId: 'alice', roles: ['webpubsub.joinLeaveGroup'] });
  const ws = new WebSocket(url, 'json.webpubsub.azure.v1');
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  await new Promise((r) => ws.on('open', r));
  const send = (m: object) => ws.send(JSON.stringify(m));
  send({ type: 'joinGroup', group: 'g', ackId: 1 });
  send({ type: 'joinGroup', group: 'g', ackId: 1 });
  send({ type: 'sendToGroup', group: 'g', ackId: 2, dataType: 'text', data: 'x' });
  send({ type: 'joinGroup', group: '   ', ackId: 3 });
  send({ type: 'ping' });
  send({ type: 'invoke', invocationId: 'i-1', target: 'event', event: 'e' });
  await waitUntil(() => frames.length === 7);
  expect(frames.slice(1)).toEqual([
    { type: 'ack', ackId: 1, success: true },
    { type: 'ack', ackId: 1, success: false, error: { name: 'Duplicate', message: 'Message with ack-id: 1 has been processed' } },
    { type: 'ack', ackId: 2, success: false, error: { name: 'Forbidden', message: expect.any(String) } },
    { type: 'ack', ackId: 3, success: false, error: { name: 'BadRequest', message: expect.any(String) } },
    { type: 'pong' },
    { type: 'invokeResponse', invocationId: 'i-1', success: false, error: { name: 'NotSupported', message: expect.any(String) } },
  ]);
  ws.send('not json');
  expect(await closed).toEqual({ code: 1008, reason: 'Invalid message: frames must be JSON objects' });
  expect(frames.at(-1)).toEqual({ type: 'system', event: 'disconnected', message: 'Invalid message: frames must be JSON objects' });
});
