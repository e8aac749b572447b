// Choice values the controls use at run time. They cannot come from solution's generated
// enums: DESIGN lets controls import solution for types only, and a TypeScript enum is not
// tree-shaken (importing one put all 25 into the AgentInbox bundle: +3.8 KB, +1.0 KB gzip, even
// with "sideEffects": false). So they are plain objects here, and the compiler holds each one to
// the generated enum of the same name, value by value (ChoicesMatchSolution below).
// Presence values are core's (the routing worker and the plugin steps read the same table).
import { PRESENCE_CHOICE } from '@switchboard/core';
import type * as generated from '@switchboard/solution/generated/rows';

export const ConversationState = { Open: 612400000, Waiting: 612400001, Active: 612400002, WrapUp: 612400003, Closed: 612400004 } as const;
export type ConversationState = (typeof ConversationState)[keyof typeof ConversationState];

export const ChannelType = { LiveChat: 612400000, Sms: 612400001 } as const;
export type ChannelType = (typeof ChannelType)[keyof typeof ChannelType];

export const MessageDirection = { Inbound: 612400000, Outbound: 612400001 } as const;
export type MessageDirection = (typeof MessageDirection)[keyof typeof MessageDirection];

export const AuthorKind = { Customer: 612400000, Agent: 612400001, Bot: 612400002, System: 612400003 } as const;
export type AuthorKind = (typeof AuthorKind)[keyof typeof AuthorKind];

export const Visibility = { Public: 612400000, Internal: 612400001 } as const;
export type Visibility = (typeof Visibility)[keyof typeof Visibility];

export const DeliveryStatus = { Pending: 612400000, Queued: 612400001, Sent: 612400002, Delivered: 612400003, Failed: 612400004, Received: 612400005 } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

export const OfferResponse = { Pending: 612400000, Accepted: 612400001, Declined: 612400002, TimedOut: 612400003, Withdrawn: 612400004 } as const;
export type OfferResponse = (typeof OfferResponse)[keyof typeof OfferResponse];

export const Presence = PRESENCE_CHOICE;
export type Presence = (typeof Presence)[keyof typeof Presence];

export const SessionRole = { Primary: 612400000, Consult: 612400001 } as const;
export type SessionRole = (typeof SessionRole)[keyof typeof SessionRole];

export const SessionState = { Active: 612400000, WrapUp: 612400001, Closed: 612400002 } as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];

export const IdentificationResult = { NotAttempted: 612400000, Identified: 612400001, NotFound: 612400002, Ambiguous: 612400003 } as const;
export type IdentificationResult = (typeof IdentificationResult)[keyof typeof IdentificationResult];

export const Sentiment = { VeryNegative: 612400000, Negative: 612400001, SlightlyNegative: 612400002, Neutral: 612400003, SlightlyPositive: 612400004, Positive: 612400005, VeryPositive: 612400006 } as const;
export type Sentiment = (typeof Sentiment)[keyof typeof Sentiment];

export const TemplateKind = { MessageTemplate: 612400000, QuickReply: 612400001 } as const;
export type TemplateKind = (typeof TemplateKind)[keyof typeof TemplateKind];

/** Reverse lookup for resource keys: `nameOf(AuthorKind, 612400001)` → "Agent". */
export function nameOf<T extends Record<string, number>>(set: T, value: number | null | undefined): keyof T | undefined {
  return (Object.keys(set) as (keyof T)[]).find((k) => set[k] === value);
}

// Names and values compared as text (`${612400000}`), which tells a drifted value, a missing
// name and an extra one apart from a match: tsc fails on this file until they agree.
type EnumValues<E> = { [K in keyof E as K extends string ? K : never]: `${E[K] & number}` };
type ObjectValues<T> = { [K in keyof T]: `${T[K] & number}` };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Aligned<Ours, Theirs> = Same<ObjectValues<Ours>, EnumValues<Theirs>>;
type Holds<T extends true> = T;

export type ChoicesMatchSolution = [
  Holds<Aligned<typeof ConversationState, typeof generated.ConversationState>>,
  Holds<Aligned<typeof ChannelType, typeof generated.ChannelType>>,
  Holds<Aligned<typeof MessageDirection, typeof generated.MessageDirection>>,
  Holds<Aligned<typeof AuthorKind, typeof generated.AuthorKind>>,
  Holds<Aligned<typeof Visibility, typeof generated.Visibility>>,
  Holds<Aligned<typeof DeliveryStatus, typeof generated.DeliveryStatus>>,
  Holds<Aligned<typeof OfferResponse, typeof generated.OfferResponse>>,
  Holds<Aligned<typeof Presence, typeof generated.BasePresence>>,
  Holds<Aligned<typeof SessionRole, typeof generated.SessionRole>>,
  Holds<Aligned<typeof SessionState, typeof generated.SessionState>>,
  Holds<Aligned<typeof IdentificationResult, typeof generated.IdentificationResult>>,
  Holds<Aligned<typeof Sentiment, typeof generated.Sentiment>>,
  Holds<Aligned<typeof TemplateKind, typeof generated.TemplateKind>>,
];
