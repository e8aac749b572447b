// Who supervises what, and whether an agent can take one more conversation: the two questions
// the supervisor rules ask of Dataverse. A supervisor is a user with the Switchboard Supervisor
// role; the queues they supervise are the queues they are a member of (queue membership is how
// Dataverse already says who works a queue). Both are read with the app's token at the moment
// of the write, so a role or membership removed a second ago already counts.
import { parseProfileUsage, profileLimitsOf, reserveCapacity } from '@switchboard/core';
import { metadata } from '@switchboard/solution';
import { unitsOf } from '../capacity/agent-load';
import type { StepDeps } from '../ports';

const SUPERVISOR_ROLE = (() => {
  const role = metadata.roles.find((r) => r.name === 'Switchboard Supervisor');
  if (!role) throw new Error('The data model has no Switchboard Supervisor role');
  return role.id.toLowerCase();
})();

/** The queues the user supervises: none unless they hold the Supervisor role. */
export async function supervisedQueues(userId: string, deps: StepDeps): Promise<Set<string>> {
  const roles = await deps.data.getUserRootRoles(userId);
  if (!roles.some((r) => r.toLowerCase() === SUPERVISOR_ROLE)) return new Set();
  return new Set((await deps.data.listUserQueues(userId)).map((q) => q.toLowerCase()));
}

export async function supervises(userId: string, queueId: string | null, deps: StepDeps): Promise<boolean> {
  if (!queueId) return false;
  return (await supervisedQueues(userId, deps)).has(queueId.toLowerCase());
}

export async function isQueueMember(userId: string, queueId: string, deps: StepDeps): Promise<boolean> {
  return (await deps.data.listUserQueues(userId)).some((q) => q.toLowerCase() === queueId.toLowerCase());
}

export type CapacityFit = 'fits' | 'full' | 'no-status';

/**
 * Whether the agent can take this conversation on top of what their status row says they hold:
 * the conversation's workstream units within their maximum, and one more of its capacity
 * profile within the profile's limit — core's reserveCapacity, the decision the routing worker
 * takes before an offer. A conversation already offered to this very agent is reserved on their
 * row already, so it fits.
 */
export async function capacityFit(agentId: string, conversationId: string, deps: StepDeps): Promise<CapacityFit> {
  const offers = await deps.data.listPendingOffersFor(conversationId);
  if (offers.some((o) => o._swb_agentid_value?.toLowerCase() === agentId)) return 'fits';
  const conversation = await deps.data.getRow('swb_conversation', conversationId, ['_swb_workstreamid_value']);
  const status = await deps.data.getAgentStatus(agentId);
  if (!status) return 'no-status';
  const workstreamId = conversation?.row['_swb_workstreamid_value'];
  const workstream = typeof workstreamId === 'string' ? await deps.data.getWorkstream(workstreamId) : null;
  const profileId = workstream?._swb_capacityprofileid_value?.toLowerCase();
  const profile = profileId ? await deps.data.getRow('swb_capacityprofile', profileId, ['swb_maxunits']) : null;
  const limits = profileLimitsOf(profileId && profile ? [{ id: profileId, defaultMaxItems: Number(profile.row['swb_maxunits'] ?? 3) }] : []);
  const stored = {
    usedUnits: status.row.swb_capacityused ?? 0,
    maxUnits: status.row.swb_capacitymax ?? 0,
    profileUsed: parseProfileUsage(status.row.swb_profileusage),
  };
  const demand = profileId ? { units: unitsOf(workstream), profileId } : { units: unitsOf(workstream) };
  return reserveCapacity(stored, demand, limits) ? 'fits' : 'full';
}

/** A user's full name for lines people read; the id's owner may have been deleted. */
export async function userName(userId: string | null, deps: StepDeps): Promise<string> {
  if (!userId) return '';
  const row = await deps.data.getRow('systemuser', userId, ['fullname']);
  const name = row?.row['fullname'];
  return typeof name === 'string' && name ? name : userId;
}
