// Capacity, the one home of its rules: unit-based (each conversation costs its workstream's
// units out of the agent's maximum) and profile-based (at most N conversations of a profile at
// once). Offered, Active and Wrap-up all hold capacity; a consult holds none.
//
// Three holders apply the same rules:
// - the routing engine's working copy keeps counters per agent (addLoad / removeLoad) and
//   asks hasCapacityFor before an offer;
// - the routing worker reserves on the agent's status row with If-Match (reserveCapacity /
//   releaseCapacity on StoredCapacity), showing the engine what is left (remainingCapacity);
// - the plugin steps recompute the row from the conversations and offers that hold it
//   (usageOf) and write the profile counts in the one text format (formatProfileUsage).
import { formatIdNumberMap, parseIdNumberMap } from '../id-number-map';
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

const NOTHING_USED: CapacityUsage = { usedUnits: 0, profileUsed: new Map() };

export function profileLimit(agent: AgentCapacity, profileId: string, profileDefaults: ReadonlyMap<string, number>): number {
  return agent.profileLimits?.[profileId] ?? profileDefaults.get(profileId) ?? Infinity;
}

export function usageOf(items: Iterable<CapacityLoadItem>): CapacityUsage {
  const usage = { usedUnits: 0, profileUsed: new Map<string, number>() };
  for (const i of items) addLoad(usage, i);
  return usage;
}

/** The fit decision: the demand's units within the maximum, and one more of its profile within the profile's limit. */
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

/** Counters the engine keeps per agent, changed in place: a decision must not copy maps. */
export interface MutableUsage {
  usedUnits: number;
  profileUsed: Map<string, number>;
}

export function addLoad(usage: MutableUsage, load: Pick<CapacityLoadItem, 'units' | 'profileId'>): void {
  usage.usedUnits += load.units;
  if (load.profileId) usage.profileUsed.set(load.profileId, (usage.profileUsed.get(load.profileId) ?? 0) + 1);
}

export function removeLoad(usage: MutableUsage, load: Pick<CapacityLoadItem, 'units' | 'profileId'>): void {
  usage.usedUnits -= load.units;
  if (load.profileId) usage.profileUsed.set(load.profileId, (usage.profileUsed.get(load.profileId) ?? 1) - 1);
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

// ---- capacity as stored on the agent's status row ---------------------------------------

/** What an agent's status row says they hold: units of their maximum, conversations per profile (ids in lower case). */
export interface StoredCapacity {
  usedUnits: number;
  maxUnits: number;
  profileUsed: Readonly<Record<string, number>>;
}

/**
 * Each profile's limit per agent by lower-case id (the data model has no per-agent override,
 * so it is the profile's default). Ids compare without case because lookups arrive in
 * whatever case the row or the configuration used; the first profile of an id wins.
 */
export function profileLimitsOf(profiles: readonly { id: string; defaultMaxItems: number }[]): ReadonlyMap<string, number> {
  const limits = new Map<string, number>();
  for (const p of profiles) if (!limits.has(p.id.toLowerCase())) limits.set(p.id.toLowerCase(), p.defaultMaxItems);
  return limits;
}

/** What is left of a stored capacity, as the engine sees an agent who holds nothing: the units left, and what is left of each profile in use. */
export function remainingCapacity(stored: StoredCapacity, limits: ReadonlyMap<string, number>): AgentCapacity {
  const remaining: AgentCapacity = { maxUnits: Math.max(0, stored.maxUnits - stored.usedUnits) };
  const entries = Object.entries(stored.profileUsed);
  if (entries.length === 0) return remaining;
  const profileLimits: Record<string, number> = {};
  for (const [profileId, count] of entries) {
    const limit = limits.get(profileId.toLowerCase());
    if (limit !== undefined) profileLimits[profileId] = Math.max(0, limit - count);
  }
  return { ...remaining, profileLimits };
}

/**
 * Reserves a demand on stored capacity: the same decision the engine made on what it was
 * shown (remainingCapacity), taken again on the row as it is now. Null when it no longer fits.
 */
export function reserveCapacity(stored: StoredCapacity, demand: CapacityDemand, limits: ReadonlyMap<string, number>): StoredCapacity | null {
  const profileId = demand.profileId?.toLowerCase();
  const asked: CapacityDemand = profileId ? { units: demand.units, profileId } : { units: demand.units };
  if (!hasCapacityFor(remainingCapacity(stored, limits), NOTHING_USED, asked, limits)) return null;
  const profileUsed = profileId ? { ...stored.profileUsed, [profileId]: (stored.profileUsed[profileId] ?? 0) + 1 } : stored.profileUsed;
  return { ...stored, usedUnits: stored.usedUnits + demand.units, profileUsed };
}

/** Gives a reservation back; never below nothing held (the plugins' recompute may have released it first). */
export function releaseCapacity(stored: StoredCapacity, demand: CapacityDemand): StoredCapacity {
  const profileId = demand.profileId?.toLowerCase();
  const profileUsed = profileId ? { ...stored.profileUsed, [profileId]: Math.max(0, (stored.profileUsed[profileId] ?? 0) - 1) } : stored.profileUsed;
  return { ...stored, usedUnits: Math.max(0, stored.usedUnits - demand.units), profileUsed };
}

/** The profile-usage column: counts held or offered per capacity profile, by profile id. */
export const parseProfileUsage = parseIdNumberMap;

/** Stable text: sorted keys, zero counts left out, so an unchanged usage is never rewritten. */
export const formatProfileUsage = formatIdNumberMap;
