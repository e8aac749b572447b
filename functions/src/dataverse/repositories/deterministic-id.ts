import { createHash } from 'node:crypto';

// A GUID computed from what identifies a row in the outside world (a provider's message id,
// a widget's clientMessageId). Creating a row under such an id is the idempotency guard:
// a second create of the same id is a 412 in Dataverse, so two concurrent retries of one
// webhook can never both insert.
export function deterministicId(namespace: string, ...parts: readonly string[]): string {
  const h = createHash('sha256').update(`swb:${namespace}`).update('\u0000').update(parts.join('\u0000')).digest('hex');
  // RFC 4122 layout with version 5 and variant bits, so the value is a valid GUID everywhere.
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
