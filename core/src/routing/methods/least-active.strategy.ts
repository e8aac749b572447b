import { type AssignmentMethod, type AssignmentPass, memberOrder, queueSeq } from '../assignment-method';

// Least active: the agent whose capacity was released earliest (idle the longest) goes next.
const pass: AssignmentPass = {
  ordering: { id: 'least-active', key: (a, q) => [a.lastReleaseAt, queueSeq(a, q), memberOrder(a, q)] },
};

export const leastActiveMethod: AssignmentMethod<'least-active'> = {
  kind: 'least-active',
  passes: () => [pass],
};
