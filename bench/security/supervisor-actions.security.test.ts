// The supervisor's actions — monitor, join, assign, transfer, force-close, set an agent's
// presence, sign them out — are row writes, so Dataverse is what allows or refuses them, not the
// desk: here each one is sent straight to the Web API (dynamics-web-api, not the control) as an
// agent, as an administrator (who holds organization-wide write privileges but is no
// supervisor), as a supervisor of another queue, and as a supervisor of the conversation's queue.
// Only the last one succeeds, and what they did is in the audit trail, written by the app.
import type { DynamicsWebApi } from 'dynamics-web-api';
import { AgentConnectionState, AuthorKind, BasePresence, ChannelType, ConversationState, SessionRole, SessionState, SupervisorAction, Visibility, metadata } from '@switchboard/solution';
import { startGuardedDataverse, type GuardedDataverse } from './guarded-dataverse';

let dv: GuardedDataverse;
let queue: string;
let otherQueue: string;
/** Olga holds the active conversations; Tom is a second agent of the queue with room for one. */
let olga: string;
let tom: string;
let tomStatus: string;
let outsider: string;

const role = (name: string) => metadata.roles.find((r) => r.name === name)!.id;
const profile = (name: string) => metadata.fieldSecurityProfiles.find((p) => p.name === name)!.id;

async function member(queueId: string, userId: string): Promise<void> {
  await dv.app.associate({ collection: 'queues', primaryKey: queueId, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: userId });
}

beforeAll(async () => {
  dv = await startGuardedDataverse();
  queue = (await dv.app.create({ collection: 'queues', data: { name: 'Web support' } })) as string;
  otherQueue = (await dv.app.create({ collection: 'queues', data: { name: 'Billing' } })) as string;
  const agent = (fullname: string, domainname: string) => dv.emulator.seedUser({ fullname, domainname, roles: [role('Switchboard Agent')], fieldSecurityProfiles: [profile('Switchboard Agent')] });
  olga = agent('Olga Other', 'olga@contoso.test');
  tom = agent('Tom Third', 'tom@contoso.test');
  outsider = dv.emulator.seedUser({ fullname: 'Oscar Outside', domainname: 'oscar@contoso.test', roles: [role('Switchboard Supervisor')], fieldSecurityProfiles: [profile('Switchboard Supervisor')] });
  // The supervisor supervises the queue by being its member; so are the agents who work it (the
  // test's agent included: an agent of the very queue is refused too). Oscar supervises Billing only.
  for (const u of [dv.userId('supervisor'), dv.userId('agent'), dv.userId('administrator'), olga, tom]) await member(queue, u);
  await member(otherQueue, outsider);
  tomStatus = (await dv.app.create({
    collection: 'swb_agentstatuses',
    data: {
      swb_name: 'Tom', 'swb_agentid@odata.bind': `/systemusers(${tom})`, 'ownerid@odata.bind': `/systemusers(${tom})`,
      swb_basepresence: BasePresence.Available, swb_connectionstate: AgentConnectionState.Connected, swb_capacitymax: 1, swb_capacityused: 0,
    },
  })) as string;
}, 60_000);
afterAll(() => dv.stop());

const settle = async () => {
  for (let i = 0; i < 200 && dv.emulator.plugins.pending().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
};

async function refused(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; message?: string };
    if (typeof err.status !== 'number') throw e;
    return { status: err.status, message: err.message ?? '' };
  }
  throw new Error('expected Dataverse to refuse the write');
}

async function conversation(state: ConversationState): Promise<string> {
  const active = state !== ConversationState.Waiting;
  return (await dv.app.create({
    collection: 'swb_conversations',
    data: {
      subject: 'Chat', swb_channeltype: ChannelType.LiveChat, swb_state: state, 'swb_queueid@odata.bind': `/queues(${queue})`,
      ...(active ? { 'swb_primaryagentid@odata.bind': `/systemusers(${olga})`, 'ownerid@odata.bind': `/systemusers(${olga})` } : {}),
    },
  })) as string;
}

interface Stored { swb_state: number; _swb_primaryagentid_value: string | null; _swb_queueid_value: string | null; _ownerid_value: string }
const stored = async (id: string): Promise<Stored> => {
  const row = await dv.app.retrieve<Stored>({ collection: 'swb_conversations', key: id, select: ['swb_state', '_swb_primaryagentid_value', '_swb_queueid_value', '_ownerid_value'] });
  return { swb_state: row.swb_state, _swb_primaryagentid_value: row._swb_primaryagentid_value, _swb_queueid_value: row._swb_queueid_value, _ownerid_value: row._ownerid_value };
};
const audits = async (filter: string) =>
  (await dv.app.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_supervisoractions', select: ['swb_action', 'swb_name', '_swb_supervisorid_value', '_swb_agentid_value', 'swb_forced', 'swb_occurredon'], filter })).value;
const status = () => dv.app.retrieve<{ swb_basepresence: number; swb_connectionstate: number }>({ collection: 'swb_agentstatuses', key: tomStatus, select: ['swb_basepresence', 'swb_connectionstate'] });

/** Each action as the Web API call the desk makes, by whoever `api` signs in as. */
const actions = (api: DynamicsWebApi, me: string) => ({
  monitor: (conv: string) => api.create({ collection: 'swb_supervisoractions', data: { swb_name: 'Monitor', swb_action: SupervisorAction.Monitor, 'swb_supervisorid@odata.bind': `/systemusers(${me})`, 'swb_conversationid@odata.bind': `/swb_conversations(${conv})` } }),
  join: (conv: string) => api.create({ collection: 'swb_sessions', data: { subject: 'Join', 'swb_conversationid@odata.bind': `/swb_conversations(${conv})`, 'swb_agentid@odata.bind': `/systemusers(${me})`, swb_role: SessionRole.Consult, swb_state: SessionState.Active } }),
  assign: (conv: string, agent: string, forced = false) => api.update({ collection: 'swb_conversations', key: conv, data: { swb_state: ConversationState.Active, 'swb_primaryagentid@odata.bind': `/systemusers(${agent})`, swb_forcedassignment: forced } }),
  transferToAgent: (conv: string, agent: string) => api.update({ collection: 'swb_conversations', key: conv, data: { 'swb_primaryagentid@odata.bind': `/systemusers(${agent})`, swb_forcedassignment: false } }),
  transferToQueue: (conv: string, to: string) => api.update({ collection: 'swb_conversations', key: conv, data: { 'swb_queueid@odata.bind': `/queues(${to})`, swb_state: ConversationState.Open } }),
  forceClose: (conv: string) => api.update({ collection: 'swb_conversations', key: conv, data: { swb_state: ConversationState.Closed } }),
  setPresence: () => api.update({ collection: 'swb_agentstatuses', key: tomStatus, data: { swb_basepresence: BasePresence.Away, swb_manualoverride: true } }),
  signOut: () => api.update({ collection: 'swb_agentstatuses', key: tomStatus, data: { swb_basepresence: BasePresence.Offline, swb_connectionstate: AgentConnectionState.SignedOut, swb_manualoverride: false } }),
});

describe.each([
  ['an agent of the queue (no Supervisor role)', 'agent'],
  ['an administrator (organization-wide write privileges, no Supervisor role)', 'administrator'],
  ['a supervisor of another queue', 'outsider'],
] as const)('%s', (_label, who) => {
  const api = () => (who === 'outsider' ? dv.asUser('oscar@contoso.test') : dv.as(who));
  const me = () => (who === 'outsider' ? outsider : dv.userId(who));

  test('is refused every supervisor action by Dataverse, and nothing changes or is recorded', async () => {
    const a = actions(api(), me());
    const waiting = await conversation(ConversationState.Waiting);
    const active = await conversation(ConversationState.Active);
    await settle();
    const before = { waiting: await stored(waiting), active: await stored(active), status: await status() };
    const attempts: [string, Promise<unknown>][] = [
      ['monitor', a.monitor(active)],
      ['join', a.join(active)],
      ['assign', a.assign(waiting, tom)],
      ['assign over capacity', a.assign(waiting, tom, true)],
      ['transfer to an agent', a.transferToAgent(active, tom)],
      ['transfer to a queue', a.transferToQueue(active, otherQueue)],
      ['force-close a waiting conversation', a.forceClose(waiting)],
      ['force-close an active conversation', a.forceClose(active)],
      ['set presence', a.setPresence()],
      ['sign out', a.signOut()],
    ];
    for (const [name, attempt] of attempts) {
      const r = await refused(attempt);
      // A refusal Dataverse shows the user: a privilege (403) or a step (400 with its message), never a fault.
      expect([name, r.status >= 400 && r.status < 500]).toEqual([name, true]);
    }
    await settle();
    expect({ waiting: await stored(waiting), active: await stored(active), status: await status() }).toEqual(before);
    expect(await audits(`_swb_supervisorid_value eq ${me()}`)).toEqual([]);
    const sessions = await dv.app.retrieveMultiple({ collection: 'swb_sessions', filter: `_swb_agentid_value eq ${me()}` });
    expect(sessions.value).toEqual([]);
  });
});

test("the refusal tells a supervisor of another queue why, in words", async () => {
  const a = actions(dv.asUser('oscar@contoso.test'), outsider);
  const active = await conversation(ConversationState.Active);
  expect((await refused(a.monitor(active))).message).toBe("Only a supervisor of this conversation's queue can do that.");
  expect((await refused(a.setPresence())).message).toBe('Only the agent, or a supervisor of one of their queues, can change their presence.');
});

describe('a supervisor of the queue', () => {
  const sup = () => actions(dv.as('supervisor'), dv.userId('supervisor'));

  test('monitors silently: their Monitor row is the only trace, nothing in the transcript', async () => {
    const active = await conversation(ConversationState.Active);
    await sup().monitor(active);
    await settle();
    expect(await audits(`_swb_conversationid_value eq ${active}`)).toEqual([expect.objectContaining({ swb_action: SupervisorAction.Monitor, _swb_supervisorid_value: dv.userId('supervisor') })]);
    expect((await dv.app.retrieveMultiple({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${active}` })).value).toEqual([]);
  });

  test('joins as a consultant; the agents read an internal note saying so', async () => {
    const active = await conversation(ConversationState.Active);
    await sup().join(active);
    await settle();
    expect(await audits(`_swb_conversationid_value eq ${active}`)).toEqual([expect.objectContaining({ swb_action: SupervisorAction.Join })]);
    const notes = (await dv.app.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_messages', select: ['swb_body', 'swb_visibility', 'swb_authorkind', 'swb_sequence'], filter: `_swb_conversationid_value eq ${active}` })).value;
    expect(notes).toEqual([expect.objectContaining({ swb_body: 'Supervisor User (supervisor) joined the conversation.', swb_visibility: Visibility.Internal, swb_authorkind: AuthorKind.System, swb_sequence: 1 })]);
  });

  test("assigns a waiting conversation within the agent's capacity; over it only when forced, and recorded as forced", async () => {
    const first = await conversation(ConversationState.Waiting);
    await sup().assign(first, tom);
    await settle();
    expect(await stored(first)).toMatchObject({ swb_state: ConversationState.Active, _swb_primaryagentid_value: tom, _ownerid_value: tom });
    // Tom's capacity (1) is now used by the first: the second is refused until forced.
    const second = await conversation(ConversationState.Waiting);
    const full = await refused(sup().assign(second, tom));
    expect(full.message).toBe('Tom Third has no capacity left for this conversation. Assign it anyway to go over their capacity.');
    expect((await stored(second)).swb_state).toBe(ConversationState.Waiting);
    await sup().assign(second, tom, true);
    await settle();
    expect(await audits(`_swb_conversationid_value eq ${second}`)).toEqual([expect.objectContaining({ swb_action: SupervisorAction.Assign, swb_forced: true, _swb_agentid_value: tom })]);
    for (const c of [first, second]) await dv.app.update({ collection: 'swb_conversations', key: c, data: { swb_state: ConversationState.Closed } });
    await settle();
  });

  test('transfers to an agent of the queue or to a queue, and force-closes; each recorded by the app', async () => {
    const active = await conversation(ConversationState.Active);
    await sup().transferToAgent(active, tom);
    await settle();
    expect(await stored(active)).toMatchObject({ _swb_primaryagentid_value: tom, _ownerid_value: tom });
    await sup().transferToQueue(active, otherQueue);
    await settle();
    expect(await stored(active)).toMatchObject({ swb_state: ConversationState.Open, _swb_queueid_value: otherQueue });
    const other = await conversation(ConversationState.Active);
    await sup().forceClose(other);
    await settle();
    expect((await stored(other)).swb_state).toBe(ConversationState.Closed);
    const recorded = [...(await audits(`_swb_conversationid_value eq ${active}`)), ...(await audits(`_swb_conversationid_value eq ${other}`))];
    expect(recorded.map((r) => r['swb_action']).sort()).toEqual([SupervisorAction.Transfer, SupervisorAction.Transfer, SupervisorAction.ForceClose].sort());
    // The operation's time, stamped by the app (the column is secured: no person writes it).
    expect(recorded.filter((r) => r['swb_occurredon'] == null)).toEqual([]);
  });

  test("sets an agent's presence and signs them out", async () => {
    await sup().setPresence();
    await sup().signOut();
    await settle();
    expect(await status()).toMatchObject({ swb_basepresence: BasePresence.Offline, swb_connectionstate: AgentConnectionState.SignedOut });
    const recorded = await audits(`_swb_agentid_value eq ${tom} and (swb_action eq ${SupervisorAction.SetPresence} or swb_action eq ${SupervisorAction.SignOut})`);
    expect(recorded.map((r) => r['swb_action']).sort()).toEqual([SupervisorAction.SetPresence, SupervisorAction.SignOut]);
  });

  test('cannot write an audit row of another kind or in someone else\'s name', async () => {
    const active = await conversation(ConversationState.Active);
    const api = dv.as('supervisor');
    const forged = await refused(api.create({ collection: 'swb_supervisoractions', data: { swb_name: 'x', swb_action: SupervisorAction.ForceClose, 'swb_supervisorid@odata.bind': `/systemusers(${dv.userId('supervisor')})`, 'swb_conversationid@odata.bind': `/swb_conversations(${active})` } }));
    expect(forged.message).toMatch(/Supervisors record only that they monitor a conversation/);
    await refused(api.create({ collection: 'swb_supervisoractions', data: { swb_name: 'x', swb_action: SupervisorAction.Monitor, 'swb_supervisorid@odata.bind': `/systemusers(${outsider})`, 'swb_conversationid@odata.bind': `/swb_conversations(${active})` } }));
  });
});

test('no plugin step answered with a server error', async () => {
  await settle();
  expect(dv.webhookCalls.filter((c) => c.status >= 500)).toEqual([]);
});
