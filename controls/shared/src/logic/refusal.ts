// What the agent reads when a write is refused. Dataverse answers a refused write with an
// error code and a message written for people: a guard step's refusal comes in the agent's own
// language ("Only the primary agent of this conversation (Bruno Petit) can transfer it."), and
// privilege and validation errors say what was missing. That message is what the agent needs.
// A failure that carries no Dataverse code (the network, a fault in our own code) has no such
// message, so the control's own sentence stands in.

const MAX_LENGTH = 400;

interface DataverseError {
  errorCode?: unknown;
  code?: unknown;
  message?: unknown;
}

function fromDataverse(e: DataverseError): boolean {
  if (typeof e.errorCode === 'number' && e.errorCode !== 0) return true;
  return typeof e.code === 'string' && /^0x[0-9a-f]{8}$/i.test(e.code);
}

export function refusalText(error: unknown, fallback: string): string {
  if (typeof error !== 'object' || error === null) return fallback;
  const e = error as DataverseError;
  const message = typeof e.message === 'string' ? e.message.trim() : '';
  if (!message || !fromDataverse(e)) return fallback;
  return message.length > MAX_LENGTH ? `${message.slice(0, MAX_LENGTH - 1)}…` : message;
}
