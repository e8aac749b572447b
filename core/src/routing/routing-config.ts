// The configuration snapshot the engine reads on every decision. Snapshots are immutable by
// contract: to change configuration, pass a new object. Derived data (sorted queues,
// compiled rules) is memoised per snapshot object only, so a change applies to the very
// next decision, never minutes later.
import type { PresenceBase } from '../presence/presence';
import type { WrapUpBlocking } from '../capacity/capacity';
import type { OperatingHours } from './operating-hours';

export interface SkillRequirement {
  skillId: string;
  /** Lowest acceptable rating (inclusive); omitted means any rating. */
  minRating?: number;
}

export type SkillMatchMode = 'exact' | 'closest';

export interface ClassificationRule {
  id: string;
  condition: string;
  /** What a matching rule sets on the conversation; later matching rules override earlier ones. */
  set: {
    priority?: number;
    skills?: SkillRequirement[];
    language?: string;
    attributes?: Record<string, string | number | boolean>;
    /** A bot answers first when this rule matches (overrides the workstream's bot). */
    botId?: string;
  };
  /** Skip the remaining classification rules once this one matched. */
  stop?: boolean;
}

export interface QueueShare {
  queueId: string;
  /** Whole or fractional percent; the shares of one rule add up to 100. */
  percent: number;
}

export interface RouteToQueueRule {
  id: string;
  condition: string;
  /** Exactly one of queueId / distribution. */
  queueId?: string;
  distribution?: QueueShare[];
}

export interface Ruleset {
  classification: ClassificationRule[];
  /** First matching rule wins. */
  routeToQueue: RouteToQueueRule[];
  /** Where a conversation goes when no route-to-queue rule matches (or a rule is broken). */
  fallbackQueueId: string;
}

export interface WorkstreamConfig {
  id: string;
  channel: string;
  /** Presences in which an agent may receive work from this workstream. */
  allowedPresences: PresenceBase[];
  /** Capacity units one conversation of this workstream consumes. */
  capacityUnits: number;
  /** Profile-based capacity: at most N conversations of this profile per agent. */
  capacityProfileId?: string;
  wrapUpBlocking: WrapUpBlocking;
  offerTimeoutSeconds: number;
  /** How many times one agent may decline or let expire the same conversation before it is never offered to them again. */
  declineLimitPerAgent: number;
  skillMatch: SkillMatchMode;
  ruleset: Ruleset;
  /** The post-conversation survey, when it is on: its question by language (none: the built-in wording). */
  survey?: { texts: Readonly<Record<string, string>> };
  /** The bot that answers this workstream's conversations before a person. */
  botId?: string;
  /** false: its customers' messages are never scored for sentiment (absent: on, as the column's default). */
  sentiment?: boolean;
}

export type OverflowAction =
  | { kind: 'queue'; queueId: string }
  | { kind: 'message'; messageId: string }
  | { kind: 'end'; messageId?: string };

export interface OverflowConfig {
  /** When this many conversations already wait in the queue, a new arrival overflows. */
  itemLimit?: { limit: number; action: OverflowAction };
  waitTime?: { seconds: number; action: OverflowAction };
  outsideHours?: { action: OverflowAction };
}

export type OrderCriterion =
  | 'remainingCapacity'
  | 'lastCapacityRelease'
  | 'lastAssignedInQueue'
  | 'lastAssigned'
  | 'membershipOrder';

export interface CustomOrderRule {
  id: string;
  /** Condition over `agent.*` and `conversation.*`; omitted means every agent. */
  agentCondition?: string;
  orderBy: { criterion: OrderCriterion; direction: 'asc' | 'desc' }[];
}

export type AssignmentMethodConfig =
  | { kind: 'highest-capacity' }
  | { kind: 'round-robin' }
  | { kind: 'least-active' }
  | { kind: 'custom'; rules: CustomOrderRule[] };

export interface QueueConfig {
  id: string;
  name: string;
  /** Lower number is served first across queues (1 before 2). */
  priority: number;
  assignment: AssignmentMethodConfig;
  operatingHoursId?: string;
  overflow?: OverflowConfig;
}

export interface CapacityProfileConfig {
  id: string;
  name: string;
  /** Default number of simultaneous conversations of this profile per agent. */
  defaultMaxItems: number;
}

export interface RoutingConfig {
  queues: QueueConfig[];
  workstreams: WorkstreamConfig[];
  capacityProfiles: CapacityProfileConfig[];
  operatingHours: OperatingHours[];
  /** Bots workstreams and rules may put first (see bots/bot-choice.ts). */
  bots?: BotConfig[];
  /** How many waiting conversations behind a queue's head are tried when the head cannot be placed (skills). */
  lookahead?: number;
  /** Overflow to another queue may chain; this stops loops between queues. */
  maxOverflowHops?: number;
}

/** A bot as routing needs it: the functions app reads the secret from the setting it names. */
export interface BotConfig {
  id: string;
  name: string;
  kind: 'directline' | 'webhook';
  url: string;
  secretSettingName: string;
  timeoutSeconds: number;
  inactivityMinutes: number;
  enabled: boolean;
}
