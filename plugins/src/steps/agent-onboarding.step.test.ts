import { AgentConnectionState, BasePresence, metadata } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { associationContext } from '../testing/contexts';
import { fakeDeps } from '../testing/fakes';

const USER = '22222222-2222-4222-8222-222222222222';
const role = (name: string) => metadata.roles.find((r) => r.name === name)!.id.toLowerCase();
const profile = (name: string) => metadata.fieldSecurityProfiles.find((p) => p.name === name)!.id.toLowerCase();
const SALES_ROLE = '77777777-0000-4000-8000-000000000001';

const event = (message: 'Associate' | 'Disassociate', roleId: string, relationship = 'systemuserroles_association') =>
  associationContext({ message, relationship, target: ['systemuser', USER], related: [['role', roleId]] });

describe('agent onboarding step', () => {
  it('a user given the Agent role gets the Agent column-security profile and an Offline status row with the default capacity', async () => {
    const f = fakeDeps();
    f.data.userRoles.set(USER, [role('Switchboard Agent')]);
    const res = await handleStepWebhook('agent-onboarding', event('Associate', role('Switchboard Agent')), f.deps);
    expect(res.status).toBe(200);
    expect(f.data.userProfiles.get(USER)).toEqual([profile('Switchboard Agent')]);
    const status = (await f.data.getAgentStatus(USER))!.row;
    expect(status).toMatchObject({ swb_basepresence: BasePresence.Offline, swb_connectionstate: AgentConnectionState.SignedOut, swb_capacitymax: 3, _ownerid_value: USER });
  });

  it('a retried or repeated event changes nothing the second time', async () => {
    const f = fakeDeps();
    f.data.userRoles.set(USER, [role('Switchboard Agent')]);
    await handleStepWebhook('agent-onboarding', event('Associate', role('Switchboard Agent')), f.deps);
    const writes = f.data.writes.length;
    await handleStepWebhook('agent-onboarding', event('Associate', role('Switchboard Agent')), f.deps);
    expect(f.data.writes.length).toBe(writes);
  });

  it('a supervisor who is also an agent gets the wider Supervisor profile only', async () => {
    const f = fakeDeps();
    f.data.userRoles.set(USER, [role('Switchboard Agent'), role('Switchboard Supervisor')]);
    f.data.userProfiles.set(USER, [profile('Switchboard Agent')]);
    await handleStepWebhook('agent-onboarding', event('Associate', role('Switchboard Supervisor')), f.deps);
    expect(f.data.userProfiles.get(USER)).toEqual([profile('Switchboard Supervisor')]);
  });

  it('losing the last Switchboard role removes the profile and sets the agent Offline; other profiles are left alone', async () => {
    const f = fakeDeps();
    const other = '99999999-0000-4000-8000-000000000001';
    f.data.userRoles.set(USER, [role('Switchboard Agent')]);
    await handleStepWebhook('agent-onboarding', event('Associate', role('Switchboard Agent')), f.deps);
    const statusId = (await f.data.getAgentStatus(USER))!.row.swb_agentstatusid;
    f.data.touch(f.data.agentStatuses, statusId, { swb_basepresence: BasePresence.Available, swb_manualoverride: true });
    f.data.userProfiles.set(USER, [...f.data.userProfiles.get(USER)!, other]);
    f.data.userRoles.set(USER, [SALES_ROLE]);
    await handleStepWebhook('agent-onboarding', event('Disassociate', role('Switchboard Agent')), f.deps);
    expect(f.data.userProfiles.get(USER)).toEqual([other]);
    expect(f.data.agentStatuses.get(statusId)!.row).toMatchObject({ swb_basepresence: BasePresence.Offline, swb_manualoverride: false });
  });

  it('a role that is not Switchboard\'s, or another relationship, is left alone', async () => {
    const f = fakeDeps();
    f.data.userRoles.set(USER, [SALES_ROLE]);
    await handleStepWebhook('agent-onboarding', event('Associate', SALES_ROLE), f.deps);
    await handleStepWebhook('agent-onboarding', event('Associate', SALES_ROLE, 'queuemembership_association'), f.deps);
    expect(f.data.writes).toEqual([]);
  });
});
