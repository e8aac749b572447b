import type { ConversationRecord } from '../lifecycle/conversation-lifecycle';
import type { ConditionScope } from '../rules/condition-evaluator';
import type { EpochMs } from '../time';
import type { SkillRequirement } from './routing-config';

export type WorkItemStatus = 'waiting' | 'offered' | 'assigned' | 'ended';

export interface Offer {
  agentId: string;
  offeredAt: EpochMs;
  expiresAt: EpochMs;
  /** Distinguishes this offer from earlier ones, so a stale timeout never cancels a newer offer. */
  seq: number;
}

/** A conversation as routing sees it. */
export interface WorkItem {
  readonly id: string;
  workstreamId: string;
  queueId: string;
  /** Lower is more urgent; 100 unless a classification rule says otherwise. */
  priority: number;
  skills: SkillRequirement[];
  language?: string;
  status: WorkItemStatus;
  arrivedAt: EpochMs;
  enqueuedAt: EpochMs;
  /** FIFO position: kept across declines and timeouts so a re-offered item keeps its place. */
  enqueueSeq: number;
  declines: Map<string, number>;
  offer: Offer | null;
  overflowHops: number;
  waitOverflowFired: boolean;
  conversation: ConversationRecord;
  facts: ConditionScope;
}

export const DEFAULT_PRIORITY = 100;
