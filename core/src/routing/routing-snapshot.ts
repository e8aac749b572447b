// The engine's working copy as stored rows: what fromSnapshot() reads and snapshotOf()
// writes, so a reload decides exactly like the instance that wrote it.
import type { AgentCapacity } from '../capacity/capacity';
import type { ConversationRecord } from '../lifecycle/conversation-lifecycle';
import type { AgentPresence } from '../presence/presence';
import type { ConditionScope } from '../rules/condition-evaluator';
import type { EpochMs } from '../time';
import type { SkillRequirement } from './routing-config';

export interface AgentInput {
  id: string;
  name?: string;
  queueIds: string[];
  skills?: Readonly<Record<string, number>>;
  capacity: AgentCapacity;
  workingHoursId?: string;
  attributes?: Record<string, unknown>;
  presence?: AgentPresence;
  lastReleaseAt?: EpochMs;
  /** Stamp of the last offer made to this agent, overall and per queue (round-robin order). */
  lastOfferStamp?: number;
  lastOfferStampByQueue?: Readonly<Record<string, number>>;
}

/** A conversation as stored, for loading a working copy. */
export interface ConversationSnapshot {
  id: string;
  workstreamId: string;
  queueId: string;
  record: ConversationRecord;
  priority?: number;
  skills?: SkillRequirement[];
  language?: string;
  facts?: ConditionScope;
  arrivedAt?: EpochMs;
  enqueuedAt?: EpochMs;
  /** FIFO position in the queue, as returned by the engine's views. */
  enqueueStamp?: number;
  declines?: Readonly<Record<string, number>>;
  offer?: { agentId: string; offeredAt: EpochMs; expiresAt: EpochMs } | null;
  overflowHops?: number;
  waitOverflowFired?: boolean;
  /** For Active / WrapUp rows: false when the wrap-up no longer holds the agent's capacity. */
  capacityHeld?: boolean;
}

export interface RoutingSnapshot {
  agents: AgentInput[];
  conversations: ConversationSnapshot[];
}
