// Onboarding is one step for an admin: giving a user a Switchboard security role. This step does
// the rest when Dataverse associates (or removes) the role: the matching column-security profile
// (without it an agent reads their own capacity as empty), and an agent status row so routing
// can see them — created Offline, so nobody is offered work before they open the workspace and
// choose to be available. When the last Switchboard role goes, so do the profiles, and the
// status row is set Offline (kept: history and reports point at it).
//
// Associate/Disassociate of systemuserroles_association, post-operation, async: the admin's
// save does not wait, and Dataverse's async service retries a failure. Idempotent: it compares
// what the user should have with what they have, so a retry or a duplicate event changes nothing.
import { AgentConnectionState, BasePresence, metadata } from '@switchboard/solution';
import type { StepContext } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult, StepTrigger } from '../step';
import { ok } from '../step';

const RELATIONSHIP = 'systemuserroles_association';

/** Switchboard roles by precedence: a user with several gets the widest profile. */
const LADDER = ['Switchboard Administrator', 'Switchboard Supervisor', 'Switchboard Agent'].map((name) => {
  const role = metadata.roles.find((r) => r.name === name);
  const profile = metadata.fieldSecurityProfiles.find((p) => p.name === name);
  if (!role || !profile) throw new Error(`The data model has no role or column-security profile named ${name}`);
  return { roleId: role.id.toLowerCase(), profileId: profile.id.toLowerCase() };
});
const PROFILE_IDS = new Set(LADDER.map((l) => l.profileId));

/** Default capacity of a new agent; an administrator adjusts it on the status row. */
export const NEW_AGENT_CAPACITY = 3;

function usersOf(ctx: StepContext): string[] {
  const rows = [ctx.target, ...(ctx.relationship?.relatedEntities ?? [])];
  return [...new Set(rows.filter((r): r is NonNullable<typeof r> => r?.logicalName === 'systemuser').map((r) => r.id.toLowerCase()))];
}

async function onboard(userId: string, deps: StepDeps): Promise<string> {
  const roles = new Set(await deps.data.getUserRootRoles(userId));
  const wanted = LADDER.find((l) => roles.has(l.roleId))?.profileId ?? null;
  const current = (await deps.data.getUserProfiles(userId)).filter((p) => PROFILE_IDS.has(p));
  for (const p of current) if (p !== wanted) await deps.data.setUserProfile(userId, p, false);
  if (wanted && !current.includes(wanted)) await deps.data.setUserProfile(userId, wanted, true);
  if (wanted) {
    const created = await deps.data.createAgentStatusIfMissing(userId, {
      swb_name: 'Agent status',
      swb_basepresence: BasePresence.Offline,
      swb_connectionstate: AgentConnectionState.SignedOut,
      swb_capacitymax: NEW_AGENT_CAPACITY,
      swb_capacityused: 0,
      // Owned by the agent: the Agent role writes only its own status row (their presence).
      'ownerid@odata.bind': `/systemusers(${userId})`,
    });
    return `${userId}: profile ${wanted}${created === 'created' ? ', status row created (Offline)' : ''}`;
  }
  const status = await deps.data.getAgentStatus(userId);
  if (status && status.row.swb_basepresence !== BasePresence.Offline) {
    await deps.data.updateAgentStatus(status.row.swb_agentstatusid, { swb_basepresence: BasePresence.Offline, swb_manualoverride: false }, status.etag);
  }
  return `${userId}: no Switchboard role left${current.length ? ', profiles removed' : ''}`;
}

async function handle(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  if (ctx.relationship?.schemaName.toLowerCase() !== RELATIONSHIP) return ok('another relationship');
  const users = usersOf(ctx);
  const notes: string[] = [];
  for (const userId of users) notes.push(await onboard(userId, deps));
  return ok(notes.join('; ') || 'no user in the association');
}

const trigger = (message: 'Associate' | 'Disassociate'): StepTrigger => ({
  message,
  stage: 40,
  mode: 'async',
  rank: 2,
  description: `${message}: a security role given to or taken from a user — Switchboard onboarding`,
});

export const agentOnboardingStep: StepDefinition = {
  name: 'agent-onboarding',
  description: 'Gives a user who receives a Switchboard role the matching column-security profile and an agent status row; takes them away with the last role.',
  triggers: [trigger('Associate'), trigger('Disassociate')],
  handler: handle,
};
