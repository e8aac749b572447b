import { BasePresence, ConversationState, SupervisorAction, metadata } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { executionContext, option, ref } from '../testing/contexts';
import { TEST_CONFIG, fakeDeps } from '../testing/fakes';

const SUPERVISOR = '55555555-5555-4555-8555-555555555555';
const OTHER_SUPERVISOR = '66666666-6666-4666-8666-666666666666';
const AGENT = '22222222-2222-4222-8222-222222222222';
const COLLEAGUE = '33333333-3333-4333-8333-333333333333';
const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const QUEUE = '9a000000-0000-4000-8000-000000000001';
const QUEUE2 = '9a000000-0000-4000-8000-000000000002';
const AUDIT = 'ad000000-0000-4000-8000-000000000001';
const STATUS = 'a5000000-0000-4000-8000-000000000001';
const SUPERVISOR_ROLE = metadata.roles.find((r) => r.name === 'Switchboard Supervisor')!.id;
const AGENT_ROLE = metadata.roles.find((r) => r.name === 'Switchboard Agent')!.id;

function floor() {
  const f = fakeDeps();
  f.data.seed(f.data.conversations, CONV, { activityid: CONV, swb_state: ConversationState.Active, _swb_primaryagentid_value: SUPERVISOR, _swb_queueid_value: QUEUE });
  f.data.userRoles.set(SUPERVISOR, [SUPERVISOR_ROLE]);
  f.data.userQueues.set(SUPERVISOR, [QUEUE]);
  f.data.userRoles.set(OTHER_SUPERVISOR, [SUPERVISOR_ROLE]);
  f.data.userQueues.set(OTHER_SUPERVISOR, [QUEUE2]);
  f.data.userRoles.set(AGENT, [AGENT_ROLE]);
  f.data.userQueues.set(AGENT, [QUEUE]);
  f.data.userRoles.set(COLLEAGUE, [AGENT_ROLE]);
  f.data.userQueues.set(COLLEAGUE, [QUEUE]);
  return f;
}

const answer = async (ctx: Record<string, unknown>, deps: ReturnType<typeof fakeDeps>['deps']) => {
  const res = await handleStepWebhook('supervisor-guard', ctx, deps);
  return res.status === 200 ? 'allowed' : (res.body as { error: { code: string } }).error.code;
};

function monitor(by: string, target: Parameters<typeof executionContext>[0]['target']) {
  return executionContext({ message: 'Create', table: 'swb_supervisoraction', id: AUDIT, stage: 20, mode: 'sync', userId: by, target });
}
const monitorRow = (supervisor: string, extra: Parameters<typeof executionContext>[0]['target'] = {}) => ({
  swb_name: 'Monitor', swb_action: option(SupervisorAction.Monitor), swb_supervisorid: ref('systemuser', supervisor), swb_conversationid: ref('swb_conversation', CONV), ...extra,
});

describe('supervisor guard step', () => {
  it("a supervisor records monitoring a conversation of their queue in their own name, their own conversation included", async () => {
    const { deps } = floor();
    expect(await answer(monitor(SUPERVISOR, monitorRow(SUPERVISOR)), deps)).toBe('allowed');
    expect(await answer(monitor(SUPERVISOR, monitorRow(SUPERVISOR, { swb_queueid: ref('queue', QUEUE) })), deps)).toBe('allowed');
  });

  it('an agent, or a supervisor of another queue, cannot monitor it', async () => {
    const { deps } = floor();
    expect(await answer(monitor(AGENT, monitorRow(AGENT)), deps)).toBe('supervisor.notSupervisorOf');
    expect(await answer(monitor(OTHER_SUPERVISOR, monitorRow(OTHER_SUPERVISOR)), deps)).toBe('supervisor.notSupervisorOf');
  });

  it('a supervisor cannot write an audit row for someone else, another kind of action, or the details the app records', async () => {
    const { deps } = floor();
    expect(await answer(monitor(SUPERVISOR, monitorRow(OTHER_SUPERVISOR)), deps)).toBe('supervisor.auditOnlyMonitor');
    expect(await answer(monitor(SUPERVISOR, monitorRow(SUPERVISOR, { swb_action: option(SupervisorAction.Assign) })), deps)).toBe('supervisor.auditOnlyMonitor');
    expect(await answer(monitor(SUPERVISOR, monitorRow(SUPERVISOR, { swb_forced: true })), deps)).toBe('supervisor.auditOnlyMonitor');
    expect(await answer(monitor(SUPERVISOR, monitorRow(SUPERVISOR, { swb_agentid: ref('systemuser', AGENT) })), deps)).toBe('supervisor.auditOnlyMonitor');
    expect(await answer(monitor(SUPERVISOR, monitorRow(SUPERVISOR, { swb_queueid: ref('queue', QUEUE2) })), deps)).toBe('supervisor.auditOnlyMonitor');
    expect(await answer(monitor(TEST_CONFIG.trustedUserIds[0]!, monitorRow(SUPERVISOR, { swb_action: option(SupervisorAction.Assign) })), deps)).toBe('allowed');
  });

  const presence = (by: string, agent: string, target: Parameters<typeof executionContext>[0]['target']) =>
    executionContext({ message: 'Update', table: 'swb_agentstatus', id: STATUS, stage: 20, mode: 'sync', userId: by, target, preImages: { PreImage: { swb_agentid: ref('systemuser', agent) } } });

  it("an agent sets their own presence; a supervisor of one of their queues sets it or signs them out", async () => {
    const { deps } = floor();
    expect(await answer(presence(AGENT, AGENT, { swb_basepresence: option(BasePresence.Away) }), deps)).toBe('allowed');
    expect(await answer(presence(SUPERVISOR, AGENT, { swb_basepresence: option(BasePresence.Offline), swb_connectionstate: option(612400002) }), deps)).toBe('allowed');
  });

  it("a colleague, or a supervisor of another queue, cannot change an agent's presence", async () => {
    const { deps } = floor();
    expect(await answer(presence(COLLEAGUE, AGENT, { swb_basepresence: option(BasePresence.Away) }), deps)).toBe('presence.notYours');
    expect(await answer(presence(OTHER_SUPERVISOR, AGENT, { swb_basepresence: option(BasePresence.Away) }), deps)).toBe('presence.notYours');
    // A row that names no agent is nobody's to change but the app's.
    const noAgent = executionContext({ message: 'Update', table: 'swb_agentstatus', id: STATUS, stage: 20, mode: 'sync', userId: SUPERVISOR, target: { swb_basepresence: option(BasePresence.Away) }, preImages: { PreImage: { swb_agentid: null } } });
    expect(await answer(noAgent, deps)).toBe('presence.notYours');
  });
});
