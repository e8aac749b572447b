import { remainingUnits } from '../agent-pool';
import { type AssignmentMethod, type AssignmentPass, memberOrder, queueSeq } from '../assignment-method';

// Most remaining units first; among equals, whoever was offered work in this queue longest
// ago (round robin), then membership order.
const pass: AssignmentPass = {
  ordering: { id: 'highest-capacity', key: (a, q) => [-remainingUnits(a), queueSeq(a, q), memberOrder(a, q)] },
  mostRemainingFirst: true,
};

export const highestCapacityMethod: AssignmentMethod<'highest-capacity'> = {
  kind: 'highest-capacity',
  passes: () => [pass],
};
