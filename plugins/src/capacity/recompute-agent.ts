// Writes an agent's capacity in use and presence back to their status row. Used by the
// conversation-state step and, for wrap-ups that block for a set time, by the routing worker
// when the delayed `recompute-agent` item comes due.
import type { WorkstreamRow } from '@switchboard/solution';
import type { RowPatch, StepDeps } from '../ports';
import { formatProfileUsage, parseProfileUsage, presenceChoiceOf, usageOf } from '@switchboard/core';
import { agentLoad, presenceAfterLoad, type HeldConversation, type OfferedConversation } from './agent-load';

export interface RecomputeOutcome {
  agentId: string;
  found: boolean;
  previousUnits: number;
  usedUnits: number;
  released: boolean;
  presence: string | null;
  nextReleaseAt: number | null;
}

const MAX_ATTEMPTS = 5;

export async function recomputeAgent(agentId: string, deps: StepDeps): Promise<RecomputeOutcome> {
  const workstreams = new Map<string, Promise<WorkstreamRow | null>>();
  const workstream = (id: string | null | undefined) => {
    if (!id) return Promise.resolve(null);
    if (!workstreams.has(id)) workstreams.set(id, deps.data.getWorkstream(id));
    return workstreams.get(id)!;
  };
  for (let attempt = 1; ; attempt++) {
    // Status and load in one request, status first: its ETag guards the write, so a claim by
    // the routing engine between our read and our write turns into a 412 and a fresh
    // computation, never a lost claim.
    const { status, load } = await deps.data.getAgentStatusAndLoad(agentId);
    if (!status) return { agentId, found: false, previousUnits: 0, usedUnits: 0, released: false, presence: null, nextReleaseAt: null };
    const agent = agentId.toLowerCase();
    const held: HeldConversation[] = await Promise.all(
      load
        .filter((c) => c._swb_primaryagentid_value?.toLowerCase() === agent)
        .map(async (c) => ({ conversation: c, workstream: await workstream(c._swb_workstreamid_value) })),
    );
    const offered: OfferedConversation[] = await Promise.all(
      load
        .filter((c) => c._swb_primaryagentid_value?.toLowerCase() !== agent && c._swb_offeredto_value?.toLowerCase() === agent)
        .map(async (c) => ({ conversationId: c.activityid, workstream: await workstream(c._swb_workstreamid_value) })),
    );
    const now = deps.clock.now();
    const computed = agentLoad(held, offered, now);
    const presence = presenceAfterLoad(status.row, computed.usedUnits, now);
    const previousUnits = status.row.swb_capacityused ?? 0;
    const patch: RowPatch = {};
    if (previousUnits !== computed.usedUnits) patch['swb_capacityused'] = computed.usedUnits;
    const profiles = formatProfileUsage(usageOf(computed.items).profileUsed);
    if (profiles !== formatProfileUsage(parseProfileUsage(status.row.swb_profileusage))) patch['swb_profileusage'] = profiles;
    const released = computed.usedUnits < previousUnits;
    // Least-active routing orders agents by their last release.
    if (released) patch['swb_lastreleaseon'] = new Date(now).toISOString();
    if (presenceChoiceOf(presence) !== status.row.swb_basepresence) {
      patch['swb_basepresence'] = presenceChoiceOf(presence);
      patch['swb_presencesince'] = new Date(now).toISOString();
    }
    const outcome = { agentId, found: true, previousUnits, usedUnits: computed.usedUnits, released, presence, nextReleaseAt: computed.nextReleaseAt };
    if (Object.keys(patch).length === 0) return outcome;
    const written = await deps.data.updateAgentStatus(status.row.swb_agentstatusid, patch, status.etag);
    if (written === 'updated') return outcome;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`Agent status of ${agentId} kept changing under us (${MAX_ATTEMPTS} attempts)`);
  }
}
