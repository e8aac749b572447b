import type { AssignmentMethod } from './assignment-method';
import type { AssignmentMethodConfig } from './routing-config';
import { customRulesetMethod } from './methods/custom-ruleset.strategy';
import { highestCapacityMethod } from './methods/highest-capacity.strategy';
import { leastActiveMethod } from './methods/least-active.strategy';
import { roundRobinMethod } from './methods/round-robin.strategy';

export type AssignmentRegistry = ReadonlyMap<string, AssignmentMethod>;

/** Explicit registry: adding a method means adding it here, nothing registers itself. */
export function createAssignmentRegistry(methods: readonly AssignmentMethod[]): AssignmentRegistry {
  return new Map(methods.map((m) => [m.kind, m as AssignmentMethod]));
}

export const defaultAssignmentRegistry: AssignmentRegistry = createAssignmentRegistry([
  highestCapacityMethod as AssignmentMethod,
  roundRobinMethod as AssignmentMethod,
  leastActiveMethod as AssignmentMethod,
  customRulesetMethod as AssignmentMethod,
]);

export function passesFor(registry: AssignmentRegistry, config: AssignmentMethodConfig) {
  const m = registry.get(config.kind);
  if (!m) throw new Error(`No assignment method '${config.kind}' is registered`);
  return m.passes(config as never);
}
