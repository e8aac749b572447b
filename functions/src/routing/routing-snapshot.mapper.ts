// Dataverse rows → the snapshot core's routing engine decides on: a queue's waiting
// conversations with their offer history, its members as agents (presence, skills, what is
// left of their capacity, round-robin position), and a new conversation's arrival. Pure: the
// worker reads the rows, this maps them, so the mapping is tested without a server.
import {
  type AgentInput,
  type Arrival,
  type ConversationSnapshot,
  type EpochMs,
  type SkillRequirement,
  type StoredCapacity,
  parseProfileUsage,
  presenceBaseOf,
  remainingCapacity,
  signedOutPresence,
} from '@switchboard/core';
import { OfferResponse, type AgentSkillRow, type AgentStatusRow, type ConversationRow, type OfferRow } from '@switchboard/solution';
import { ms } from '../dataverse/repositories/odata';

/** What a conversation's offers say: one still pending, how many attempts so far, who declined (or let expire) how often. */
export interface OfferHistory {
  pending: ReadonlySet<string>;
  attempts: ReadonlyMap<string, number>;
  declines: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

export function offerHistoryOf(offers: readonly OfferRow[]): OfferHistory {
  const pending = new Set<string>();
  const attempts = new Map<string, number>();
  const declines = new Map<string, Record<string, number>>();
  for (const o of offers) {
    const c = o._swb_conversationid_value;
    if (!c) continue;
    attempts.set(c, Math.max(attempts.get(c) ?? 0, o.swb_attempt ?? 1));
    if (o.swb_response === OfferResponse.Pending) pending.add(c);
    else if ((o.swb_response === OfferResponse.Declined || o.swb_response === OfferResponse.TimedOut) && o._swb_agentid_value) {
      const per = declines.get(c) ?? {};
      per[o._swb_agentid_value] = (per[o._swb_agentid_value] ?? 0) + 1;
      declines.set(c, per);
    }
  }
  return { pending, attempts, declines };
}

/** Declines and timeouts so far, counted from the offers themselves (idempotent, whoever answered). */
export function declineCountOf(history: OfferHistory, conversationId: string): number {
  return Object.values(history.declines.get(conversationId) ?? {}).reduce((n, k) => n + k, 0);
}

export function storedCapacityOf(row: Pick<AgentStatusRow, 'swb_capacityused' | 'swb_capacitymax' | 'swb_profileusage'>): StoredCapacity {
  return { usedUnits: row.swb_capacityused ?? 0, maxUnits: row.swb_capacitymax ?? 0, profileUsed: parseProfileUsage(row.swb_profileusage) };
}

export interface QueueMembersRows {
  queueId: string;
  /** Agent ids in membership order. */
  members: readonly string[];
  statuses: ReadonlyMap<string, AgentStatusRow>;
  skills: readonly AgentSkillRow[];
  /** Stamp of each agent's last offer in this queue, by lower-case agent id (round robin only). */
  lastOffers: ReadonlyMap<string, number>;
  profileLimits: ReadonlyMap<string, number>;
}

/** Members without a status row are not routable and are left out. */
export function agentInputsOf(rows: QueueMembersRows, now: EpochMs): AgentInput[] {
  const agents: AgentInput[] = [];
  for (const agentId of rows.members) {
    const status = rows.statuses.get(agentId);
    if (!status) continue;
    const base = presenceBaseOf(status.swb_basepresence) ?? 'Offline';
    const agentSkills: Record<string, number> = {};
    for (const s of rows.skills) if (s._swb_agentid_value === agentId && s.swb_skillname) agentSkills[s.swb_skillname.toLowerCase()] = s.swb_proficiency ?? 5;
    const lastRelease = ms(status.swb_lastreleaseon);
    const lastOffer = rows.lastOffers.get(agentId.toLowerCase());
    agents.push({
      id: agentId,
      queueIds: [rows.queueId],
      skills: agentSkills,
      // The status row is the authority on what the agent already holds (the plugins keep it
      // from held conversations and pending offers); the engine sees what is left.
      capacity: remainingCapacity(storedCapacityOf(status), rows.profileLimits),
      presence: { ...signedOutPresence(now), statusId: base, signedIn: base !== 'Offline', lastActivityAt: now },
      ...(lastRelease !== undefined ? { lastReleaseAt: lastRelease } : {}),
      ...(lastOffer !== undefined ? { lastOfferStampByQueue: { [rows.queueId]: lastOffer } } : {}),
    });
  }
  return agents;
}

/** A waiting conversation of the queue; its workstream is known (the worker skips those without one). */
export function conversationSnapshotOf(row: ConversationRow & { _swb_workstreamid_value: string }, queueId: string, history: OfferHistory, now: EpochMs): ConversationSnapshot {
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
    declines: history.declines.get(row.activityid) ?? {},
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
    context: parseObject(row.swb_context),
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
