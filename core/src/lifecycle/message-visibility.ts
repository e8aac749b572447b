// Internal notes must never reach a customer, on any channel. Every path that shows or sends
// a message to the customer side (widget API, SMS outbound, bot hand-off) goes through these.

export type MessageVisibility = 'public' | 'internal';
export type MessageDirection = 'inbound' | 'outbound';
export type MessageAuthorKind = 'customer' | 'agent' | 'bot' | 'system';
export type MessageViewer = 'customer' | 'bot' | 'agent' | 'supervisor';

export interface VisibleMessage {
  visibility: MessageVisibility;
  direction: MessageDirection;
  authorKind: MessageAuthorKind;
}

export function canView(viewer: MessageViewer, message: Pick<VisibleMessage, 'visibility'>): boolean {
  if (viewer === 'agent' || viewer === 'supervisor') return true;
  return message.visibility === 'public';
}

/** Only public messages written on our side go out to the customer's channel. */
export function shouldDeliverToCustomer(message: VisibleMessage): boolean {
  return message.visibility === 'public' && message.direction === 'outbound' && message.authorKind !== 'customer';
}

export function visibleTo<M extends Pick<VisibleMessage, 'visibility'>>(viewer: MessageViewer, messages: readonly M[]): M[] {
  return messages.filter((m) => canView(viewer, m));
}

/** A customer-authored message is always public, whatever the caller claimed. */
export function normaliseVisibility(authorKind: MessageAuthorKind, requested: MessageVisibility): MessageVisibility {
  return authorKind === 'customer' ? 'public' : requested;
}
