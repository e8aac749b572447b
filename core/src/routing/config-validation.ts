// Checks a whole routing configuration for the admin forms and for the worker's logs: every
// condition parses, every reference points at something that exists, percentages add up.
// The engine never refuses a configuration (a broken rule simply never matches); this says why.
import { compileCondition } from '../rules/condition-evaluator';
import { type RuleProblem, validateRuleset } from '../rules/routing-rules';
import type { OverflowAction, RoutingConfig } from './routing-config';

export interface ConfigProblem extends RuleProblem {
  /** Where: 'workstream:<id>', 'queue:<id>'. */
  scope: string;
}

export function validateRoutingConfig(config: RoutingConfig): ConfigProblem[] {
  const queues = new Set(config.queues.map((q) => q.id));
  const hours = new Set(config.operatingHours.map((h) => h.id));
  const profiles = new Set(config.capacityProfiles.map((p) => p.id));
  const out: ConfigProblem[] = [];
  const add = (scope: string, p: RuleProblem) => out.push({ ...p, scope });

  for (const ws of config.workstreams) {
    const scope = `workstream:${ws.id}`;
    for (const p of validateRuleset(ws.ruleset, (id) => queues.has(id))) add(scope, p);
    if (ws.capacityProfileId && !profiles.has(ws.capacityProfileId)) {
      add(scope, { ruleId: '(capacity)', code: 'rule.target', message: `Capacity profile '${ws.capacityProfileId}' does not exist` });
    }
    if (ws.allowedPresences.length === 0) add(scope, { ruleId: '(presence)', code: 'rule.target', message: 'No presence is allowed: nobody can receive this work' });
  }

  const action = (scope: string, what: string, a: OverflowAction) => {
    if (a.kind === 'queue' && !queues.has(a.queueId)) add(scope, { ruleId: `(overflow ${what})`, code: 'rule.target', message: `Queue '${a.queueId}' does not exist` });
  };
  for (const q of config.queues) {
    const scope = `queue:${q.id}`;
    if (q.operatingHoursId && !hours.has(q.operatingHoursId)) {
      add(scope, { ruleId: '(hours)', code: 'rule.target', message: `Operating hours '${q.operatingHoursId}' do not exist` });
    }
    if (q.overflow?.itemLimit) action(scope, 'item limit', q.overflow.itemLimit.action);
    if (q.overflow?.waitTime) action(scope, 'wait time', q.overflow.waitTime.action);
    if (q.overflow?.outsideHours) {
      action(scope, 'outside hours', q.overflow.outsideHours.action);
      if (!q.operatingHoursId) add(scope, { ruleId: '(overflow outside hours)', code: 'rule.target', message: 'Outside-hours overflow needs operating hours on the queue' });
    }
    if (q.assignment.kind === 'custom') {
      for (const r of q.assignment.rules) {
        if (!r.agentCondition) continue;
        const c = compileCondition(r.agentCondition, { roots: ['agent', 'conversation'] });
        if (!c.ok) add(scope, { ruleId: r.id, code: 'rule.condition', message: c.error.message, condition: c.error });
      }
    }
  }
  return out;
}
