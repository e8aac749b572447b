// Why a text was not delivered, in the agent's words. The delivery writers store swb_error as
// "<code>: <provider's or our message>"; a code the agent can act on gets a sentence of its own
// (resource key), anything else shows the stored message as it is.

/** Failure codes the pane explains in its own words, and the resource key that does. */
const KNOWN: Readonly<Record<string, string>> = {
  'recipient-opted-out': 'Delivery_FailedOptedOut',
  'invalid-recipient': 'Delivery_FailedInvalidNumber',
};

export type DeliveryFailure = { key: string } | { text: string } | null;

export function deliveryFailureOf(error: string | null | undefined): DeliveryFailure {
  const stored = (error ?? '').trim();
  if (!stored) return null;
  const m = /^([a-z][a-z0-9-]*): (.*)$/s.exec(stored);
  const key = m ? KNOWN[m[1]!] : undefined;
  if (key) return { key };
  return { text: m ? m[2]!.trim() : stored };
}
