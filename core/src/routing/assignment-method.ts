import type { AgentOrdering, AgentState } from './agent-pool';
import type { EligibilityContext } from './eligibility';
import type { AssignmentMethodConfig } from './routing-config';

/**
 * One walk over a queue's agents in a given order. A method is one or more passes; the
 * first pass that yields an eligible agent decides (a custom ruleset tries its rules in order).
 */
export interface AssignmentPass {
  ordering: AgentOrdering;
  /** Extra method-specific filter on top of the standard eligibility filters. */
  accept?: (agent: AgentState, ctx: EligibilityContext) => boolean;
  /**
   * True when the ordering puts the most remaining units first: once an agent lacks the units,
   * every later one does too and the walk stops.
   */
  mostRemainingFirst?: boolean;
}

export interface AssignmentMethod<K extends AssignmentMethodConfig['kind'] = AssignmentMethodConfig['kind']> {
  readonly kind: K;
  passes(config: Extract<AssignmentMethodConfig, { kind: K }>): readonly AssignmentPass[];
}

export function queueSeq(a: AgentState, queueId: string): number {
  return a.queueAssignedSeq.get(queueId) ?? -1;
}

export function memberOrder(a: AgentState, queueId: string): number {
  return a.memberOrder.get(queueId) ?? Number.MAX_SAFE_INTEGER;
}
