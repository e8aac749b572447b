import type { Rng } from '../time';
import type { ClassificationRule, QueueShare, RouteToQueueRule, Ruleset, SkillRequirement } from '../routing/routing-config';
import { type ConditionError, type ConditionScope, compileCondition, evaluateCondition } from './condition-evaluator';

export interface RuleProblem {
  ruleId: string;
  code: 'rule.condition' | 'rule.distribution' | 'rule.target';
  message: string;
  condition?: ConditionError;
}

export interface Classification {
  priority?: number;
  skills?: SkillRequirement[];
  language?: string;
  attributes: Record<string, string | number | boolean>;
  /** The bot the last matching rule that names one picked. */
  botId?: string;
  matchedRuleIds: string[];
  problems: RuleProblem[];
}

function conditionHolds(ruleId: string, source: string, scope: ConditionScope, problems: RuleProblem[]): boolean {
  const c = compileCondition(source);
  if (!c.ok) {
    // A broken rule never matches; the problem travels with the result so the worker can log it
    // and the admin form can show it, instead of routing failing altogether.
    problems.push({ ruleId, code: 'rule.condition', message: c.error.message, condition: c.error });
    return false;
  }
  return evaluateCondition(c.value, scope);
}

/** Applies every matching classification rule in order; later rules override earlier ones. */
export function classifyConversation(rules: readonly ClassificationRule[], scope: ConditionScope): Classification {
  const out: Classification = { attributes: {}, matchedRuleIds: [], problems: [] };
  const conversation: Record<string, unknown> = { ...(scope.conversation ?? {}) };
  for (const rule of rules) {
    // Later rules see what earlier ones set (conversation.priority, conversation.language...).
    if (!conditionHolds(rule.id, rule.condition, { ...scope, conversation }, out.problems)) continue;
    out.matchedRuleIds.push(rule.id);
    if (rule.set.priority !== undefined) conversation.priority = out.priority = rule.set.priority;
    if (rule.set.skills !== undefined) {
      out.skills = rule.set.skills;
      conversation.skills = rule.set.skills.map((s) => s.skillId);
    }
    if (rule.set.language !== undefined) conversation.language = out.language = rule.set.language;
    if (rule.set.botId !== undefined) out.botId = rule.set.botId;
    if (rule.set.attributes) {
      Object.assign(out.attributes, rule.set.attributes);
      Object.assign(conversation, rule.set.attributes);
    }
    if (rule.stop) break;
  }
  return out;
}

export function distributionProblem(shares: readonly QueueShare[]): string | null {
  if (shares.length === 0) return 'A percentage rule needs at least one queue';
  if (shares.some((s) => !(s.percent >= 0))) return 'Percentages cannot be negative';
  const total = shares.reduce((a, s) => a + s.percent, 0);
  if (Math.abs(total - 100) > 1e-6) return `Percentages add up to ${total}, not 100`;
  return null;
}

/** Picks a queue from shares; `roll` in [0,1). */
export function pickByPercentage(shares: readonly QueueShare[], roll: number): string {
  let acc = 0;
  const target = roll * 100;
  for (const s of shares) {
    acc += s.percent;
    if (target < acc) return s.queueId;
  }
  // Floating-point shortfall (33.3 + 33.3 + 33.4): the last share takes the remainder.
  return shares[shares.length - 1]!.queueId;
}

export interface QueueRoute {
  queueId: string;
  /** The rule that decided, or null when the fallback queue was used. */
  ruleId: string | null;
  problems: RuleProblem[];
}

export function routeToQueue(
  rules: readonly RouteToQueueRule[],
  fallbackQueueId: string,
  scope: ConditionScope,
  rng: Rng,
  knownQueue: (id: string) => boolean = () => true,
): QueueRoute {
  const problems: RuleProblem[] = [];
  for (const rule of rules) {
    if (!conditionHolds(rule.id, rule.condition, scope, problems)) continue;
    if (rule.distribution) {
      const bad = distributionProblem(rule.distribution);
      if (bad) {
        problems.push({ ruleId: rule.id, code: 'rule.distribution', message: bad });
        continue;
      }
      const queueId = pickByPercentage(rule.distribution, rng.next());
      if (!knownQueue(queueId)) {
        problems.push({ ruleId: rule.id, code: 'rule.target', message: `Queue '${queueId}' does not exist` });
        continue;
      }
      return { queueId, ruleId: rule.id, problems };
    }
    if (rule.queueId && knownQueue(rule.queueId)) return { queueId: rule.queueId, ruleId: rule.id, problems };
    problems.push({ ruleId: rule.id, code: 'rule.target', message: `Rule '${rule.id}' names no existing queue` });
  }
  return { queueId: fallbackQueueId, ruleId: null, problems };
}

/** Checks a ruleset for the admin form: every condition parses, every distribution adds up. */
export function validateRuleset(ruleset: Ruleset, knownQueue: (id: string) => boolean = () => true): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const r of [...ruleset.classification, ...ruleset.routeToQueue]) {
    const c = compileCondition(r.condition);
    if (!c.ok) problems.push({ ruleId: r.id, code: 'rule.condition', message: c.error.message, condition: c.error });
  }
  for (const r of ruleset.routeToQueue) {
    if (!!r.queueId === !!r.distribution) {
      problems.push({ ruleId: r.id, code: 'rule.target', message: 'A route rule names either one queue or a percentage distribution' });
    }
    if (r.distribution) {
      const bad = distributionProblem(r.distribution);
      if (bad) problems.push({ ruleId: r.id, code: 'rule.distribution', message: bad });
      for (const s of r.distribution) {
        if (!knownQueue(s.queueId)) problems.push({ ruleId: r.id, code: 'rule.target', message: `Queue '${s.queueId}' does not exist` });
      }
    }
    if (r.queueId && !knownQueue(r.queueId)) problems.push({ ruleId: r.id, code: 'rule.target', message: `Queue '${r.queueId}' does not exist` });
  }
  if (!knownQueue(ruleset.fallbackQueueId)) {
    problems.push({ ruleId: '(fallback)', code: 'rule.target', message: `Fallback queue '${ruleset.fallbackQueueId}' does not exist` });
  }
  return problems;
}
