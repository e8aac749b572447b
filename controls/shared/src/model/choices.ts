// Choice values, equal to the enums in solution/src/generated/rows.ts (choices.test.ts
// checks every one). Plain objects rather than re-exports: importing the generated file
// would put all 25 TypeScript enums into each control's bundle.
const BASE = 612400000;

export const ConversationState = { Open: BASE, Waiting: BASE + 1, Active: BASE + 2, WrapUp: BASE + 3, Closed: BASE + 4 } as const;
export type ConversationState = (typeof ConversationState)[keyof typeof ConversationState];

export const ChannelType = { LiveChat: BASE, Sms: BASE + 1 } as const;
export type ChannelType = (typeof ChannelType)[keyof typeof ChannelType];

export const MessageDirection = { Inbound: BASE, Outbound: BASE + 1 } as const;
export type MessageDirection = (typeof MessageDirection)[keyof typeof MessageDirection];

export const AuthorKind = { Customer: BASE, Agent: BASE + 1, Bot: BASE + 2, System: BASE + 3 } as const;
export type AuthorKind = (typeof AuthorKind)[keyof typeof AuthorKind];

export const Visibility = { Public: BASE, Internal: BASE + 1 } as const;
export type Visibility = (typeof Visibility)[keyof typeof Visibility];

export const DeliveryStatus = { Pending: BASE, Queued: BASE + 1, Sent: BASE + 2, Delivered: BASE + 3, Failed: BASE + 4, Received: BASE + 5 } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

export const OfferResponse = { Pending: BASE, Accepted: BASE + 1, Declined: BASE + 2, TimedOut: BASE + 3 } as const;
export type OfferResponse = (typeof OfferResponse)[keyof typeof OfferResponse];

export const Presence = { Available: BASE, Busy: BASE + 1, DoNotDisturb: BASE + 2, Away: BASE + 3, Offline: BASE + 4 } as const;
export type Presence = (typeof Presence)[keyof typeof Presence];

export const SessionRole = { Primary: BASE, Consult: BASE + 1 } as const;
export type SessionRole = (typeof SessionRole)[keyof typeof SessionRole];

export const SessionState = { Active: BASE, WrapUp: BASE + 1, Closed: BASE + 2 } as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];

export const IdentificationResult = { NotAttempted: BASE, Identified: BASE + 1, NotFound: BASE + 2, Ambiguous: BASE + 3 } as const;
export type IdentificationResult = (typeof IdentificationResult)[keyof typeof IdentificationResult];

export const Sentiment = { Negative: BASE, SlightlyNegative: BASE + 1, Neutral: BASE + 2, SlightlyPositive: BASE + 3, Positive: BASE + 4 } as const;
export type Sentiment = (typeof Sentiment)[keyof typeof Sentiment];

export const TemplateKind = { MessageTemplate: BASE, QuickReply: BASE + 1 } as const;
export type TemplateKind = (typeof TemplateKind)[keyof typeof TemplateKind];

/** Reverse lookup for resource keys: `nameOf(AuthorKind, 612400001)` → "Agent". */
export function nameOf<T extends Record<string, number>>(set: T, value: number | null | undefined): keyof T | undefined {
  return (Object.keys(set) as (keyof T)[]).find((k) => set[k] === value);
}
