import { remainingUnits, type AgentState } from '../agent-pool';
import { type AssignmentMethod, type AssignmentPass, memberOrder, queueSeq } from '../assignment-method';
import type { CustomOrderRule, OrderCriterion } from '../routing-config';
import { compileCondition, evaluateCondition } from '../../rules/condition-evaluator';
import type { SortKey } from '../ordered-index';

const CRITERIA: Record<OrderCriterion, (a: AgentState, q: string) => number> = {
  remainingCapacity: (a) => remainingUnits(a),
  lastCapacityRelease: (a) => a.lastReleaseAt,
  lastAssignedInQueue: (a, q) => queueSeq(a, q),
  lastAssigned: (a) => a.lastAssignedSeq,
  membershipOrder: (a, q) => memberOrder(a, q),
};

export function agentFacts(a: AgentState): Record<string, unknown> {
  return {
    ...a.attributes,
    id: a.id,
    name: a.name,
    presence: a.presenceBase,
    remainingCapacity: remainingUnits(a),
    usedCapacity: a.usedUnits,
    skills: [...a.skills.keys()],
  };
}

// Passes are rebuilt only when the rules object changes: a new config snapshot is a new object.
const memo = new WeakMap<readonly CustomOrderRule[], readonly AssignmentPass[]>();

function passFor(rule: CustomOrderRule): AssignmentPass {
  const orderBy = rule.orderBy.length ? rule.orderBy : [{ criterion: 'lastAssignedInQueue' as const, direction: 'asc' as const }];
  const id = `custom:${orderBy.map((o) => `${o.criterion}-${o.direction}`).join(',')}`;
  const key = (a: AgentState, q: string): SortKey => {
    const k = orderBy.map((o) => (o.direction === 'desc' ? -CRITERIA[o.criterion](a, q) : CRITERIA[o.criterion](a, q)));
    k.push(memberOrder(a, q));
    return k;
  };
  const first = orderBy[0]!;
  const pass: AssignmentPass = {
    ordering: { id, key },
    mostRemainingFirst: first.criterion === 'remainingCapacity' && first.direction === 'desc',
  };
  if (rule.agentCondition) {
    const c = compileCondition(rule.agentCondition, { roots: ['agent', 'conversation'] });
    // A broken rule selects nobody rather than everybody: it must not widen who gets work.
    pass.accept = c.ok ? (a, ctx) => evaluateCondition(c.value, { agent: agentFacts(a), conversation: ctx.item.facts.conversation }) : () => false;
  }
  return pass;
}

export const customRulesetMethod: AssignmentMethod<'custom'> = {
  kind: 'custom',
  passes(config) {
    let p = memo.get(config.rules);
    if (!p) {
      p = config.rules.map(passFor);
      memo.set(config.rules, p);
    }
    return p;
  },
};
