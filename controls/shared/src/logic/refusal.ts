// What the agent reads when a write is refused. Dataverse answers a refused write with an
// error code and a message written for people: a guard step's refusal comes in the agent's own
// language ("Only the primary agent of this conversation (Bruno Petit) can transfer it."), and
// privilege and validation errors say what was missing. That message is what the agent needs.
// A failure that carries no Dataverse code (the network, a fault in our own code) has no such
// message, so the control's own sentence stands in. A privilege refusal's message is written for
// administrators ("Principal user (Id=…) does not have WriteAccess right(s)…"): the agent gets a
// sentence of their own first, and Dataverse's words after it.

const MAX_LENGTH = 400;

/** Privilege and access-check refusals, row or column (field security). */
const ACCESS_DENIED = new Set([0x80040220, 0x80048306, 0x8004f502, 0x8004f504, 0x8004f507]);

interface DataverseError {
  errorCode?: unknown;
  code?: unknown;
  message?: unknown;
}

/** Dataverse's error code (unsigned), or undefined when the failure did not come from Dataverse. */
function codeOf(e: DataverseError): number | undefined {
  if (typeof e.errorCode === 'number' && e.errorCode !== 0) return e.errorCode >>> 0;
  return typeof e.code === 'string' && /^0x[0-9a-f]{8}$/i.test(e.code) ? Number.parseInt(e.code, 16) >>> 0 : undefined;
}

/**
 * `noAccess`: the control's sentence put before a privilege refusal's message (optional).
 */
export function refusalText(error: unknown, fallback: string, noAccess?: string): string {
  if (typeof error !== 'object' || error === null) return fallback;
  const e = error as DataverseError;
  const message = typeof e.message === 'string' ? e.message.trim() : '';
  const code = codeOf(e);
  if (!message || code === undefined) return fallback;
  const text = noAccess && ACCESS_DENIED.has(code) ? `${noAccess} ${message}` : message;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
