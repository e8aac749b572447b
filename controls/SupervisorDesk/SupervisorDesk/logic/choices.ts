// Choice values only this control uses, as plain objects (see shared/src/model/choices.ts for
// why not solution's enums); tsc holds each to the generated enum, value by value.
import type * as generated from '@switchboard/solution/generated/rows';

export const AgentConnectionState = { Connected: 612400000, Disconnected: 612400001, SignedOut: 612400002 } as const;
export type AgentConnectionState = (typeof AgentConnectionState)[keyof typeof AgentConnectionState];

export const WaitOutcome = { AnsweredWithin20s: 612400000, AnsweredWithin60s: 612400001, AnsweredLater: 612400002, Abandoned: 612400003 } as const;
export type WaitOutcome = (typeof WaitOutcome)[keyof typeof WaitOutcome];

export const SupervisorAction = { Monitor: 612400000, Join: 612400001, Assign: 612400002, Transfer: 612400003, ForceClose: 612400004, SetPresence: 612400005, SignOut: 612400006 } as const;
export type SupervisorAction = (typeof SupervisorAction)[keyof typeof SupervisorAction];

type EnumValues<E> = { [K in keyof E as K extends string ? K : never]: `${E[K] & number}` };
type ObjectValues<T> = { [K in keyof T]: `${T[K] & number}` };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;

export type DeskChoicesMatchSolution = [
  Holds<Same<ObjectValues<typeof AgentConnectionState>, EnumValues<typeof generated.AgentConnectionState>>>,
  Holds<Same<ObjectValues<typeof WaitOutcome>, EnumValues<typeof generated.WaitOutcome>>>,
  Holds<Same<ObjectValues<typeof SupervisorAction>, EnumValues<typeof generated.SupervisorAction>>>,
];
