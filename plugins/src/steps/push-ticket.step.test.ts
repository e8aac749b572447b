import { AgentConnectionState, BasePresence, SessionRole, SessionState, metadata, type AgentStatusRow } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { executionContext, ref } from '../testing/contexts';
import { RecordingPush, TEST_PUSH_URL, fakeDeps } from '../testing/fakes';
import { TICKET_MINUTES } from './push-ticket.step';

const AGENT = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';
const SUPERVISOR = '55555555-5555-4555-8555-555555555555';
const TICKET = 'd0000000-0000-4000-8000-000000000001';
const PRIMARY_CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const CONSULT_CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3302';
const CLOSED_CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3303';
const OTHERS_CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3304';
const QUEUE = '9a000000-0000-4000-8000-000000000001';
const QUEUE2 = '9a000000-0000-4000-8000-000000000002';
const STATUS = '5c000000-0000-4000-8000-000000000001';
const NOW = Date.parse('2026-11-24T10:00:05Z');

const SUPERVISOR_ROLE = metadata.roles.find((r) => r.name === 'Switchboard Supervisor')!.id;
const AGENT_ROLE = metadata.roles.find((r) => r.name === 'Switchboard Agent')!.id;

function setup(options: { push?: RecordingPush | null } = {}) {
  const push = options.push === undefined ? new RecordingPush() : options.push;
  const f = fakeDeps(NOW, push ? { push } : {});
  f.data.seed(f.data.rows, `swb_pushticket:${TICKET}`, {});
  let n = 0;
  const session = (conversationId: string, agentId: string, role: SessionRole, state: SessionState) => {
    const id = `b0000000-0000-4000-8000-00000000000${++n}`;
    f.data.seed(f.data.sessions, id, { activityid: id, _swb_conversationid_value: conversationId, _swb_agentid_value: agentId, swb_role: role, swb_state: state });
  };
  session(PRIMARY_CONV, AGENT, SessionRole.Primary, SessionState.Active);
  session(CONSULT_CONV, AGENT, SessionRole.Consult, SessionState.WrapUp);
  session(CLOSED_CONV, AGENT, SessionRole.Primary, SessionState.Closed);
  session(OTHERS_CONV, OTHER, SessionRole.Primary, SessionState.Active);
  return { ...f, push };
}

/** The control's Create of a ticket, as the signed-in user; Dataverse sets the owner to them. */
const ticket = (by: string, owner: string = by) =>
  executionContext({ message: 'Create', table: 'swb_pushticket', id: TICKET, stage: 40, mode: 'async', userId: by, target: { ownerid: ref('systemuser', owner) } });

const answered = (f: ReturnType<typeof setup>) => f.data.rows.get(`swb_pushticket:${TICKET}`)!.row;

function status(f: ReturnType<typeof setup>, agentId: string, row: Partial<AgentStatusRow>) {
  f.data.seed(f.data.agentStatuses, STATUS, {
    swb_agentstatusid: STATUS, _swb_agentid_value: agentId, swb_basepresence: BasePresence.Available, swb_manualoverride: false,
    swb_connectionstate: AgentConnectionState.Connected, swb_capacityused: 0, swb_capacitymax: 3, ...row,
  });
}

describe('push ticket step', () => {
  it('answers with an address for the user who asked, in the groups of the conversations they take part in, open sessions only', async () => {
    const f = setup();
    const res = await handleStepWebhook('push-ticket', ticket(AGENT), f.deps);
    expect(res.status).toBe(200);
    expect(f.push!.of('clientUrl')).toEqual([{ op: 'clientUrl', target: AGENT, groups: [`c.${PRIMARY_CONV}`, `c.${CONSULT_CONV}`], minutes: TICKET_MINUTES }]);
    expect(TICKET_MINUTES).toBe(60);
    expect(answered(f)).toEqual({ swb_url: TEST_PUSH_URL, swb_expireson: '2026-11-24T11:00:05.000Z' });
    // The answer is the one write.
    expect(f.data.writes.map((w) => ({ table: w.table, patch: w.patch }))).toEqual([{ table: 'swb_pushticket', patch: { swb_url: TEST_PUSH_URL, swb_expireson: '2026-11-24T11:00:05.000Z' } }]);
  });

  it('is made out to the initiating user in lower case, whatever case Dataverse sends the id in', async () => {
    const f = setup();
    await handleStepWebhook('push-ticket', ticket(AGENT.toUpperCase()), f.deps);
    expect(f.push!.of('clientUrl')).toEqual([expect.objectContaining({ target: AGENT, groups: [`c.${PRIMARY_CONV}`, `c.${CONSULT_CONV}`] })]);
    expect(answered(f)).toMatchObject({ swb_url: TEST_PUSH_URL });
  });

  it('puts a supervisor in the groups of the queues they are a member of, and of all supervisors (agents\' presence), as well', async () => {
    const f = setup();
    f.data.userRoles.set(SUPERVISOR, [SUPERVISOR_ROLE.toUpperCase()]);
    f.data.userQueues.set(SUPERVISOR, [QUEUE, QUEUE2.toUpperCase()]);
    f.data.seed(f.data.sessions, 'b0000000-0000-4000-8000-000000000009', {
      activityid: 'b0000000-0000-4000-8000-000000000009', _swb_conversationid_value: PRIMARY_CONV, _swb_agentid_value: SUPERVISOR, swb_role: SessionRole.Consult, swb_state: SessionState.Active,
    });
    await handleStepWebhook('push-ticket', ticket(SUPERVISOR), f.deps);
    expect(f.push!.of('clientUrl')).toEqual([{ op: 'clientUrl', target: SUPERVISOR, groups: [`c.${PRIMARY_CONV}`, `q.${QUEUE}`, `q.${QUEUE2}`, 'supervisors'], minutes: TICKET_MINUTES }]);
  });

  it('gives an agent without the Supervisor role no queue group, whatever queues they are a member of', async () => {
    const f = setup();
    f.data.userRoles.set(AGENT, [AGENT_ROLE]);
    f.data.userQueues.set(AGENT, [QUEUE, QUEUE2]);
    await handleStepWebhook('push-ticket', ticket(AGENT), f.deps);
    expect(f.push!.of('clientUrl')[0]!.groups).toEqual([`c.${PRIMARY_CONV}`, `c.${CONSULT_CONV}`]);
  });

  it("refuses a ticket owned by someone else than its creator: no address for anyone, and the owner's presence untouched", async () => {
    const f = setup();
    status(f, OTHER, { swb_connectionstate: AgentConnectionState.Disconnected, swb_basepresence: BasePresence.Offline });
    const res = await handleStepWebhook('push-ticket', ticket(AGENT, OTHER), f.deps);
    expect(res.status).toBe(200);
    expect(answered(f)).toEqual({ swb_error: 'not-the-owner' });
    expect(f.push!.calls).toEqual([]);
    expect(f.data.writes.map((w) => w.table)).toEqual(['swb_pushticket']);
    expect(f.routingTrigger.items).toEqual([]);
  });

  it('answers push-not-configured when the deployment has no push service', async () => {
    const f = setup({ push: null });
    await handleStepWebhook('push-ticket', ticket(AGENT), f.deps);
    expect(answered(f)).toEqual({ swb_error: 'push-not-configured' });
  });

  it('answers push-not-configured when the push service gives no address', async () => {
    const push = new RecordingPush();
    push.url = null;
    const f = setup({ push });
    await handleStepWebhook('push-ticket', ticket(AGENT), f.deps);
    expect(push.of('clientUrl')).toHaveLength(1);
    expect(answered(f)).toEqual({ swb_error: 'push-not-configured' });
  });

  it('brings back an agent whose connection was lost: asking for a ticket is connecting again', async () => {
    const f = setup();
    status(f, AGENT, {
      swb_connectionstate: AgentConnectionState.Disconnected, swb_disconnectedon: '2026-11-24T09:50:00.000Z', swb_basepresence: BasePresence.Offline,
      swb_capacityused: 1, swb_capacitymax: 3,
    });
    await handleStepWebhook('push-ticket', ticket(AGENT), f.deps);
    expect(answered(f)).toMatchObject({ swb_url: TEST_PUSH_URL });
    expect(f.data.agentStatuses.get(STATUS)!.row).toMatchObject({
      swb_connectionstate: AgentConnectionState.Connected, swb_disconnectedon: null, swb_basepresence: BasePresence.Busy, swb_manualoverride: false,
      swb_presencesince: '2026-11-24T10:00:05.000Z',
    });
    expect(f.routingTrigger.items.map((i) => i.work)).toEqual([expect.objectContaining({ kind: 'route-agent', agentId: AGENT })]);
  });

  it("leaves a connected agent's status alone", async () => {
    const f = setup();
    status(f, AGENT, { swb_basepresence: BasePresence.Away, swb_manualoverride: true });
    await handleStepWebhook('push-ticket', ticket(AGENT), f.deps);
    expect(answered(f)).toMatchObject({ swb_url: TEST_PUSH_URL });
    expect(f.data.writes.filter((w) => w.table === 'swb_agentstatus')).toEqual([]);
    expect(f.routingTrigger.items).toEqual([]);
  });

  it('a ticket its creator deleted before the answer (they stopped waiting) is done with, not retried', async () => {
    const f = setup();
    f.data.rows.delete(`swb_pushticket:${TICKET}`);
    const res = await handleStepWebhook('push-ticket', ticket(AGENT), f.deps);
    expect(res.status).toBe(200);
    expect(f.data.writes).toEqual([]);
  });
});
