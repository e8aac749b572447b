// Dataverse rows → the snapshot core's routing engine decides on: the head of a queue's waiting
// conversations (each carrying who declined it), its members as agents (presence, skills, what
// is left of their capacity, round-robin position from their status row), and a new
// conversation's arrival. Pure: the worker reads the rows, this maps them, so the mapping is
// tested without a server.
import {
  type AgentInput,
  type Arrival,
  type ConversationSnapshot,
  type EpochMs,
  type SkillRequirement,
  type StoredCapacity,
  parseIdNumberMap,
  parseProfileUsage,
  presenceBaseOf,
  remainingCapacity,
  signedOutPresence,
} from '@switchboard/core';
import type { AgentSkillRow, AgentStatusRow, ConversationRow } from '@switchboard/solution';
import { ms } from '../dataverse/repositories/odata';

/** Who declined (or let expire) an offer of this conversation, how often: kept on the conversation by the offer-response step. */
export function declinesOf(row: Pick<ConversationRow, 'swb_declinedby'>): Record<string, number> {
  return parseIdNumberMap(row.swb_declinedby);
}

export function storedCapacityOf(row: Pick<AgentStatusRow, 'swb_capacityused' | 'swb_capacitymax' | 'swb_profileusage'>): StoredCapacity {
  return { usedUnits: row.swb_capacityused ?? 0, maxUnits: row.swb_capacitymax ?? 0, profileUsed: parseProfileUsage(row.swb_profileusage) };
}

/** A member of the queue as one read returns it: the user, their status row (with its ETag) and their skills. */
export interface QueueAgentRow {
  systemuserid: string;
  status: (AgentStatusRow & { '@odata.etag'?: string }) | null;
  skills: readonly Pick<AgentSkillRow, 'swb_skillname' | 'swb_proficiency'>[];
}

/** The stamp of the agent's last offer in this queue, kept on their status row (round robin). */
export function lastOfferStampOf(status: Pick<AgentStatusRow, 'swb_lastofferstamps'>, queueId: string): number | undefined {
  return parseIdNumberMap(status.swb_lastofferstamps)[queueId.toLowerCase()];
}

/** Members without a status row are not routable and are left out. */
export function agentInputsOf(queueId: string, members: readonly QueueAgentRow[], profileLimits: ReadonlyMap<string, number>, now: EpochMs): AgentInput[] {
  const agents: AgentInput[] = [];
  for (const { systemuserid: agentId, status, skills } of members) {
    if (!status) continue;
    const base = presenceBaseOf(status.swb_basepresence) ?? 'Offline';
    const agentSkills: Record<string, number> = {};
    for (const s of skills) if (s.swb_skillname) agentSkills[s.swb_skillname.toLowerCase()] = s.swb_proficiency ?? 5;
    const lastRelease = ms(status.swb_lastreleaseon);
    const lastOffer = lastOfferStampOf(status, queueId);
    agents.push({
      id: agentId,
      queueIds: [queueId],
      skills: agentSkills,
      // The status row is the authority on what the agent already holds (routing reserves on it
      // and the plugins recompute it from held and offered conversations); the engine sees what is left.
      capacity: remainingCapacity(storedCapacityOf(status), profileLimits),
      presence: { ...signedOutPresence(now), statusId: base, signedIn: base !== 'Offline', lastActivityAt: now },
      ...(lastRelease !== undefined ? { lastReleaseAt: lastRelease } : {}),
      ...(lastOffer !== undefined ? { lastOfferStampByQueue: { [queueId]: lastOffer } } : {}),
    });
  }
  return agents;
}

/** A waiting conversation of the queue; its workstream is known (the worker skips those without one). */
export function conversationSnapshotOf(row: ConversationRow & { _swb_workstreamid_value: string }, queueId: string, now: EpochMs): ConversationSnapshot {
  const openedOn = ms(row.swb_openedon) ?? ms(row.createdon) ?? now;
  const snap: ConversationSnapshot = {
    id: row.activityid,
    workstreamId: row._swb_workstreamid_value,
    queueId,
    record: { id: row.activityid, state: 'Waiting', timestamps: { openedOn }, participants: [], reopenCount: 0 },
    ...(row.swb_priority != null ? { priority: row.swb_priority } : {}),
    skills: parseSkills(row.swb_requiredskills),
    enqueuedAt: ms(row.swb_queuedon) ?? openedOn,
    arrivedAt: openedOn,
    declines: declinesOf(row),
  };
  if (row.swb_language) snap.language = row.swb_language;
  return snap;
}

/** A new conversation as the engine classifies it: what rules read as conversation.*, customer.* and context.*. */
export function arrivalOf(conversationId: string, row: ConversationRow, workstreamId: string): Arrival {
  return {
    conversationId,
    workstreamId,
    conversation: { subject: row.subject ?? '', language: row.swb_language ?? '', identified: row.swb_identificationresult ?? null, phone: row.swb_customerphone ?? '' },
    customer: row._swb_customerid_value ? { id: row._swb_customerid_value, name: row.swb_customername ?? '' } : null,
    // Pre-chat answers are context variables to routing rules (`context.topic = 'billing'` reads
    // the survey's topic question), as the commercial product's rules read them; a context
    // variable the host page set wins over an answer of the same name.
    context: { ...parseObject(row.swb_prechatanswers), ...parseObject(row.swb_context) },
    // No priority stored: core's default applies, as for any unclassified arrival.
    ...(row.swb_priority != null ? { priority: row.swb_priority } : {}),
  };
}

/** swb_requiredskills: a JSON list of skill names (or { skillId, minRating }); anything unreadable requires nothing. */
export function parseSkills(text: string | null | undefined): SkillRequirement[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .map((s): SkillRequirement | null =>
        typeof s === 'string' ? { skillId: s.toLowerCase() } : s && typeof s === 'object' && typeof (s as { skillId?: unknown }).skillId === 'string' ? { ...(s as SkillRequirement), skillId: (s as SkillRequirement).skillId.toLowerCase() } : null,
      )
      .filter((s): s is SkillRequirement => s !== null);
  } catch {
    return [];
  }
}

function parseObject(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
