// A base presence as Dataverse stores it: the option values of the swb_presencebase choice.
// Declared here rather than in solution because three places turn stored values into names at
// run time: the routing worker (functions), the capacity steps (plugins) and the agent inbox
// (a control, which may import solution for types only). Core is what all three may import.
// solution builds the choice from this table, so the generated BasePresence enum equals it by
// construction and the values have one home.
import type { PresenceBase } from './presence';

export const PRESENCE_CHOICE = {
  Available: 612400000,
  Busy: 612400001,
  DoNotDisturb: 612400002,
  Away: 612400003,
  Offline: 612400004,
} as const satisfies Readonly<Record<PresenceBase, number>>;

export type PresenceChoice = (typeof PRESENCE_CHOICE)[PresenceBase];

const BASE_OF_CHOICE: ReadonlyMap<number, PresenceBase> = new Map(
  (Object.keys(PRESENCE_CHOICE) as PresenceBase[]).map((base) => [PRESENCE_CHOICE[base], base]),
);

export function presenceChoiceOf(base: PresenceBase): PresenceChoice {
  return PRESENCE_CHOICE[base];
}

/** Undefined for an empty or unknown value: each caller says what that means to it (mostly Offline). */
export function presenceBaseOf(value: number | null | undefined): PresenceBase | undefined {
  return value === null || value === undefined ? undefined : BASE_OF_CHOICE.get(value);
}
