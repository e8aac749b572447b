// Why the agent's presence is what it is, in words the inbox can show. Capacity moves presence
// by itself (Available → Busy → Do not disturb) unless the agent picked one by hand; an agent who
// sees "Busy" appear without touching anything needs to know which of the two happened, and how
// to hand control back to capacity.
import { loadOf, presenceBaseOf, type PresenceBase } from '@switchboard/core';
import type { AgentStatusRow } from '../model/rows';

export type PresenceReason =
  /** The agent chose it; capacity no longer changes it. */
  | { kind: 'manual'; presence: PresenceBase }
  /** Capacity decides: Available, Busy or Do not disturb from what is in use. */
  | { kind: 'capacity'; presence: 'Available' | 'Busy' | 'DoNotDisturb'; used: number; max: number }
  /** Away or Offline without a choice: inactivity, signing out or the administrator's default. */
  | { kind: 'automatic'; presence: PresenceBase };

type Status = Pick<AgentStatusRow, 'swb_basepresence' | 'swb_manualoverride' | 'swb_capacityused' | 'swb_capacitymax'>;

export function presenceReason(status: Status): PresenceReason {
  const presence = presenceBaseOf(status.swb_basepresence) ?? 'Offline';
  if (status.swb_manualoverride) return { kind: 'manual', presence };
  if (presence === 'Available' || presence === 'Busy' || presence === 'DoNotDisturb') {
    return { kind: 'capacity', presence, used: status.swb_capacityused ?? 0, max: status.swb_capacitymax ?? 0 };
  }
  return { kind: 'automatic', presence };
}

const BY_LOAD = { none: 'Available', partial: 'Busy', full: 'DoNotDisturb' } as const;

/**
 * The presence capacity gives once the agent lets go of a manual choice: core's load of the
 * status row, and the presence core's reducer gives that load once the agent picks Available
 * ("hands control back to capacity"; the test holds the two to the same answer). Not the reducer
 * itself: it would add 4 KB to the inbox's bundle for a three-way choice.
 */
export function automaticPresence(status: Pick<AgentStatusRow, 'swb_capacityused' | 'swb_capacitymax'>): PresenceBase {
  return BY_LOAD[loadOf(status.swb_capacityused ?? 0, status.swb_capacitymax ?? 0)];
}
