// core's PushClient against the stand-in: the real protocol, URLs from the real server SDK, a real
// socket (ws, as Node 20 has no global WebSocket by default).
import { conversationGroup, PushClient, type PushEvent, type PushState, type SocketLike } from '@switchboard/core';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { Harness, waitUntil } from './stand-in.testing';

let h: Harness;
let client: PushClient | undefined;
beforeEach(async () => {
  h = await new Harness().start();
});
afterEach(async () => {
  client?.stop();
  client = undefined;
  await h.stop();
});

test('server and group events reach onEvent, a dropped connection reconnects with a new URL, and other groups stay unheard', async () => {
  const conversationId = randomUUID();
  const otherConversationId = randomUUID();
  const agentId = randomUUID();
  const service = h.service();
  let negotiated = 0;
  const events: PushEvent[] = [];
  const states: PushState[] = [];
  const lines: string[] = [];
  client = new PushClient(
    {
      negotiate: async () => {
        negotiated++;
        return (await service.getClientAccessToken({ userId: agentId, groups: [conversationGroup(conversationId)] })).url;
      },
      // ws's handlers take its own event classes, which carry more than SocketLike asks for.
      openSocket: (url, protocol) => new WebSocket(url, protocol) as unknown as SocketLike,
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
      random: Math.random,
      log: (line) => lines.push(line),
    },
    { minBackoffMs: 20, maxBackoffMs: 200 },
  );
  client.onEvent((e) => events.push(e));
  client.onState((s) => states.push(s));
  client.start();
  await waitUntil(() => client!.state === 'connected', 5000, 'the client to connect');

  await service.sendToUser(agentId, { kind: 'offer', conversationId, change: 'made' });
  await service.group(conversationGroup(otherConversationId)).sendToAll({ kind: 'message', conversationId: otherConversationId, sequence: 1 });
  await service.group(conversationGroup(conversationId)).sendToAll({ kind: 'message', conversationId, sequence: 2 });
  await waitUntil(() => events.length >= 2, 5000, 'two events');
  expect(events).toEqual([
    { kind: 'offer', conversationId, change: 'made' },
    { kind: 'message', conversationId, sequence: 2 },
  ]);

  const members: string[] = [];
  for await (const m of await service.group(conversationGroup(conversationId)).listConnections()) members.push(m.connectionId);
  expect(members).toHaveLength(1);
  h.standIn.dropConnection('chat', members[0]!);
  await waitUntil(() => states.length === 4, 5000, 'down, then connected again');
  expect(states).toEqual(['connecting', 'connected', 'down', 'connected']);
  expect(negotiated).toBe(2);

  await service.group(conversationGroup(conversationId)).sendToAll({ kind: 'typing', conversationId, by: 'customer' });
  await waitUntil(() => events.length === 3, 5000, 'an event after the reconnect');
  expect(events[2]).toEqual({ kind: 'typing', conversationId, by: 'customer' });
  expect(client.sendEvent('typing', { conversationId })).toBe(true);
});
