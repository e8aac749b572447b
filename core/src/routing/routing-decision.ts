// What the engine answers: decisions as data for the caller to persist (with If-Match), or a
// coded error. The context carries time and randomness, so the same inputs decide the same.
import type { LifecycleErrorCode } from '../lifecycle/conversation-lifecycle';
import { type Result, err } from '../result';
import type { RuleProblem } from '../rules/routing-rules';
import type { Clock, EpochMs, Rng } from '../time';
import type { OverflowReason } from './overflow';
import type { OverflowAction, SkillRequirement } from './routing-config';

export interface DecisionContext {
  clock: Clock;
  rng: Rng;
}

export type QueuedReason = 'arrival' | 'overflow' | 'transfer' | 'reopen';

export type RoutingDecision =
  | { kind: 'classified'; conversationId: string; priority: number; skills: SkillRequirement[]; language?: string; matchedRuleIds: string[] }
  | { kind: 'rule-problem'; conversationId: string; problem: RuleProblem }
  | { kind: 'queued'; conversationId: string; queueId: string; ruleId: string | null; reason: QueuedReason }
  | {
      kind: 'offered';
      conversationId: string;
      agentId: string;
      queueId: string;
      offeredAt: EpochMs;
      expiresAt: EpochMs;
      /** The offer's place in routing order (ms-based, strictly increasing): store it to keep round robin exact across reloads. */
      stamp: number;
    }
  | { kind: 'offer-ended'; conversationId: string; agentId: string; reason: 'declined' | 'timeout' | 'withdrawn' }
  | { kind: 'assigned'; conversationId: string; agentId: string }
  | { kind: 'overflowed'; conversationId: string; fromQueueId: string; reason: OverflowReason; action: OverflowAction }
  | { kind: 'automated-message'; conversationId: string; messageId: string; reason: OverflowReason }
  | { kind: 'wrap-up'; conversationId: string }
  | { kind: 'ended'; conversationId: string; reason: 'closed' | 'overflow' }
  | { kind: 'reopened'; conversationId: string }
  | { kind: 'transferred'; conversationId: string; fromAgentId: string; toAgentId?: string; toQueueId?: string }
  | { kind: 'consult-started'; conversationId: string; agentId: string }
  | { kind: 'consult-ended'; conversationId: string; agentId: string }
  | { kind: 'capacity-released'; conversationId: string; agentId: string }
  | { kind: 'presence-changed'; agentId: string; from: string; to: string };

export type EngineErrorCode =
  | 'engine.unknownConversation'
  | 'engine.unknownAgent'
  | 'engine.unknownWorkstream'
  | 'engine.unknownQueue'
  | 'engine.duplicate'
  | 'engine.noOffer'
  | 'engine.offerExpired'
  | 'engine.notAssigned'
  | 'engine.noCapacity'
  | 'engine.notEligible'
  | 'engine.agentBusy'
  | LifecycleErrorCode;

export interface EngineError {
  code: EngineErrorCode;
  message: string;
}

export type Decisions = Result<RoutingDecision[], EngineError>;

export const fail = (code: EngineErrorCode, message: string) => err<EngineError>({ code, message });
