// What the push service carries: "something changed" with ids and small facts, never the rows.
// Clients read the authoritative rows after an event (agents from Dataverse, customers from the
// chat API, "after the last sequence I have"), so a missed or duplicated event loses nothing and
// an event never carries what its reader may not see.
//
// Who receives what (functions/src/push decides, the tokens enforce):
// - an agent's user id: offers made to them and withdrawn, their presence and capacity;
// - group `c.<conversationId>`: the agents taking part (primary, consultants) — messages public
//   and internal, state changes, typing, delivery;
// - the customer's user id `customer.<conversationId>`: public messages, agent typing, delivery, end;
// - group `q.<queueId>`: the supervisors of that queue — what their desk shows changed;
// - group `supervisors`: every supervisor — an agent's presence or capacity changed.

export type PushEvent =
  /** A message was stored; `sequence` is its number in the conversation. */
  | { readonly kind: 'message'; readonly conversationId: string; readonly sequence?: number; readonly internal?: boolean }
  /** State, primary agent, consultants or queue changed. */
  | { readonly kind: 'conversation'; readonly conversationId: string; readonly state?: number }
  /** An offer to the receiving agent was made, withdrawn or answered. */
  | { readonly kind: 'offer'; readonly conversationId: string; readonly change: 'made' | 'withdrawn' | 'answered' }
  /** The receiving agent's presence or capacity changed. */
  | { readonly kind: 'agent'; readonly agentId: string }
  /** Someone is typing; `name` is shown to the other side when known. */
  | { readonly kind: 'typing'; readonly conversationId: string; readonly by: 'customer' | 'agent'; readonly name?: string }
  /** A message's delivery status changed (SMS and messaging channels). */
  | { readonly kind: 'delivery'; readonly conversationId: string; readonly sequence?: number }
  /** Something a supervisor's view of this queue shows changed. */
  | { readonly kind: 'queue'; readonly queueId: string };

export type PushEventKind = PushEvent['kind'];

/** The group every agent taking part in a conversation is in. */
export const conversationGroup = (conversationId: string): string => `c.${conversationId.toLowerCase()}`;
/** The group of a queue's supervisors. */
export const queueGroup = (queueId: string): string => `q.${queueId.toLowerCase()}`;
/** The group of every supervisor: agents' presence and capacity, which their desks show. */
export const SUPERVISORS_GROUP = 'supervisors';
/** The push user id of a chat's customer (its token grants this conversation only). */
export const customerPushUser = (conversationId: string): string => `customer.${conversationId.toLowerCase()}`;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isId = (v: unknown): v is string => typeof v === 'string' && GUID.test(v);
const optionalNumber = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));

/**
 * Reads an event off the wire, or null when it is not one of ours (an older or newer server,
 * a stray message): clients ignore what they cannot read rather than fail.
 */
export function parsePushEvent(data: unknown): PushEvent | null {
  if (typeof data !== 'object' || data === null) return null;
  const e = data as Record<string, unknown>;
  switch (e['kind']) {
    case 'message':
      if (!isId(e['conversationId']) || !optionalNumber(e['sequence'])) return null;
      return { kind: 'message', conversationId: e['conversationId'], ...(typeof e['sequence'] === 'number' ? { sequence: e['sequence'] } : {}), ...(e['internal'] === true ? { internal: true } : {}) };
    case 'conversation':
      if (!isId(e['conversationId']) || !optionalNumber(e['state'])) return null;
      return { kind: 'conversation', conversationId: e['conversationId'], ...(typeof e['state'] === 'number' ? { state: e['state'] } : {}) };
    case 'offer':
      if (!isId(e['conversationId']) || !['made', 'withdrawn', 'answered'].includes(e['change'] as string)) return null;
      return { kind: 'offer', conversationId: e['conversationId'], change: e['change'] as 'made' | 'withdrawn' | 'answered' };
    case 'agent':
      return isId(e['agentId']) ? { kind: 'agent', agentId: e['agentId'] } : null;
    case 'typing':
      if (!isId(e['conversationId']) || (e['by'] !== 'customer' && e['by'] !== 'agent')) return null;
      return { kind: 'typing', conversationId: e['conversationId'], by: e['by'], ...(typeof e['name'] === 'string' && e['name'] ? { name: e['name'].slice(0, 100) } : {}) };
    case 'delivery':
      if (!isId(e['conversationId']) || !optionalNumber(e['sequence'])) return null;
      return { kind: 'delivery', conversationId: e['conversationId'], ...(typeof e['sequence'] === 'number' ? { sequence: e['sequence'] } : {}) };
    case 'queue':
      return isId(e['queueId']) ? { kind: 'queue', queueId: e['queueId'] } : null;
    default:
      return null;
  }
}
