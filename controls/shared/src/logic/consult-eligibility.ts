// Who the agent is offered to consult: any available agent of the conversation's queue with
// capacity left, never the asking agent or someone already in the conversation. Whether the
// consult itself is allowed (only the primary agent asks) is decided on the server, by the
// plugins' conversation-guard step with core's startConsult.
import { Presence } from '../model/choices';
import type { AgentStatusRow } from '../model/rows';

export interface AgentCandidate {
  agentId: string;
  name: string;
  capacityLeft: number;
}

export function consultCandidates(
  queueMembers: readonly string[],
  statuses: readonly AgentStatusRow[],
  names: ReadonlyMap<string, string>,
  excluded: readonly string[],
): AgentCandidate[] {
  const members = new Set(queueMembers.map((id) => id.toLowerCase()));
  const skip = new Set(excluded.map((id) => id.toLowerCase()));
  return statuses
    .filter((s) => members.has(s._swb_agentid_value.toLowerCase()) && !skip.has(s._swb_agentid_value.toLowerCase()))
    .filter((s) => s.swb_basepresence === Presence.Available)
    .map((s) => ({
      agentId: s._swb_agentid_value,
      name: names.get(s._swb_agentid_value.toLowerCase()) ?? s._swb_agentid_value,
      capacityLeft: (s.swb_capacitymax ?? 0) - (s.swb_capacityused ?? 0),
    }))
    .filter((c) => c.capacityLeft > 0)
    .sort((a, b) => b.capacityLeft - a.capacityLeft || a.name.localeCompare(b.name));
}
