// Builders for tests and the benchmark: small, explicit configurations with sane defaults.
import { DEFAULT_PRESENCE_SETTINGS, type AgentPresence, reducePresence, signedOutPresence } from '../presence/presence';
import { type Clock, type Rng, fixedClock, seededRng } from '../time';
import type { QueueConfig, RoutingConfig, WorkstreamConfig } from './routing-config';
import type { DecisionContext } from './routing-decision';
import type { AgentInput } from './routing-snapshot';

export function makeWorkstream(overrides: Partial<WorkstreamConfig> = {}): WorkstreamConfig {
  return {
    id: 'ws-chat',
    channel: 'chat',
    allowedPresences: ['Available', 'Busy'],
    capacityUnits: 1,
    wrapUpBlocking: { kind: 'always' },
    offerTimeoutSeconds: 60,
    declineLimitPerAgent: 1,
    skillMatch: 'exact',
    ruleset: { classification: [], routeToQueue: [], fallbackQueueId: 'q1' },
    ...overrides,
  };
}

export function makeQueue(id: string, overrides: Partial<QueueConfig> = {}): QueueConfig {
  return { id, name: id, priority: 10, assignment: { kind: 'highest-capacity' }, ...overrides };
}

export function makeConfig(overrides: Partial<RoutingConfig> = {}): RoutingConfig {
  return {
    queues: [makeQueue('q1')],
    workstreams: [makeWorkstream()],
    capacityProfiles: [],
    operatingHours: [],
    ...overrides,
  };
}

export const FIXTURE_START = 1_700_000_000_000;

export function signedInPresence(at = FIXTURE_START): AgentPresence {
  return reducePresence(signedOutPresence(at), { type: 'signIn', at }, DEFAULT_PRESENCE_SETTINGS);
}

export function makeAgent(id: string, queueIds: string[], overrides: Partial<AgentInput> = {}): AgentInput {
  return { id, queueIds, capacity: { maxUnits: 3 }, presence: signedInPresence(), ...overrides };
}

export function makeContext(start = FIXTURE_START, seed = 1): DecisionContext & { clock: Clock & { advance(ms: number): void; set(t: number): void }; rng: Rng } {
  return { clock: fixedClock(start), rng: seededRng(seed) };
}
