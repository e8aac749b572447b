import { ChannelType, ConversationState, MessageDirection, SessionRole, SessionState, Visibility } from '@switchboard/solution';
import type { DataversePort } from '../ports';
import { handleStepWebhook } from '../service';
import { type Wire, executionContext, option, ref } from '../testing/contexts';
import { RecordingPush, fakeDeps } from '../testing/fakes';

const AGENT = '22222222-2222-4222-8222-222222222222';
const RECEIVER = '33333333-3333-4333-8333-333333333333';
const CONSULTANT = '44444444-4444-4444-8444-444444444444';
const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const QUEUE = '9a000000-0000-4000-8000-000000000001';
const QUEUE2 = '9a000000-0000-4000-8000-000000000002';
const MESSAGE = 'e0000000-0000-4000-8000-000000000007';
const SESSION = 'b0000000-0000-4000-8000-000000000001';
const STATUS = '5c000000-0000-4000-8000-000000000001';

const GROUP = `c.${CONV}`;
const CUSTOMER = `customer.${CONV}`;

function setup() {
  const push = new RecordingPush();
  return { ...fakeDeps(Date.parse('2026-11-24T10:00:05Z'), { push }), push };
}

function message(direction: MessageDirection, visibility: Visibility, sequence = 7) {
  return executionContext({
    message: 'Create', table: 'swb_message', id: MESSAGE, stage: 40, mode: 'async', userId: AGENT,
    target: { swb_conversationid: ref('swb_conversation', CONV), swb_direction: option(direction), swb_visibility: option(visibility), swb_sequence: sequence, swb_body: 'Hello' },
  });
}

interface ConversationSide {
  state?: ConversationState;
  primary?: string | null;
  queue?: string;
  channel?: ChannelType;
}

/** A conversation update as the step's Image (pre and post) carries it. */
function conversation(before: ConversationSide, after: ConversationSide, id = CONV) {
  const image = (s: ConversationSide): Record<string, Wire> => ({
    swb_state: option(s.state ?? ConversationState.Active),
    swb_primaryagentid: s.primary ? ref('systemuser', s.primary) : null,
    swb_queueid: ref('queue', s.queue ?? QUEUE),
    swb_channeltype: option(s.channel ?? ChannelType.Sms),
  });
  const pre = image(before);
  const post = image({ ...before, ...after });
  return executionContext({ message: 'Update', table: 'swb_conversation', id, stage: 40, mode: 'async', userId: AGENT, target: {}, preImages: { Image: pre }, postImages: { Image: post } });
}

const sessionCreated = (agent: string, role = SessionRole.Consult) => executionContext({
  message: 'Create', table: 'swb_session', id: SESSION, stage: 40, mode: 'async', userId: AGENT,
  target: { swb_conversationid: ref('swb_conversation', CONV), swb_agentid: ref('systemuser', agent), swb_role: option(role), swb_state: option(SessionState.Active) },
});

const sessionState = (agent: string, state: SessionState) => executionContext({
  message: 'Update', table: 'swb_session', id: SESSION, stage: 40, mode: 'async', userId: agent,
  target: { swb_state: option(state) },
  postImages: { Image: { swb_conversationid: ref('swb_conversation', CONV), swb_agentid: ref('systemuser', agent), swb_state: option(state) } },
});

const statusChanged = (agent: string) => executionContext({
  message: 'Update', table: 'swb_agentstatus', id: STATUS, stage: 40, mode: 'async', userId: agent,
  target: { swb_capacityused: 1 },
  postImages: { Image: { swb_agentid: ref('systemuser', agent) } },
});

describe('push relay step', () => {
  it("an agent's public reply is told to the agents taking part and to the chat's customer", async () => {
    const f = setup();
    const res = await handleStepWebhook('push-relay', message(MessageDirection.Outbound, Visibility.Public), f.deps);
    expect(res.status).toBe(200);
    expect(f.push.calls).toEqual([
      { op: 'toGroup', target: GROUP, event: { kind: 'message', conversationId: CONV, sequence: 7 } },
      { op: 'toUser', target: CUSTOMER, event: { kind: 'message', conversationId: CONV, sequence: 7 } },
    ]);
  });

  it('an internal note is told to the agents taking part only, marked internal, never to the customer', async () => {
    const f = setup();
    await handleStepWebhook('push-relay', message(MessageDirection.Outbound, Visibility.Internal), f.deps);
    expect(f.push.calls).toEqual([{ op: 'toGroup', target: GROUP, event: { kind: 'message', conversationId: CONV, sequence: 7, internal: true } }]);
  });

  it("a customer's message is not relayed: the app that stored it published it already", async () => {
    const f = setup();
    const res = await handleStepWebhook('push-relay', message(MessageDirection.Inbound, Visibility.Public), f.deps);
    expect(res.status).toBe(200);
    expect(f.push.calls).toEqual([]);
  });

  it('a transfer puts the receiver in the conversation group before the group hears of it, and takes the previous primary out after', async () => {
    const f = setup();
    await handleStepWebhook('push-relay', conversation({ primary: AGENT }, { primary: RECEIVER }), f.deps);
    const event = { kind: 'conversation', conversationId: CONV, state: ConversationState.Active };
    expect(f.push.calls).toEqual([
      { op: 'join', target: RECEIVER, group: GROUP },
      { op: 'toUser', target: RECEIVER, event },
      // The previous primary is still in the group here: their pane hears it and turns read-only.
      { op: 'toGroup', target: GROUP, event },
      { op: 'leave', target: AGENT, group: GROUP },
      { op: 'toGroup', target: `q.${QUEUE}`, event: { kind: 'queue', queueId: QUEUE } },
    ]);
  });

  it('a conversation that keeps its primary agent moves nobody in or out of its group', async () => {
    const f = setup();
    await handleStepWebhook('push-relay', conversation({ primary: AGENT, state: ConversationState.Active }, { state: ConversationState.WrapUp }), f.deps);
    expect(f.push.of('join')).toEqual([]);
    expect(f.push.of('leave')).toEqual([]);
    expect(f.push.of('toGroup')).toContainEqual({ op: 'toGroup', target: GROUP, event: { kind: 'conversation', conversationId: CONV, state: ConversationState.WrapUp } });
  });

  it('names groups and users in lower case whatever case Dataverse sends the ids in', async () => {
    const f = setup();
    await handleStepWebhook('push-relay', conversation({ primary: AGENT.toUpperCase() }, { primary: RECEIVER.toUpperCase(), queue: QUEUE.toUpperCase() }, CONV.toUpperCase()), f.deps);
    expect(f.push.calls.map((c) => [c.op, c.target, 'group' in c ? c.group : undefined])).toEqual([
      ['join', RECEIVER, GROUP],
      ['toUser', RECEIVER, undefined],
      ['toGroup', GROUP, undefined],
      ['leave', AGENT, GROUP],
      ['toGroup', `q.${QUEUE}`, undefined],
    ]);
  });

  it("a live chat's change of state is told to its customer; an SMS conversation's is not, nor a chat's change that keeps its state", async () => {
    const chat = setup();
    await handleStepWebhook('push-relay', conversation({ primary: AGENT, channel: ChannelType.LiveChat, state: ConversationState.Active }, { state: ConversationState.Closed }), chat.deps);
    expect(chat.push.calls.filter((c) => c.target === CUSTOMER)).toEqual([
      { op: 'toUser', target: CUSTOMER, event: { kind: 'conversation', conversationId: CONV, state: ConversationState.Closed } },
    ]);

    const sms = setup();
    await handleStepWebhook('push-relay', conversation({ primary: AGENT, channel: ChannelType.Sms, state: ConversationState.Active }, { state: ConversationState.Closed }), sms.deps);
    expect(sms.push.calls.filter((c) => c.target === CUSTOMER)).toEqual([]);
    expect(sms.push.of('toGroup')).toContainEqual({ op: 'toGroup', target: GROUP, event: { kind: 'conversation', conversationId: CONV, state: ConversationState.Closed } });

    const transferred = setup();
    await handleStepWebhook('push-relay', conversation({ primary: AGENT, channel: ChannelType.LiveChat }, { primary: RECEIVER }), transferred.deps);
    expect(transferred.push.calls.filter((c) => c.target === CUSTOMER)).toEqual([]);
  });

  it("the supervisors of the conversation's queue hear of a change, those of both queues when it moved", async () => {
    const same = setup();
    await handleStepWebhook('push-relay', conversation({ primary: AGENT, state: ConversationState.Active }, { state: ConversationState.WrapUp }), same.deps);
    expect(same.push.calls.filter((c) => c.target.startsWith('q.'))).toEqual([{ op: 'toGroup', target: `q.${QUEUE}`, event: { kind: 'queue', queueId: QUEUE } }]);

    const moved = setup();
    await handleStepWebhook('push-relay', conversation({ primary: null, state: ConversationState.Waiting, queue: QUEUE }, { queue: QUEUE2 }), moved.deps);
    expect(moved.push.calls.filter((c) => c.target.startsWith('q.'))).toEqual([
      { op: 'toGroup', target: `q.${QUEUE}`, event: { kind: 'queue', queueId: QUEUE } },
      { op: 'toGroup', target: `q.${QUEUE2}`, event: { kind: 'queue', queueId: QUEUE2 } },
    ]);
  });

  it('a consult session created puts the consultant in the conversation group and tells them', async () => {
    const f = setup();
    const res = await handleStepWebhook('push-relay', sessionCreated(CONSULTANT), f.deps);
    expect(res.status).toBe(200);
    expect(f.push.calls).toEqual([
      { op: 'join', target: CONSULTANT, group: GROUP },
      { op: 'toUser', target: CONSULTANT, event: { kind: 'conversation', conversationId: CONV } },
    ]);
  });

  it('a closed session tells its agent and takes them out of the conversation group; a session still open moves nobody', async () => {
    const f = setup();
    await handleStepWebhook('push-relay', sessionState(CONSULTANT, SessionState.Closed), f.deps);
    expect(f.push.calls).toEqual([
      { op: 'toUser', target: CONSULTANT, event: { kind: 'conversation', conversationId: CONV } },
      { op: 'leave', target: CONSULTANT, group: GROUP },
    ]);

    const open = setup();
    await handleStepWebhook('push-relay', sessionState(CONSULTANT, SessionState.WrapUp), open.deps);
    expect(open.push.calls).toEqual([]);
  });

  it("a change of an agent's presence or capacity is told to that agent and to every supervisor's desk", async () => {
    const f = setup();
    await handleStepWebhook('push-relay', statusChanged(AGENT), f.deps);
    expect(f.push.calls).toEqual([
      { op: 'toUser', target: AGENT, event: { kind: 'agent', agentId: AGENT } },
      { op: 'toGroup', target: 'supervisors', event: { kind: 'agent', agentId: AGENT } },
    ]);
  });

  it('a reply\'s delivery status moving is told to the agents of the conversation, with its number', async () => {
    const f = setup();
    const delivered = executionContext({
      message: 'Update', table: 'swb_message', id: MESSAGE, stage: 40, mode: 'async', userId: AGENT,
      target: { swb_deliverystatus: option(612400003) },
      postImages: { Image: { swb_conversationid: ref('swb_conversation', CONV), swb_sequence: 7 } },
    });
    await handleStepWebhook('push-relay', delivered, f.deps);
    expect(f.push.calls).toEqual([{ op: 'toGroup', target: GROUP, event: { kind: 'delivery', conversationId: CONV, sequence: 7 } }]);
  });

  it('a new conversation is told to the supervisors of its queue only: nobody is in its group yet', async () => {
    const f = setup();
    const created = executionContext({
      message: 'Create', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async', userId: AGENT,
      target: { swb_state: option(ConversationState.Waiting) },
      postImages: { Image: { swb_state: option(ConversationState.Waiting), swb_queueid: ref('queue', QUEUE), swb_channeltype: option(ChannelType.LiveChat), swb_primaryagentid: null } },
    });
    await handleStepWebhook('push-relay', created, f.deps);
    expect(f.push.calls).toEqual([{ op: 'toGroup', target: `q.${QUEUE}`, event: { kind: 'queue', queueId: QUEUE } }]);
  });

  const everyEvent = () => [
    message(MessageDirection.Outbound, Visibility.Public),
    message(MessageDirection.Outbound, Visibility.Internal),
    message(MessageDirection.Inbound, Visibility.Public),
    conversation({ primary: AGENT, channel: ChannelType.LiveChat }, { primary: RECEIVER, queue: QUEUE2, state: ConversationState.Closed }),
    sessionCreated(CONSULTANT),
    sessionState(CONSULTANT, SessionState.Closed),
    statusChanged(AGENT),
  ];

  it('without a push service does nothing and says so', async () => {
    const { deps, data, routingTrigger } = fakeDeps();
    for (const ctx of everyEvent()) {
      const res = await handleStepWebhook('push-relay', ctx, deps);
      expect(res).toEqual({ status: 200, body: { result: 'ok', note: 'push not configured' } });
    }
    expect(data.writes).toEqual([]);
    expect(routingTrigger.items).toEqual([]);
  });

  it('makes no Dataverse request at all: every fact it tells is in the event it was given', async () => {
    const f = setup();
    const touched: string[] = [];
    f.deps.data = new Proxy(f.data, {
      get(target, property, receiver) {
        touched.push(String(property));
        return Reflect.get(target, property, receiver) as unknown;
      },
    }) as DataversePort;
    for (const ctx of everyEvent()) expect((await handleStepWebhook('push-relay', ctx, f.deps)).status).toBe(200);
    expect(f.push.calls.length).toBeGreaterThan(0);
    expect(touched).toEqual([]);
    expect(f.data.writes).toEqual([]);
    expect(f.routingTrigger.items).toEqual([]);
  });
});
