// Presence follows the push connection, as the commercial product's FAQ describes: a disconnect
// shorter than the grace (2.5 minutes) keeps the agent's presence; after it the agent is routed
// as Offline and a manual choice is forgotten; when they connect again their presence is
// recomputed (the admin default if it is Away or Offline, else what capacity gives). The push
// service's own disconnected event starts the clock and its user check ends it, not the page.
import { DEFAULT_PRESENCE_SETTINGS, loadOf, presenceBaseOf, presenceChoiceOf, reducePresence, presenceBase, signedOutPresence, type PresenceSettings } from '@switchboard/core';
import { AgentConnectionState, BasePresence } from '@switchboard/solution';
import type { StepDeps } from '../ports';

export type LostOutcome = 'still-connected' | 'unknown' | 'no-status' | 'signed-out' | 'already-lost' | 'lost';

/** The grace has passed since `since`: if the agent has no live connection now, they are Offline. */
export async function connectionLost(agentId: string, since: number, deps: StepDeps): Promise<LostOutcome> {
  const connected = await deps.push?.isConnected(agentId);
  // Nobody can tell (push down or unconfigured): an agent is never taken off the floor on a guess.
  if (connected === undefined) return 'unknown';
  if (connected) return 'still-connected';
  for (let attempt = 0; attempt < 3; attempt++) {
    const status = await deps.data.getAgentStatus(agentId);
    if (!status) return 'no-status';
    if (status.row.swb_connectionstate === AgentConnectionState.SignedOut) return 'signed-out';
    if (status.row.swb_connectionstate === AgentConnectionState.Disconnected && status.row.swb_basepresence === BasePresence.Offline) return 'already-lost';
    const written = await deps.data.updateAgentStatus(
      status.row.swb_agentstatusid,
      {
        swb_connectionstate: AgentConnectionState.Disconnected,
        swb_disconnectedon: new Date(since).toISOString(),
        swb_basepresence: BasePresence.Offline,
        swb_manualoverride: false,
        swb_presencesince: new Date(deps.clock.now()).toISOString(),
      },
      status.etag,
    );
    if (written === 'updated') {
      // The agent may have connected again between the check and the write (their ticket saw them
      // still Connected and restored nothing): ask once more, and bring them back if so.
      if (await deps.push?.isConnected(agentId)) {
        await connectionBack(agentId, deps);
        return 'still-connected';
      }
      return 'lost';
    }
  }
  throw new Error(`Agent status of ${agentId} kept changing while marking the connection lost`);
}

export type BackOutcome = 'no-status' | 'was-connected' | 'restored';

/** The agent connects again after a lost connection: presence recomputed from the default and capacity. */
export async function connectionBack(agentId: string, deps: StepDeps): Promise<BackOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const status = await deps.data.getAgentStatus(agentId);
    if (!status) return 'no-status';
    if (status.row.swb_connectionstate !== AgentConnectionState.Disconnected) return 'was-connected';
    const now = deps.clock.now();
    const settings: PresenceSettings = { ...DEFAULT_PRESENCE_SETTINGS, defaultStatusId: presenceBaseOf(status.row.swb_defaultpresence) ?? 'Available' };
    const load = loadOf(status.row.swb_capacityused ?? 0, status.row.swb_capacitymax ?? 0);
    const signedIn = reducePresence({ ...signedOutPresence(now), load }, { type: 'signIn', at: now }, settings);
    const presence = presenceBase(signedIn, settings);
    const written = await deps.data.updateAgentStatus(
      status.row.swb_agentstatusid,
      {
        swb_connectionstate: AgentConnectionState.Connected,
        swb_disconnectedon: null,
        swb_basepresence: presenceChoiceOf(presence),
        swb_manualoverride: false,
        swb_presencesince: new Date(now).toISOString(),
      },
      status.etag,
    );
    if (written === 'updated') {
      await deps.routingTrigger.enqueue({ kind: 'route-agent', agentId, recompute: false, reason: 'connected again', at: now });
      return 'restored';
    }
  }
  throw new Error(`Agent status of ${agentId} kept changing while restoring the connection`);
}
