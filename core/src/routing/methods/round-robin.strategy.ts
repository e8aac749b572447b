import { type AssignmentMethod, type AssignmentPass, memberOrder, queueSeq } from '../assignment-method';

// Advanced round robin: the order is kept per queue. The agent offered work in this queue
// longest ago goes next; never-offered agents go first, in the order they joined the queue.
const pass: AssignmentPass = {
  ordering: { id: 'round-robin', key: (a, q) => [queueSeq(a, q), memberOrder(a, q)] },
};

export const roundRobinMethod: AssignmentMethod<'round-robin'> = {
  kind: 'round-robin',
  passes: () => [pass],
};
