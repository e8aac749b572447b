import {
  AgentConnectionState,
  BasePresence,
  ChannelType,
  ConversationState,
  SessionRole,
  SessionState,
  WrapUpBlocking,
  type AgentStatusRow,
} from '@switchboard/solution';
import { recomputeAgent } from '../capacity/recompute-agent';
import { handleStepWebhook } from '../service';
import { type Wire, date, executionContext, option, ref } from '../testing/contexts';
import { TEST_CONFIG, fakeDeps } from '../testing/fakes';

const AGENT = '22222222-2222-4222-8222-222222222222';
const CONSULT = '33333333-3333-4333-8333-333333333333';
const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER = '3f2504e0-4f89-41d3-9a0c-0305e82c3302';
const WS = '4b000000-0000-4000-8000-000000000001';
const QUEUE = '9a000000-0000-4000-8000-000000000001';
const STATUS = '5c000000-0000-4000-8000-000000000001';
const OPERATION_AT = new Date('2026-11-24T10:00:00Z');

function setup(blocking: { kind: WrapUpBlocking; seconds?: number } | null, status: Partial<AgentStatusRow> = {}) {
  const f = fakeDeps(Date.parse('2026-11-24T10:00:05Z'));
  f.data.workstreams.set(WS, {
    swb_workstreamid: WS, swb_capacityunits: 1, swb_channeltype: ChannelType.Sms,
    ...(blocking ? { swb_wrapupblocking: blocking.kind, swb_wrapupseconds: blocking.seconds ?? 0 } : {}),
  });
  for (const id of [CONV, OTHER]) {
    f.data.seed(f.data.conversations, id, {
      activityid: id, swb_state: ConversationState.Active, _swb_primaryagentid_value: AGENT, _swb_workstreamid_value: WS, _swb_queueid_value: QUEUE,
      swb_activeon: '2026-11-24T09:40:00Z', swb_firstassignedon: '2026-11-24T09:40:00Z',
    });
  }
  f.data.seed(f.data.agentStatuses, STATUS, {
    swb_agentstatusid: STATUS, _swb_agentid_value: AGENT, swb_basepresence: BasePresence.DoNotDisturb, swb_manualoverride: false,
    swb_connectionstate: AgentConnectionState.Connected, swb_capacityused: 2, swb_capacitymax: 2, ...status,
  });
  f.data.seed(f.data.sessions, 'a0000000-0000-4000-8000-000000000001', {
    activityid: 'a0000000-0000-4000-8000-000000000001', _swb_conversationid_value: CONV, _swb_agentid_value: AGENT, swb_role: SessionRole.Primary, swb_state: SessionState.Active,
  });
  f.data.seed(f.data.sessions, 'a0000000-0000-4000-8000-000000000002', {
    activityid: 'a0000000-0000-4000-8000-000000000002', _swb_conversationid_value: CONV, _swb_agentid_value: CONSULT, swb_role: SessionRole.Consult, swb_state: SessionState.Active,
  });
  return f;
}

/** The agent's save, as the row will look after it: the fake is updated and the webhook body built. */
function change(f: ReturnType<typeof setup>, from: ConversationState, to: ConversationState, target: Record<string, Wire> = {}, image: Record<string, Wire> = {}) {
  const columns = { swb_primaryagentid: ref('systemuser', AGENT), swb_workstreamid: ref('swb_workstream', WS), swb_queueid: ref('queue', QUEUE), ...image };
  f.data.touch(f.data.conversations, CONV, { swb_state: to });
  return executionContext({
    message: 'Update', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async', userId: AGENT, operationCreatedOn: OPERATION_AT,
    target: { swb_state: option(to), ...target },
    preImages: { Image: { ...columns, swb_state: option(from) } },
    postImages: { Image: { ...columns, swb_state: option(to) } },
  });
}

describe('conversation state step', () => {
  it('wrap-up that does not block releases capacity at once, drops presence to Busy and wakes routing', async () => {
    const f = setup({ kind: WrapUpBlocking.Never });
    const res = await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.WrapUp), f.deps);
    expect(res.status).toBe(200);
    expect(f.data.agentStatuses.get(STATUS)!.row).toMatchObject({ swb_capacityused: 1, swb_basepresence: BasePresence.Busy, swb_lastreleaseon: '2026-11-24T10:00:05.000Z' });
    // One wake-up: the agent's queues, without a second recompute (this step just did it).
    expect(f.routingTrigger.items.map((i) => i.work)).toEqual([expect.objectContaining({ kind: 'route-agent', agentId: AGENT, recompute: false })]);
  });

  it('stamps wrap-up with the time of the operation, not the time the async job ran', async () => {
    const f = setup({ kind: WrapUpBlocking.Never });
    await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.WrapUp), f.deps);
    expect(f.data.conversations.get(CONV)!.row.swb_wrapupon).toBe('2026-11-24T10:00:00.000Z');
  });

  it('keeps a time the caller already wrote', async () => {
    const f = setup({ kind: WrapUpBlocking.Never });
    await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.WrapUp, { swb_wrapupon: date('2026-11-24T09:59:58Z') }), f.deps);
    expect(f.data.writes.filter((w) => w.table === 'swb_conversation')).toEqual([]);
  });

  it('wrap-up ends consult sessions and moves the primary session to wrap-up', async () => {
    const f = setup({ kind: WrapUpBlocking.Never });
    await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.WrapUp), f.deps);
    expect(f.data.sessions.get('a0000000-0000-4000-8000-000000000001')!.row).toMatchObject({ swb_state: SessionState.WrapUp, swb_wrapupon: '2026-11-24T10:00:00.000Z' });
    expect(f.data.sessions.get('a0000000-0000-4000-8000-000000000002')!.row).toMatchObject({ swb_state: SessionState.Closed, swb_lefton: '2026-11-24T10:00:00.000Z' });
  });

  it('with "hold until closed" (and when the workstream says nothing) capacity is kept through wrap-up and released on close', async () => {
    for (const blocking of [{ kind: WrapUpBlocking.UntilClosed }, null]) {
      const f = setup(blocking);
      await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.WrapUp), f.deps);
      expect(f.data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(2);
      expect(f.routingTrigger.items).toEqual([]);
      await handleStepWebhook('conversation-state', change(f, ConversationState.WrapUp, ConversationState.Closed), f.deps);
      expect(f.data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(1);
      expect(f.data.conversations.get(CONV)!.row.swb_closedon).toBe('2026-11-24T10:00:00.000Z');
    }
  });

  it('with "hold for 60 seconds" release waits, is scheduled for the remaining time, and happens when it comes due', async () => {
    const f = setup({ kind: WrapUpBlocking.ForDuration, seconds: 60 });
    await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.WrapUp), f.deps);
    expect(f.data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(2);
    expect(f.routingTrigger.items).toEqual([{ work: expect.objectContaining({ kind: 'recompute-agent', agentId: AGENT }), delaySeconds: 55 }]);
    f.clock.set(Date.parse('2026-11-24T10:00:59Z'));
    expect((await recomputeAgent(AGENT, f.deps)).usedUnits).toBe(2);
    f.clock.set(Date.parse('2026-11-24T10:01:00Z'));
    const due = await recomputeAgent(AGENT, f.deps);
    expect(due).toMatchObject({ usedUnits: 1, released: true, presence: 'Busy' });
  });

  it('the capacity-profile count on the status row follows what the agent holds: written on recompute, lowered on close', async () => {
    const PROFILE = 'c9000000-0000-4000-8000-000000000001';
    const f = setup({ kind: WrapUpBlocking.UntilClosed }, { swb_profileusage: '{"stale-profile":4}' });
    f.data.workstreams.set(WS, { ...f.data.workstreams.get(WS)!, _swb_capacityprofileid_value: PROFILE });
    await recomputeAgent(AGENT, f.deps);
    expect(f.data.agentStatuses.get(STATUS)!.row.swb_profileusage).toBe(`{"${PROFILE}":2}`);
    await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.Closed), f.deps);
    expect(f.data.agentStatuses.get(STATUS)!.row.swb_profileusage).toBe(`{"${PROFILE}":1}`);
    // Nothing changed: no write.
    const writes = f.data.writes.length;
    await recomputeAgent(AGENT, f.deps);
    expect(f.data.writes.length).toBe(writes);
  });

  it('a retried webhook releases the same conversation only once', async () => {
    const f = setup({ kind: WrapUpBlocking.Never });
    const body = change(f, ConversationState.Active, ConversationState.WrapUp);
    await handleStepWebhook('conversation-state', body, f.deps);
    await handleStepWebhook('conversation-state', body, f.deps);
    expect(f.data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(1);
  });

  it('an engine claim landing between our read and write is not lost: we recompute on the 412', async () => {
    const f = setup({ kind: WrapUpBlocking.Never });
    f.data.beforeConditionalWrite = (table) => {
      if (table !== 'swb_agentstatus') return;
      f.data.beforeConditionalWrite = undefined;
      // The routing engine offers a third conversation and claims a unit meanwhile (the
      // conversation now names who holds its offer).
      f.data.seed(f.data.conversations, OTHER.replace(/2$/, '3'), { activityid: OTHER.replace(/2$/, '3'), swb_state: ConversationState.Waiting, _swb_workstreamid_value: WS, _swb_offeredto_value: AGENT });
      f.data.touch(f.data.agentStatuses, STATUS, { swb_capacityused: 3 });
    };
    await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.WrapUp), f.deps);
    expect(f.data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(2);
  });

  it('a manual Do not disturb stays as the agent chose it when capacity frees up', async () => {
    const f = setup({ kind: WrapUpBlocking.Never }, { swb_manualoverride: true });
    await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.WrapUp), f.deps);
    expect(f.data.agentStatuses.get(STATUS)!.row).toMatchObject({ swb_capacityused: 1, swb_basepresence: BasePresence.DoNotDisturb });
  });

  it('back to the queue: the primary agent is cleared, sessions end, capacity is released and the conversation is routed', async () => {
    const f = setup({ kind: WrapUpBlocking.Never });
    await handleStepWebhook('conversation-state', change(f, ConversationState.Active, ConversationState.Open), f.deps);
    const conv = f.data.conversations.get(CONV)!.row;
    expect(conv._swb_primaryagentid_value).toBeNull();
    expect(conv.swb_queuedon).toBe('2026-11-24T10:00:00.000Z');
    expect([...f.data.sessions.values()].every((s) => s.row.swb_state === SessionState.Closed)).toBe(true);
    expect(f.data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(1);
    expect(f.routingTrigger.items.map((i) => i.work.kind)).toContain('route-conversation');
  });

  it('a new conversation gets its opened and queued times and is routed', async () => {
    const f = setup(null);
    const NEW = '3f2504e0-4f89-41d3-9a0c-0305e82c3399';
    f.data.seed(f.data.conversations, NEW, { activityid: NEW, swb_state: ConversationState.Open });
    const body = executionContext({
      message: 'Create', table: 'swb_conversation', id: NEW, stage: 40, mode: 'async', operationCreatedOn: OPERATION_AT,
      target: { swb_state: option(ConversationState.Open), swb_queueid: ref('queue', QUEUE) },
      postImages: { Image: { swb_state: option(ConversationState.Open), swb_queueid: ref('queue', QUEUE) } },
    });
    await handleStepWebhook('conversation-state', body, f.deps);
    expect(f.data.conversations.get(NEW)!.row).toMatchObject({ swb_openedon: '2026-11-24T10:00:00.000Z', swb_queuedon: '2026-11-24T10:00:00.000Z' });
    expect(f.routingTrigger.items).toEqual([{ work: { kind: 'route-conversation', conversationId: NEW, queueId: QUEUE, reason: 'new → Open', at: expect.any(Number) } }]);
  });

  it('a conversation the app creates or queues is not routed again from here: the service that wrote it routed it, once', async () => {
    const f = setup(null);
    const NEW = '3f2504e0-4f89-41d3-9a0c-0305e82c3398';
    f.data.seed(f.data.conversations, NEW, { activityid: NEW, swb_state: ConversationState.Waiting });
    const body = executionContext({
      message: 'Create', table: 'swb_conversation', id: NEW, stage: 40, mode: 'async', operationCreatedOn: OPERATION_AT, userId: TEST_CONFIG.trustedUserIds[0]!,
      target: { swb_state: option(ConversationState.Waiting), swb_queueid: ref('queue', QUEUE) },
      postImages: { Image: { swb_state: option(ConversationState.Waiting), swb_queueid: ref('queue', QUEUE) } },
    });
    await handleStepWebhook('conversation-state', body, f.deps);
    expect(f.routingTrigger.items).toEqual([]);
  });

  it('accepting: Active stamps active time but keeps the first assignment time', async () => {
    const f = setup(null);
    f.data.touch(f.data.conversations, CONV, { swb_activeon: null });
    await handleStepWebhook('conversation-state', change(f, ConversationState.Open, ConversationState.Active, {}, { swb_firstassignedon: date('2026-11-24T09:40:00Z') }), f.deps);
    const conv = f.data.conversations.get(CONV)!.row;
    expect(conv.swb_activeon).toBe('2026-11-24T10:00:00.000Z');
    expect(conv.swb_firstassignedon).toBe('2026-11-24T09:40:00Z');
  });

  describe('transfer (the primary agent changes, the state stays Active)', () => {
    function transfer(f: ReturnType<typeof setup>, to: string) {
      f.data.touch(f.data.conversations, CONV, { _swb_primaryagentid_value: to });
      const columns = { swb_state: option(ConversationState.Active), swb_workstreamid: ref('swb_workstream', WS), swb_queueid: ref('queue', QUEUE) };
      return executionContext({
        message: 'Update', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async', userId: AGENT, operationCreatedOn: OPERATION_AT,
        target: { swb_primaryagentid: ref('systemuser', to) },
        preImages: { Image: { ...columns, swb_primaryagentid: ref('systemuser', AGENT) } },
        postImages: { Image: { ...columns, swb_primaryagentid: ref('systemuser', to) } },
      });
    }
    const RECEIVER_STATUS = '5c000000-0000-4000-8000-000000000002';

    function withReceiver(f: ReturnType<typeof setup>, receiver: string) {
      f.data.seed(f.data.agentStatuses, RECEIVER_STATUS, {
        swb_agentstatusid: RECEIVER_STATUS, _swb_agentid_value: receiver, swb_basepresence: BasePresence.Available, swb_manualoverride: false,
        swb_connectionstate: AgentConnectionState.Connected, swb_capacityused: 0, swb_capacitymax: 2,
      });
      return f;
    }

    it("the consultant receiving it is promoted to primary, the sender's session ends, and capacity moves with it", async () => {
      const f = withReceiver(setup(null), CONSULT);
      const res = await handleStepWebhook('conversation-state', transfer(f, CONSULT), f.deps);
      expect(res.status).toBe(200);
      expect(f.data.sessions.get('a0000000-0000-4000-8000-000000000001')!.row).toMatchObject({ swb_state: SessionState.Closed, swb_lefton: '2026-11-24T10:00:00.000Z' });
      expect(f.data.sessions.get('a0000000-0000-4000-8000-000000000002')!.row).toMatchObject({ swb_state: SessionState.Active, swb_role: SessionRole.Primary });
      expect(f.data.agentStatuses.get(STATUS)!.row).toMatchObject({ swb_capacityused: 1, swb_basepresence: BasePresence.Busy });
      expect(f.data.agentStatuses.get(RECEIVER_STATUS)!.row).toMatchObject({ swb_capacityused: 1, swb_basepresence: BasePresence.Busy });
      expect(f.routingTrigger.items.map((i) => i.work)).toContainEqual(expect.objectContaining({ kind: 'route-agent', agentId: AGENT }));
      expect(f.data.conversations.get(CONV)!.row.swb_activeon).toBe('2026-11-24T09:40:00Z');
    });

    it('the receiver becomes the owner of the conversation, so the Agent role lets them end and close it', async () => {
      const f = withReceiver(setup(null), CONSULT);
      await handleStepWebhook('conversation-state', transfer(f, CONSULT), f.deps);
      expect(f.data.writes.filter((w) => w.table === 'swb_conversation').map((w) => w.patch)).toContainEqual(expect.objectContaining({ 'ownerid@odata.bind': `/systemusers(${CONSULT})` }));
    });

    it('a receiver who was not consulting gets a new primary session, once even when the webhook is retried', async () => {
      const THIRD = '44444444-4444-4444-8444-444444444444';
      const f = withReceiver(setup(null), THIRD);
      const body = transfer(f, THIRD);
      await handleStepWebhook('conversation-state', body, f.deps);
      await handleStepWebhook('conversation-state', body, f.deps);
      const theirs = [...f.data.sessions.values()].map((e) => e.row).filter((r) => r._swb_agentid_value === THIRD);
      expect(theirs).toEqual([expect.objectContaining({ swb_role: SessionRole.Primary, swb_state: SessionState.Active, swb_joinedon: '2026-11-24T10:00:00.000Z' })]);
    });
  });

  it('an offer accepted by the app, which opened the primary session in the same write, gets no second session and no capacity recompute from here', async () => {
    const f = setup(null);
    f.data.sessions.clear();
    f.data.touch(f.data.conversations, CONV, { swb_state: ConversationState.Active, _swb_primaryagentid_value: AGENT });
    const columns = { swb_workstreamid: ref('swb_workstream', WS), swb_queueid: ref('queue', QUEUE) };
    const body = executionContext({
      message: 'Update', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async', userId: TEST_CONFIG.trustedUserIds[0]!, operationCreatedOn: OPERATION_AT,
      target: { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', AGENT), swb_activeon: date('2026-11-24T10:00:00Z') },
      preImages: { Image: { ...columns, swb_state: option(ConversationState.Waiting) } },
      postImages: { Image: { ...columns, swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', AGENT), swb_activeon: date('2026-11-24T10:00:00Z') } },
    });
    f.data.writes.splice(0);
    expect((await handleStepWebhook('conversation-state', body, f.deps)).status).toBe(200);
    expect(f.data.sessions.size).toBe(0);
    expect(f.data.writes.filter((w) => w.table !== 'swb_conversation')).toEqual([]);
  });

  it('an accepted conversation gets a primary session for its agent (once)', async () => {
    const f = setup(null);
    f.data.sessions.clear();
    const body = change(f, ConversationState.Open, ConversationState.Active);
    await handleStepWebhook('conversation-state', body, f.deps);
    await handleStepWebhook('conversation-state', body, f.deps);
    expect([...f.data.sessions.values()].map((e) => e.row)).toEqual([expect.objectContaining({ _swb_agentid_value: AGENT, swb_role: SessionRole.Primary })]);
  });
});
