// Eligibility filters: small predicates, composed by the engine in a fixed order (cheapest
// first). The per-queue indexes already hold only signed-in members with capacity left;
// the filters still check everything, so a stale index can never cause a wrong offer.
import { hasCapacityFor, type CapacityDemand } from '../capacity/capacity';
import type { EpochMs } from '../time';
import { type AgentState } from './agent-pool';
import type { SkillRequirement, WorkstreamConfig } from './routing-config';
import type { WorkItem } from './work-item';

export interface EligibilityContext {
  now: EpochMs;
  queueId: string;
  item: WorkItem;
  workstream: WorkstreamConfig;
  demand: CapacityDemand;
  profileDefaults: ReadonlyMap<string, number>;
  isOpen(hoursId: string): boolean;
}

export type EligibilityFilter = (agent: AgentState, ctx: EligibilityContext) => boolean;

export const inQueue: EligibilityFilter = (a, c) => a.queueIds.includes(c.queueId);

export const presenceAllowed: EligibilityFilter = (a, c) => c.workstream.allowedPresences.includes(a.presenceBase);

export const hasCapacityLeft: EligibilityFilter = (a, c) =>
  hasCapacityFor(a.capacity, { usedUnits: a.usedUnits, profileUsed: a.profileUsed }, c.demand, c.profileDefaults);

export const withinWorkingHours: EligibilityFilter = (a, c) => !a.workingHoursId || c.isOpen(a.workingHoursId);

export const underDeclineLimit: EligibilityFilter = (a, c) => (c.item.declines.get(a.id) ?? 0) < c.workstream.declineLimitPerAgent;

export function allOf(...filters: EligibilityFilter[]): EligibilityFilter {
  return (a, c) => {
    for (const f of filters) if (!f(a, c)) return false;
    return true;
  };
}

export const STANDARD_FILTERS: readonly EligibilityFilter[] = [inQueue, presenceAllowed, underDeclineLimit, hasCapacityLeft, withinWorkingHours];
export const isEligible: EligibilityFilter = allOf(...STANDARD_FILTERS);

// A missing skill weighs more than any rating shortfall, so an agent with every skill at a
// lower rating is always closer than one missing a skill.
const MISSING_SKILL = 1000;

/** 0 = exact match; larger = further from what the conversation needs. */
export function skillDistance(agent: AgentState, required: readonly SkillRequirement[]): number {
  let d = 0;
  for (const r of required) {
    const rating = agent.skills.get(r.skillId);
    if (rating === undefined) d += MISSING_SKILL;
    else if (r.minRating !== undefined && rating < r.minRating) d += r.minRating - rating;
  }
  return d;
}

export const skillsExactMatch: EligibilityFilter = (a, c) => skillDistance(a, c.item.skills) === 0;
