import { AssignmentMethod, AutomatedMessageTrigger, ChannelType, ConversationState, OfferResponse, BasePresence } from '@switchboard/solution';
import { buildServiceGraph } from '@switchboard/functions/composition';
import { RoutingRepository } from '@switchboard/functions/routing/routing.repository';
import { DataverseRoutingWorker } from '@switchboard/functions/routing/routing-worker';
import { RoutingConfigCache } from '@switchboard/functions/routing/routing-config.cache';
import { MemoryWorkQueue } from '@switchboard/functions/testing/memory-work-queue';
import { seedRouting, startStack, type Stack } from './stack.testing';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

async function waitingConversation(seed: { workstreamId: string; queueId: string }, n: number): Promise<string> {
  return (await stack.api.create({
    collection: 'swb_conversations',
    data: {
      subject: `chat ${n}`,
      swb_state: ConversationState.Waiting,
      swb_channeltype: ChannelType.LiveChat,
      'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})`,
      'swb_queueid@odata.bind': `/queues(${seed.queueId})`,
      swb_queuedon: new Date(Date.now() - 60_000 + n * 1000).toISOString(),
      swb_openedon: new Date(Date.now() - 60_000 + n * 1000).toISOString(),
    },
  })) as string;
}

const offersOf = async (filter: string) => (await stack.api.retrieveMultiple<Record<string, any>>({ collection: 'swb_offers', filter })).value;
const status = (id: string) => stack.api.retrieve<Record<string, any>>({ collection: 'swb_agentstatuses', key: id });

/** The same services as the stack's, on a clock set to `at`: what an instance sees when an offer's timer fires. */
function graphAt(at: number) {
  return buildServiceGraph({ client: stack.client, routingQueue: stack.queue as MemoryWorkQueue<unknown>, settings: {}, publicBaseUrl: 'https://x.test', cacheTtlMs: 0, now: () => at });
}

/** The offer's own timer: the delayed `offer-expired` item routing enqueued when it made the offer. */
function timerOf(offerId: string) {
  const item = stack.queue.items.find((i) => i.body.kind === 'offer-expired' && i.body.offerId === offerId);
  if (!item || item.body.kind !== 'offer-expired') throw new Error(`no timer for offer ${offerId}`);
  return { work: item.body, visibleAt: item.nextVisibleOn?.getTime() };
}

it("an offer times out by its own timer: marked, its capacity given back, the agent remembered as having let it go, and the conversation offered to someone else", async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [
    { name: 'Slow Agent', queue: 'main', max: 3 },
    { name: 'Next Agent', queue: 'main', max: 2 },
  ]);
  await stack.api.update({ collection: 'swb_workstreams', key: seed.workstreamId, data: { swb_declinelimit: 1 } });
  const conversationId = await waitingConversation(seed, 100);
  stack.queue.items.splice(0);
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'test' });
  const [first] = await offersOf(`_swb_conversationid_value eq ${conversationId}`);
  expect(first!['_swb_agentid_value']).toBe(seed.agents[0]!.id);
  // Owned by the agent it is offered to: the Agent role reads and answers only its own offers.
  expect(first!['_ownerid_value']).toBe(seed.agents[0]!.id);
  expect((await status(seed.agents[0]!.statusId))['swb_capacityused']).toBe(1);
  const expires = Date.parse(first!['swb_expireson']);
  // The timer is invisible until the offer expires (to the second).
  const timer = timerOf(first!['swb_offerid']);
  expect(Math.abs(timer.visibleAt! - expires)).toBeLessThanOrEqual(1500);
  stack.queue.items.splice(0);

  // Delivered early (clocks differ between instances): nothing changes, the timer waits again.
  await graphAt(expires - 5000).routingWorker.run(timer.work);
  expect((await offersOf(`swb_offerid eq ${first!['swb_offerid']}`))[0]!['swb_response']).toBe(OfferResponse.Pending);
  expect(stack.queue.items.map((i) => i.body)).toEqual([expect.objectContaining({ kind: 'offer-expired', offerId: first!['swb_offerid'] })]);
  stack.queue.items.splice(0);

  await graphAt(expires + 1000).routingWorker.run(timer.work);
  expect((await stack.api.retrieve<Record<string, any>>({ collection: 'swb_offers', key: first!['swb_offerid'] }))['swb_response']).toBe(OfferResponse.TimedOut);
  expect((await status(seed.agents[0]!.statusId))['swb_capacityused']).toBe(0);
  const conv = await stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: conversationId });
  expect(conv).toMatchObject({ _swb_offeredto_value: null, swb_declinecount: 1, swb_declinedby: JSON.stringify({ [seed.agents[0]!.id]: 1 }) });
  expect(stack.queue.items.map((i) => i.body)).toEqual([expect.objectContaining({ kind: 'route-queue', queueId: seed.queueId })]);
  // The same timer delivered twice (a queue delivers at least once) does nothing more.
  await graphAt(expires + 2000).routingWorker.run(timer.work);
  expect(stack.queue.items).toHaveLength(1);
  expect((await stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: conversationId }))['swb_declinecount']).toBe(1);

  await stack.drain();
  const pending = (await offersOf(`_swb_conversationid_value eq ${conversationId}`)).filter((o) => o['swb_response'] === OfferResponse.Pending);
  expect(pending).toHaveLength(1);
  expect(pending[0]!['_swb_agentid_value']).toBe(seed.agents[1]!.id);
  expect(pending[0]!['swb_attempt']).toBe(2);
});

it("an offer's timer that fails (Dataverse down) is sent again, delayed, instead of retried into the poison queue: nothing else would ever time the offer out", async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Timer Agent', queue: 'main', max: 3 }]);
  const conversationId = await waitingConversation(seed, 150);
  stack.queue.items.splice(0);
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'test' });
  const [offer] = await offersOf(`_swb_conversationid_value eq ${conversationId}`);
  const expires = Date.parse(offer!['swb_expireson']);
  const timer = timerOf(offer!['swb_offerid']);
  stack.queue.items.splice(0);
  const repo = new RoutingRepository(stack.client);
  repo.getOffer = async () => {
    throw Object.assign(new Error('Service Unavailable'), { status: 503 });
  };
  const queue = new MemoryWorkQueue<unknown>({ now: () => expires + 1000 });
  const failing = new DataverseRoutingWorker({
    repo,
    config: new RoutingConfigCache(() => repo.loadConfig(), { ttlMs: 0, now: Date.now }),
    routing: { enqueue: async (work, options) => void (await queue.send(work, options)) },
    now: () => expires + 1000,
  });
  await expect(failing.process(timer.work, { dequeueCount: 1, messageId: 'timer-1' }, stack.context)).resolves.toBeUndefined();
  expect(queue.items.map((i) => i.body)).toEqual([expect.objectContaining({ kind: 'offer-expired', offerId: offer!['swb_offerid'] })]);
  expect(queue.items[0]!.nextVisibleOn!.getTime()).toBe(expires + 1000 + 30_000);
  // Delivered again once Dataverse answers: the offer times out as it should have.
  await graphAt(expires + 31_000).routingWorker.process(queue.items[0]!.body, { dequeueCount: 1, messageId: 'timer-2' }, stack.context);
  expect((await offersOf(`swb_offerid eq ${offer!['swb_offerid']}`))[0]!['swb_response']).toBe(OfferResponse.TimedOut);
  expect((await status(seed.agents[0]!.statusId))['swb_capacityused']).toBe(0);
});

it('many workers routing one queue at once never offer a conversation twice nor take an agent over capacity', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [
    { name: 'Race A', queue: 'main', max: 2 },
    { name: 'Race B', queue: 'main', max: 1 },
    { name: 'Race C', queue: 'main', max: 2, used: 1 },
  ]);
  const conversations = [];
  for (let i = 0; i < 6; i++) conversations.push(await waitingConversation(seed, i));
  // Separate worker instances, as separate function instances would be, racing on the same rows.
  const workers = Array.from({ length: 4 }, () =>
    buildServiceGraph({ client: stack.client, routingQueue: new MemoryWorkQueue(), settings: {}, publicBaseUrl: 'https://x.test', cacheTtlMs: 0 }).routingWorker,
  );
  const outcomes = await Promise.all(workers.map((w) => w.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'race' })));
  const offers = await offersOf(`_swb_queueid_value eq ${seed.queueId} and swb_response eq ${OfferResponse.Pending}`);
  // Capacity left: A 2, B 1, C 1 → four offers, for four different conversations.
  expect(offers).toHaveLength(4);
  expect(new Set(offers.map((o) => o['_swb_conversationid_value'])).size).toBe(4);
  const perAgent = (id: string) => offers.filter((o) => o['_swb_agentid_value'] === id).length;
  expect(seed.agents.map((a) => perAgent(a.id))).toEqual([2, 1, 1]);
  for (const [i, a] of seed.agents.entries()) {
    const s = await status(a.statusId);
    expect(s['swb_capacityused']).toBeLessThanOrEqual(s['swb_capacitymax']);
    expect(s['swb_capacityused']).toBe([2, 1, 2][i]);
  }
  // Every worker reports only the offers it actually made.
  expect(outcomes.reduce((n, o) => n + o[0]!.offers.length, 0)).toBe(4);
});

it("a workstream's capacity profile caps how many of its conversations each agent holds, even with units left and many workers racing", async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [
    { name: 'Profile A', queue: 'main', max: 10, used: 1 },
    { name: 'Profile B', queue: 'main', max: 10 },
  ]);
  const profileId = (await stack.api.create({ collection: 'swb_capacityprofiles', data: { swb_name: 'Two chats', swb_maxunits: 2 } })) as string;
  await stack.api.update({ collection: 'swb_workstreams', key: seed.workstreamId, data: { 'swb_capacityprofileid@odata.bind': `/swb_capacityprofiles(${profileId})` } });
  // A already holds one conversation of this workstream.
  await stack.api.create({
    collection: 'swb_conversations',
    data: {
      subject: 'held', swb_state: ConversationState.Active, swb_channeltype: ChannelType.LiveChat,
      'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})`, 'swb_queueid@odata.bind': `/queues(${seed.queueId})`,
      'swb_primaryagentid@odata.bind': `/systemusers(${seed.agents[0]!.id})`,
    },
  });
  // What the conversation-state step does when A accepts it: the status row learns what A holds.
  await stack.graph.routingWorker.run({ kind: 'recompute-agent', agentId: seed.agents[0]!.id, reason: 'accepted' });
  expect(await status(seed.agents[0]!.statusId)).toMatchObject({ swb_capacityused: 1, swb_profileusage: `{"${profileId}":1}` });
  for (let i = 0; i < 8; i++) await waitingConversation(seed, 400 + i);
  const workers = Array.from({ length: 4 }, () =>
    buildServiceGraph({ client: stack.client, routingQueue: new MemoryWorkQueue(), settings: {}, publicBaseUrl: 'https://x.test', cacheTtlMs: 0 }).routingWorker,
  );
  await Promise.all(workers.map((w) => w.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'race' })));
  // Races lost are retried later in production (a delayed work item); here, a few more passes.
  for (const w of workers) await w.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'settle' });
  const offers = await offersOf(`_swb_queueid_value eq ${seed.queueId} and swb_response eq ${OfferResponse.Pending}`);
  const perAgent = (id: string) => offers.filter((o) => o['_swb_agentid_value'] === id).length;
  // Two of the profile each: A has one already, so one more; B two. Units (10 each) never bind.
  expect(seed.agents.map((a) => perAgent(a.id))).toEqual([1, 2]);
  expect(new Set(offers.map((o) => o['_swb_conversationid_value'])).size).toBe(3);
});

it('two queues routed at once cannot together take an agent past a capacity profile: the profile count is reserved in the same guarded write as the units', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Two Queues', queue: 'main', max: 10 }]);
  const agent = seed.agents[0]!;
  await stack.api.associate({ collection: 'queues', primaryKey: seed.otherQueueId, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: agent.id });
  const profileId = (await stack.api.create({ collection: 'swb_capacityprofiles', data: { swb_name: 'One at a time', swb_maxunits: 1 } })) as string;
  await stack.api.update({ collection: 'swb_workstreams', key: seed.workstreamId, data: { 'swb_capacityprofileid@odata.bind': `/swb_capacityprofiles(${profileId})` } });
  await waitingConversation(seed, 500);
  await waitingConversation({ ...seed, queueId: seed.otherQueueId }, 501);
  const workers = Array.from({ length: 2 }, () =>
    buildServiceGraph({ client: stack.client, routingQueue: new MemoryWorkQueue(), settings: {}, publicBaseUrl: 'https://x.test', cacheTtlMs: 0 }).routingWorker,
  );
  await Promise.all([
    workers[0]!.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'race' }),
    workers[1]!.run({ kind: 'route-queue', queueId: seed.otherQueueId, reason: 'race' }),
  ]);
  for (const q of [seed.queueId, seed.otherQueueId]) await workers[0]!.run({ kind: 'route-queue', queueId: q, reason: 'settle' });
  const offers = await offersOf(`_swb_agentid_value eq ${agent.id} and swb_response eq ${OfferResponse.Pending}`);
  expect(offers).toHaveLength(1);
  expect(await status(agent.statusId)).toMatchObject({ swb_capacityused: 1, swb_profileusage: `{"${profileId}":1}` });
});

it('a timed-out offer gives back its units and its profile count, recomputed from what the agent still holds', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Profile Timeout', queue: 'main', max: 10 }]);
  const agent = seed.agents[0]!;
  const profileId = (await stack.api.create({ collection: 'swb_capacityprofiles', data: { swb_name: 'One chat', swb_maxunits: 1 } })) as string;
  await stack.api.update({ collection: 'swb_workstreams', key: seed.workstreamId, data: { 'swb_capacityprofileid@odata.bind': `/swb_capacityprofiles(${profileId})` } });
  const first = await waitingConversation(seed, 600);
  const second = await waitingConversation(seed, 601);
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'arrivals' });
  const [offer] = await offersOf(`_swb_agentid_value eq ${agent.id} and swb_response eq ${OfferResponse.Pending}`);
  expect(offer!['_swb_conversationid_value']).toBe(first);
  expect(await offersOf(`_swb_conversationid_value eq ${second}`)).toHaveLength(0);
  expect(await status(agent.statusId)).toMatchObject({ swb_capacityused: 1, swb_profileusage: `{"${profileId}":1}` });
  await graphAt(Date.parse(offer!['swb_expireson']) + 1000).routingWorker.run(timerOf(offer!['swb_offerid']).work);
  expect(await status(agent.statusId)).toMatchObject({ swb_capacityused: 0, swb_profileusage: '{}' });
});

it('an agent becoming available (route-agent work from the presence plugin) picks up what waits in their queues', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Late Agent', queue: 'main', presence: BasePresence.Offline }]);
  const conversationId = await waitingConversation(seed, 200);
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'nobody' });
  expect(await offersOf(`_swb_conversationid_value eq ${conversationId}`)).toHaveLength(0);
  await stack.api.update({ collection: 'swb_agentstatuses', key: seed.agents[0]!.statusId, data: { swb_basepresence: BasePresence.Available } });
  await stack.graph.routingWorker.run({ kind: 'route-agent', agentId: seed.agents[0]!.id, reason: 'presence changed' });
  expect(await offersOf(`_swb_conversationid_value eq ${conversationId}`)).toHaveLength(1);
});

it('advanced round robin carries its rotation from one work item to the next: three agents with room for more are offered in turn, not the first one every time', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [
    { name: 'Rota One', queue: 'main', max: 5 },
    { name: 'Rota Two', queue: 'main', max: 5 },
    { name: 'Rota Three', queue: 'main', max: 5 },
  ]);
  await stack.api.update({ collection: 'queues', key: seed.queueId, data: { swb_assignmentmethod: AssignmentMethod.AdvancedRoundRobin } });
  const offered: string[] = [];
  for (let n = 0; n < 6; n++) {
    // One conversation per work item, each routed by a worker that starts from the rows alone.
    const conversationId = await waitingConversation(seed, 300 + n);
    await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: `arrival ${n}` });
    const [offer] = await offersOf(`_swb_conversationid_value eq ${conversationId}`);
    offered.push(offer!['_swb_agentid_value']);
  }
  // Each agent once (in membership order), then the same rotation again.
  expect(new Set(offered.slice(0, 3))).toEqual(new Set(seed.agents.map((x) => x.id)));
  expect(offered.slice(3)).toEqual(offered.slice(0, 3));
});

it('a conversation stored without a priority waits its turn behind earlier ones of the default priority instead of jumping the line', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Priority Agent', queue: 'main', max: 1 }]);
  const earlier = await waitingConversation(seed, 700);
  await stack.api.update({ collection: 'swb_conversations', key: earlier, data: { swb_priority: 100 } });
  const later = await waitingConversation(seed, 701);
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'two waiting' });
  expect(await offersOf(`_swb_conversationid_value eq ${earlier}`)).toHaveLength(1);
  expect(await offersOf(`_swb_conversationid_value eq ${later}`)).toHaveLength(0);
});

it('a conversation remembers who let it go: a fresh pass offers it to someone else, with the next attempt number and the decline count kept', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [
    { name: 'Decliner', queue: 'main', max: 3 },
    { name: 'Taker', queue: 'main', max: 3 },
  ]);
  await stack.api.update({ collection: 'swb_workstreams', key: seed.workstreamId, data: { swb_declinelimit: 2 } });
  const conversationId = await waitingConversation(seed, 800);
  // What two ended offers left on the conversation (one decline, one timeout by Decliner).
  await stack.api.update({
    collection: 'swb_conversations',
    key: conversationId,
    data: { swb_offerattempt: 2, swb_declinecount: 2, swb_declinedby: JSON.stringify({ [seed.agents[0]!.id]: 2 }) },
  });
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'declined before' });
  const [pending] = await offersOf(`_swb_conversationid_value eq ${conversationId} and swb_response eq ${OfferResponse.Pending}`);
  expect(pending).toMatchObject({ swb_attempt: 3, _swb_agentid_value: seed.agents[1]!.id });
  const row = await stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: conversationId, select: ['swb_declinecount', '_swb_offeredto_value', 'swb_offerattempt'] });
  expect(row).toMatchObject({ swb_declinecount: 2, _swb_offeredto_value: seed.agents[1]!.id, swb_offerattempt: 3 });
});

it('a malformed work item is dropped instead of being retried into the poison queue', async () => {
  await expect(stack.graph.routingWorker.process({ kind: 'nonsense' }, { dequeueCount: 1, messageId: 'm1' }, stack.context)).resolves.toBeUndefined();
});

it('a conversation accepted between the snapshot and the claim is not offered again', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Taker', queue: 'main', max: 5 }, { name: 'Bystander', queue: 'main', max: 5 }]);
  const conversationId = await waitingConversation(seed, 300);
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'first offer' });
  const [offer] = await offersOf(`_swb_conversationid_value eq ${conversationId}`);
  // Read the waiting list, then let the agent accept before the worker goes on: its snapshot is stale.
  class StaleRepository extends RoutingRepository {
    override async waitingHead(queueId: string, top: number) {
      const rows = await super.waitingHead(queueId, top);
      await stack.api.update({ collection: 'swb_offers', key: offer!['swb_offerid'], data: { swb_response: OfferResponse.Accepted } });
      await stack.api.update({ collection: 'swb_conversations', key: conversationId, data: { swb_state: ConversationState.Active, 'swb_primaryagentid@odata.bind': `/systemusers(${offer!['_swb_agentid_value']})` } });
      return rows;
    }
  }
  // The offer was let go first (the conversation waits again, offered to nobody); the stale
  // worker then reads the waiting list just before the agent's accept lands.
  await stack.api.update({ collection: 'swb_offers', key: offer!['swb_offerid'], data: { swb_response: OfferResponse.Declined } });
  await stack.api.update({ collection: 'swb_conversations', key: conversationId, data: { 'swb_offeredto@odata.bind': null } });
  const repo = new StaleRepository(stack.client);
  const worker = new DataverseRoutingWorker({ repo, config: new RoutingConfigCache(() => repo.loadConfig(), { ttlMs: 0, now: Date.now }), routing: { enqueue: async () => undefined }, now: Date.now });
  const outcome = await worker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'stale' });
  expect(outcome[0]!.offers).toHaveLength(0);
  expect(await offersOf(`_swb_conversationid_value eq ${conversationId}`)).toHaveLength(1);
  const used = await Promise.all(seed.agents.map((a) => status(a.statusId).then((s) => s['swb_capacityused'])));
  expect(used.reduce((x, y) => x + y, 0)).toBe(1);
});

it('a new chat is classified into its queue, told its position in line, and offered', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Queue Agent', queue: 'main', presence: BasePresence.Away }]);
  await stack.api.create({ collection: 'swb_automatedmessages', data: { swb_name: 'queued', swb_trigger: AutomatedMessageTrigger.Queued, swb_locale: 'en', swb_text: 'You are number {queue.position} in line.', 'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})`, swb_isenabled: true } });
  const ids: string[] = [];
  for (const n of [1, 2]) {
    const id = (await stack.api.create({
      collection: 'swb_conversations',
      data: { subject: `new ${n}`, swb_state: ConversationState.Open, swb_channeltype: ChannelType.LiveChat, 'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})` },
    })) as string;
    ids.push(id);
    await stack.graph.routingWorker.run({ kind: 'route-conversation', conversationId: id, queueId: null, reason: 'test' });
  }
  const texts = await Promise.all(
    ids.map(async (id) => (await stack.api.retrieveMultiple<Record<string, any>>({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${id}` })).value.map((m) => m['swb_body'])),
  );
  expect(texts).toEqual([['You are number 1 in line.'], ['You are number 2 in line.']]);
  const conv = await stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: ids[1]! });
  expect(conv['swb_state']).toBe(ConversationState.Waiting);
  expect(conv['_swb_queueid_value']).toBe(seed.queueId);
});

it('a configuration change (an agent added to a queue) routes what already waits, at once', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Outsider', queue: 'other', max: 3 }]);
  const conversationId = await waitingConversation(seed, 400);
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'nobody in the queue yet' });
  expect(await offersOf(`_swb_conversationid_value eq ${conversationId}`)).toHaveLength(0);
  await stack.api.associate({ collection: 'queues', primaryKey: seed.queueId, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: seed.agents[0]!.id });
  await stack.graph.routingWorker.run({ kind: 'config-changed', table: 'queue', id: seed.queueId, message: 'Associate', reason: 'membership changed' });
  const offers = await offersOf(`_swb_conversationid_value eq ${conversationId}`);
  expect(offers.map((o) => o['_swb_agentid_value'])).toEqual([seed.agents[0]!.id]);
});

it('a pass that places the head of a long line carries on behind it at once, so wake-ups it covered are not left waiting', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Long Line', queue: 'main', max: 100 }]);
  const ids: string[] = [];
  // One agent with room reads a head of 15: twenty wait.
  for (let i = 0; i < 20; i++) ids.push(await waitingConversation(seed, 900 + i));
  stack.queue.items.splice(0);
  const [first] = await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'twenty arrivals', at: Date.now() - 1000 });
  expect(first!.offers).toHaveLength(15);
  expect(stack.queue.items.map((i) => i.body)).toContainEqual(expect.objectContaining({ kind: 'route-queue', queueId: seed.queueId, reason: 'more waiting beyond the head' }));
  await stack.drain();
  const offered = await offersOf(`_swb_queueid_value eq ${seed.queueId} and swb_response eq ${OfferResponse.Pending}`);
  expect(new Set(offered.map((o) => o['_swb_conversationid_value']))).toEqual(new Set(ids));
});

it('an offer that fills the agent puts them in Do not disturb in the same write (the accept recomputes nothing); an agent who picked Available by hand stays Available', async () => {
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [
    { name: 'Full Agent', queue: 'main', max: 1 },
    { name: 'Manual Agent', queue: 'main', max: 1 },
  ]);
  await stack.api.update({ collection: 'swb_agentstatuses', key: seed.agents[1]!.statusId, data: { swb_manualoverride: true } });
  await waitingConversation(seed, 300);
  await waitingConversation(seed, 301);
  stack.queue.items.splice(0);
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'test' });
  const full = await status(seed.agents[0]!.statusId);
  const manual = await status(seed.agents[1]!.statusId);
  expect(full).toMatchObject({ swb_capacityused: 1, swb_basepresence: BasePresence.DoNotDisturb });
  expect(manual).toMatchObject({ swb_capacityused: 1, swb_basepresence: BasePresence.Available, swb_manualoverride: true });
});
