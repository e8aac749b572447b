// Why the agent's presence is what it is, in words the inbox can show. Capacity moves presence
// by itself (Available → Busy → Do not disturb) unless the agent picked one by hand; an agent who
// sees "Busy" appear without touching anything needs to know which of the two happened, and how
// to hand control back to capacity.
import { DEFAULT_PRESENCE_SETTINGS, loadOf, presenceBase, presenceBaseOf, reducePresence, signedOutPresence, type PresenceBase } from '@switchboard/core';
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

/**
 * The presence capacity gives once the agent lets go of a manual choice. Core's reducer decides
 * ("picking Available hands control back to capacity"), so this is the answer routing gives too.
 */
export function automaticPresence(status: Pick<AgentStatusRow, 'swb_basepresence' | 'swb_capacityused' | 'swb_capacitymax'>): PresenceBase {
  const current = presenceBaseOf(status.swb_basepresence) ?? 'Offline';
  const load = loadOf(status.swb_capacityused ?? 0, status.swb_capacitymax ?? 0);
  const manual = { ...signedOutPresence(), statusId: current, signedIn: true, manualStatusId: current, load };
  return presenceBase(reducePresence(manual, { type: 'setStatus', statusId: 'Available', at: 0 }, DEFAULT_PRESENCE_SETTINGS), DEFAULT_PRESENCE_SETTINGS);
}
