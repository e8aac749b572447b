import { ConversationState, OfferResponse, Presence, SessionRole, SessionState } from '../../../shared/src';
import { InMemoryWebApi } from '../../../shared/src/testing';
import { AgentConnectionState, SupervisorAction, WaitOutcome } from '../logic/choices';
import { ongoingRows, queueFigures } from '../logic/floor';
import { FULL_EVERY, FloorSource, startOfToday } from './floor-source';

const ME = '11111111-1111-4111-8111-111111111111';
const ALICE = '22222222-2222-4222-8222-222222222222';
const WEB = 'aaaaaaaa-0000-4000-8000-000000000001';
const BILLING = 'aaaaaaaa-0000-4000-8000-000000000002';
const OTHER = 'aaaaaaaa-0000-4000-8000-000000000009';
const NOW = Date.parse('2026-11-24T10:00:00Z');

/** Sam supervises Web support and Billing; Alice works Web support; another queue exists that is not his. */
function floorApi(): InMemoryWebApi {
  const api = new InMemoryWebApi();
  api.put('systemuser', {
    systemuserid: ME,
    queuemembership_association: [
      { queueid: WEB, name: 'Web support', queuemembership_association: [{ systemuserid: ME, fullname: 'Sam Leroy' }, { systemuserid: ALICE, fullname: 'Alice Martin' }, { systemuserid: '33333333-3333-4333-8333-333333333333', fullname: 'Gone', isdisabled: true }] },
      { queueid: BILLING, name: 'Billing', queuemembership_association: [{ systemuserid: ME, fullname: 'Sam Leroy' }] },
    ],
  });
  api.put('swb_capacityprofile', { swb_capacityprofileid: '99999999-0000-4000-8000-000000000001', swb_name: 'Standard', swb_maxunits: 3 });
  api.put('swb_agentstatus', { _swb_agentid_value: ALICE, swb_basepresence: Presence.Available, swb_capacityused: 1, swb_capacitymax: 2 });
  api.put('swb_conversation', { activityid: 'cccccccc-0000-4000-8000-000000000001', swb_state: ConversationState.Waiting, _swb_queueid_value: WEB, swb_customername: 'Dana', swb_queuedon: '2026-11-24T09:59:00Z' });
  api.put('swb_conversation', { activityid: 'cccccccc-0000-4000-8000-000000000002', swb_state: ConversationState.Active, _swb_queueid_value: WEB, swb_customername: 'Camille', _swb_primaryagentid_value: ALICE });
  api.put('swb_conversation', { activityid: 'cccccccc-0000-4000-8000-000000000003', swb_state: ConversationState.Active, _swb_queueid_value: OTHER, _swb_primaryagentid_value: ALICE, swb_customername: 'Elsewhere' });
  api.put('swb_conversation', { activityid: 'cccccccc-0000-4000-8000-000000000004', swb_state: ConversationState.Closed, _swb_queueid_value: WEB, swb_customername: 'Done' });
  // Today's first waits in Web support, and one from yesterday that must not count.
  api.put('swb_conversation', { swb_state: ConversationState.Closed, _swb_queueid_value: WEB, swb_waitendedon: '2026-11-24T08:00:00Z', swb_waitoutcome: WaitOutcome.AnsweredWithin20s, swb_waitseconds: 8 });
  api.put('swb_conversation', { swb_state: ConversationState.Closed, _swb_queueid_value: WEB, swb_waitendedon: '2026-11-24T08:10:00Z', swb_waitoutcome: WaitOutcome.Abandoned, swb_waitseconds: 40 });
  api.put('swb_conversation', { swb_state: ConversationState.Closed, _swb_queueid_value: WEB, swb_waitendedon: '2026-11-23T23:59:00Z', swb_waitoutcome: WaitOutcome.AnsweredLater, swb_waitseconds: 99 });
  api.put('swb_session', { _swb_conversationid_value: 'cccccccc-0000-4000-8000-000000000002', _swb_agentid_value: ME, swb_role: SessionRole.Consult, swb_state: SessionState.Active });
  api.put('swb_offer', { _swb_conversationid_value: 'cccccccc-0000-4000-8000-000000000001', _swb_agentid_value: ALICE, swb_response: OfferResponse.Pending });
  return api;
}

beforeEach(() => {
  jest.useFakeTimers();
  jest.setSystemTime(NOW);
});
afterEach(() => jest.useRealTimers());

describe('FloorSource', () => {
  it('the first refresh reads the roster and every ongoing conversation of my queues: eight requests', async () => {
    const api = floorApi();
    const source = new FloorSource(api, ME, () => NOW);
    const { floor, requests, full } = await source.refresh();
    expect([full, requests]).toEqual([true, 8]);
    expect(floor.queues.map((q) => [q.name, q.members.length])).toEqual([['Billing', 1], ['Web support', 2]]);
    expect(ongoingRows(floor).map((r) => [r.customer, r.state, r.agentName, r.consultants])).toEqual([
      ['Dana', 'waiting', '', []],
      ['Camille', 'active', 'Alice Martin', ['Sam Leroy']],
    ]);
    expect(floor.held.get(ALICE)).toBe(2);
    expect(floor.offers.get(ALICE)).toBe(1);
    // The same grouped read says whom the waiting conversation is offered to.
    expect(ongoingRows(floor).find((r) => r.customer === 'Dana')?.offeredToName).toBe('Alice Martin');
    const web = queueFigures(floor, ongoingRows(floor)).find((q) => q.name === 'Web support')!;
    expect(web).toMatchObject({ waiting: 1, answered: 1, abandoned: 1, averageSpeedToAnswerMs: 8000, serviceLevel20s: 1, abandonRate: 0.5, agentsAvailable: 1 });
  });

  it('later refreshes read only what changed: six requests, a closed conversation leaves, a new one and a transfer in arrive', async () => {
    const api = floorApi();
    const source = new FloorSource(api, ME, () => NOW);
    await source.refresh();
    jest.setSystemTime(NOW + 60_000);
    await api.updateRecord('swb_conversation', 'cccccccc-0000-4000-8000-000000000001', { swb_state: ConversationState.Closed });
    await api.updateRecord('swb_conversation', 'cccccccc-0000-4000-8000-000000000003', { '_swb_queueid_value': BILLING });
    api.put('swb_conversation', { activityid: 'cccccccc-0000-4000-8000-000000000005', swb_state: ConversationState.Waiting, _swb_queueid_value: BILLING, swb_customername: 'New', createdon: new Date(NOW + 60_000).toISOString() });
    api.calls.length = 0;
    const { floor, requests, full } = await source.refresh();
    expect([full, requests]).toEqual([false, 6]);
    expect(ongoingRows(floor).map((r) => r.customer).sort()).toEqual(['Camille', 'Elsewhere', 'New']);
    const conversationQuery = api.calls.find((c) => c.table === 'swb_conversation' && !c.options?.includes('$apply'))!;
    // From the newest change the first refresh saw (10:00:00), less the overlap.
    expect(conversationQuery.options).toContain('$filter=modifiedon ge 2026-11-24T09:59:50.000Z');
  });

  it('once a delta has run past the overlap after the newest change, a quiet floor asks only for later changes', async () => {
    const api = floorApi();
    let clock = NOW;
    const source = new FloorSource(api, ME, () => clock);
    await source.refresh();
    const deltaOf = () => api.calls.filter((c) => c.table === 'swb_conversation' && !c.options?.includes('$apply')).at(-1)!.options;
    clock = NOW + 15_000;
    await source.refresh();
    expect(deltaOf()).toContain('$filter=modifiedon ge 2026-11-24T09:59:50.000Z');
    clock = NOW + 30_000;
    await source.refresh();
    expect(deltaOf()).toContain('$filter=modifiedon gt 2026-11-24T10:00:00.000Z');
    // A newer change moves the watermark, and the overlap applies again from it.
    jest.setSystemTime(NOW + 40_000);
    await api.updateRecord('swb_conversation', 'cccccccc-0000-4000-8000-000000000002', { swb_customername: 'Camille B.' });
    clock = NOW + 45_000;
    const { floor } = await source.refresh();
    expect(ongoingRows(floor).map((r) => r.customer)).toContain('Camille B.');
    clock = NOW + 60_000;
    await source.refresh();
    expect(deltaOf()).toContain('$filter=modifiedon ge 2026-11-24T10:00:30.000Z');
  });

  it('a consult that ends and an agent whose presence changes are picked up by the delta', async () => {
    const api = floorApi();
    const source = new FloorSource(api, ME, () => NOW);
    await source.refresh();
    jest.setSystemTime(NOW + 30_000);
    const session = api.rows('swb_session')[0]!;
    await api.updateRecord('swb_session', String(session['activityid']), { swb_state: SessionState.Closed });
    const status = api.rows('swb_agentstatus')[0]!;
    await api.updateRecord('swb_agentstatus', String(status['swb_agentstatusid']), { swb_basepresence: Presence.Away });
    const { floor } = await source.refresh();
    expect(floor.consults.size).toBe(0);
    expect(floor.statuses.get(ALICE)?.swb_basepresence).toBe(Presence.Away);
  });

  it(`every ${FULL_EVERY}th refresh reads everything again (rows deleted leave no trace in a delta)`, async () => {
    const api = floorApi();
    const source = new FloorSource(api, ME, () => NOW);
    await source.refresh();
    await api.deleteRecord('swb_conversation', 'cccccccc-0000-4000-8000-000000000001');
    for (let i = 1; i < FULL_EVERY; i++) expect(ongoingRows((await source.refresh()).floor).map((r) => r.customer)).toContain('Dana');
    const again = await source.refresh();
    expect(again.full).toBe(true);
    expect(ongoingRows(again.floor).map((r) => r.customer)).toEqual(['Camille']);
  });

  it("counts today from midnight in the supervisor's time zone", () => {
    // 00:30 in Paris (UTC+1) is still yesterday in UTC.
    expect(startOfToday(Date.parse('2026-11-23T23:30:00Z'), 60).toISOString()).toBe('2026-11-23T23:00:00.000Z');
    expect(startOfToday(Date.parse('2026-11-24T10:00:00Z'), -300).toISOString()).toBe('2026-11-24T05:00:00.000Z');
  });

  it('an aggregate Dataverse refuses leaves its figure as it was and says so, the rest refreshes', async () => {
    const api = floorApi();
    const source = new FloorSource(api, ME, () => NOW);
    await source.refresh();
    const original = api.retrieveMultipleRecords.bind(api);
    api.retrieveMultipleRecords = async (table, options, size) => {
      if (options?.includes('swb_waitoutcome')) throw Object.assign(new Error('AggregateQueryRecordLimit exceeded'), { status: 400 });
      return original(table, options, size);
    };
    const { floor, partial } = await source.refresh();
    expect(partial).toEqual(['today']);
    expect(floor.today.length).toBeGreaterThan(0);
  });

  it('only a supervisor may use the desk: Dataverse refusing the audit trail says so', async () => {
    const api = floorApi();
    api.failNext('retrieveMultiple', Object.assign(new Error('no privilege'), { status: 403 }));
    expect(await new FloorSource(api, ME).allowed()).toBe(false);
    expect(await new FloorSource(floorApi(), ME).allowed()).toBe(true);
  });

  it('each action is one row write: monitor records, join consults, assign and transfer carry the over-capacity flag, close, presence, sign-out', async () => {
    const api = floorApi();
    const source = new FloorSource(api, ME, () => NOW);
    const C = 'cccccccc-0000-4000-8000-000000000001';
    await source.monitor(C, WEB, 'Monitor: Dana');
    await source.join(C);
    await source.assign(C, ALICE, true);
    await source.transferToAgent(C, ALICE, false);
    await source.transferToQueue(C, BILLING);
    await source.forceClose(C);
    const status = String(api.rows('swb_agentstatus')[0]!['swb_agentstatusid']);
    await source.setPresence(status, Presence.Away);
    await source.signOut(status);
    const writes = api.calls.filter((c) => c.op === 'create' || c.op === 'update').map((c) => [c.op, c.table, c.data]);
    expect(writes).toEqual([
      ['create', 'swb_supervisoraction', { swb_name: 'Monitor: Dana', swb_action: SupervisorAction.Monitor, 'swb_supervisorid@odata.bind': `/systemusers(${ME})`, 'swb_conversationid@odata.bind': `/swb_conversations(${C})`, 'swb_queueid@odata.bind': `/queues(${WEB})` }],
      ['create', 'swb_session', { subject: 'Supervisor', 'swb_conversationid@odata.bind': `/swb_conversations(${C})`, 'swb_agentid@odata.bind': `/systemusers(${ME})`, swb_role: SessionRole.Consult, swb_state: SessionState.Active }],
      ['update', 'swb_conversation', { swb_state: ConversationState.Active, 'swb_primaryagentid@odata.bind': `/systemusers(${ALICE})`, swb_forcedassignment: true }],
      ['update', 'swb_conversation', { 'swb_primaryagentid@odata.bind': `/systemusers(${ALICE})`, swb_forcedassignment: false }],
      ['update', 'swb_conversation', { 'swb_queueid@odata.bind': `/queues(${BILLING})`, swb_state: ConversationState.Open }],
      ['update', 'swb_conversation', { swb_state: ConversationState.Closed }],
      ['update', 'swb_agentstatus', { swb_basepresence: Presence.Away, swb_manualoverride: true, swb_overridesetton: new Date(NOW).toISOString() }],
      ['update', 'swb_agentstatus', { swb_basepresence: Presence.Offline, swb_connectionstate: AgentConnectionState.SignedOut, swb_manualoverride: false }],
    ]);
  });
});
