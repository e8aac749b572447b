// Capacity: unit-based (each conversation costs its workstream's units out of the agent's
// maximum) and profile-based (at most N conversations of a profile at once). Active and
// Wrap-up both hold capacity; a consult holds none.
import type { EpochMs } from '../time';

export type WrapUpBlocking = { kind: 'always' } | { kind: 'never' } | { kind: 'seconds'; seconds: number };

export type LoadPhase = 'offered' | 'active' | 'wrapup';

export interface CapacityLoadItem {
  conversationId: string;
  units: number;
  profileId?: string;
  phase: LoadPhase;
}

export interface AgentCapacity {
  maxUnits: number;
  /** Per-agent limits that override a profile's default. */
  profileLimits?: Readonly<Record<string, number>>;
}

export interface CapacityDemand {
  units: number;
  profileId?: string;
}

export interface CapacityUsage {
  usedUnits: number;
  profileUsed: ReadonlyMap<string, number>;
}

export function profileLimit(agent: AgentCapacity, profileId: string, profileDefaults: ReadonlyMap<string, number>): number {
  return agent.profileLimits?.[profileId] ?? profileDefaults.get(profileId) ?? Infinity;
}

export function usageOf(items: Iterable<CapacityLoadItem>): CapacityUsage {
  let usedUnits = 0;
  const profileUsed = new Map<string, number>();
  for (const i of items) {
    usedUnits += i.units;
    if (i.profileId) profileUsed.set(i.profileId, (profileUsed.get(i.profileId) ?? 0) + 1);
  }
  return { usedUnits, profileUsed };
}

export function hasCapacityFor(
  agent: AgentCapacity,
  usage: CapacityUsage,
  demand: CapacityDemand,
  profileDefaults: ReadonlyMap<string, number>,
): boolean {
  if (usage.usedUnits + demand.units > agent.maxUnits) return false;
  if (demand.profileId) {
    const used = usage.profileUsed.get(demand.profileId) ?? 0;
    if (used + 1 > profileLimit(agent, demand.profileId, profileDefaults)) return false;
  }
  return true;
}

/** When wrap-up stops holding capacity: null = never released before close, wrapUpOn = at once. */
export function wrapUpReleaseAt(blocking: WrapUpBlocking, wrapUpOn: EpochMs): EpochMs | null {
  switch (blocking.kind) {
    case 'always':
      return null;
    case 'never':
      return wrapUpOn;
    case 'seconds':
      return wrapUpOn + blocking.seconds * 1000;
  }
}
