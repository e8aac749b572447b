// Agent presence as a pure state machine. The engine, the functions worker and the PCF
// presence control all call the same reducer, so "why is this agent Busy?" has one answer.
import type { EpochMs } from '../time';

export type PresenceBase = 'Available' | 'Busy' | 'DoNotDisturb' | 'Away' | 'Offline';
export const PRESENCE_BASES: readonly PresenceBase[] = ['Available', 'Busy', 'DoNotDisturb', 'Away', 'Offline'];

/** Built-in statuses use the base name as id; admins add custom ones that map to a base. */
export interface PresenceStatus {
  id: string;
  name: string;
  base: PresenceBase;
}

export const BUILT_IN_STATUSES: readonly PresenceStatus[] = PRESENCE_BASES.map((b) => ({ id: b, name: b, base: b }));

export interface PresenceSettings {
  statuses: readonly PresenceStatus[];
  /** Status an agent gets at sign-in. If its base is Away or Offline it wins over capacity. */
  defaultStatusId: string;
  inactivityTimeoutSeconds: number;
  /** Status shown while inactive (usually Away). */
  inactiveStatusId: string;
  /** A disconnect shorter than this keeps the old presence (2.5 minutes in the product). */
  disconnectGraceSeconds: number;
}

export const DEFAULT_PRESENCE_SETTINGS: PresenceSettings = {
  statuses: BUILT_IN_STATUSES,
  defaultStatusId: 'Available',
  inactivityTimeoutSeconds: 300,
  inactiveStatusId: 'Away',
  disconnectGraceSeconds: 150,
};

/** How full the agent is: drives Available → Busy → Do not disturb. */
export type CapacityLoad = 'none' | 'partial' | 'full';

export interface AgentPresence {
  statusId: string;
  signedIn: boolean;
  /** Set when the agent picked a status by hand; capacity then no longer moves it. */
  manualStatusId: string | null;
  /** True from sign-in while the admin default (Away/Offline) holds, until the agent picks a status. */
  holdingDefault: boolean;
  inactive: boolean;
  lastActivityAt: EpochMs;
  disconnectedAt: EpochMs | null;
  /** Disconnected longer than the grace period: routed as Offline until reconnect. */
  connectionLost: boolean;
  load: CapacityLoad;
}

export type PresenceEvent =
  | { type: 'signIn'; at: EpochMs }
  | { type: 'signOut'; at: EpochMs }
  | { type: 'setStatus'; statusId: string; at: EpochMs }
  | { type: 'activity'; at: EpochMs }
  | { type: 'capacity'; load: CapacityLoad }
  | { type: 'disconnect'; at: EpochMs }
  | { type: 'reconnect'; at: EpochMs }
  | { type: 'tick'; at: EpochMs };

export function statusById(settings: PresenceSettings, id: string): PresenceStatus | undefined {
  return settings.statuses.find((s) => s.id === id) ?? BUILT_IN_STATUSES.find((s) => s.id === id);
}

export function baseOf(settings: PresenceSettings, statusId: string): PresenceBase {
  return statusById(settings, statusId)?.base ?? 'Offline';
}

export function loadOf(usedUnits: number, maxUnits: number): CapacityLoad {
  if (usedUnits <= 0) return 'none';
  return usedUnits >= maxUnits ? 'full' : 'partial';
}

function defaultIsRestrictive(settings: PresenceSettings): boolean {
  const b = baseOf(settings, settings.defaultStatusId);
  return b === 'Away' || b === 'Offline';
}

function capacityStatus(load: CapacityLoad): string {
  return load === 'none' ? 'Available' : load === 'partial' ? 'Busy' : 'DoNotDisturb';
}

function effective(s: AgentPresence, settings: PresenceSettings): string {
  if (!s.signedIn || s.connectionLost) return 'Offline';
  if (s.inactive) return settings.inactiveStatusId;
  if (s.manualStatusId) return s.manualStatusId;
  if (s.holdingDefault) return settings.defaultStatusId;
  return capacityStatus(s.load);
}

export function signedOutPresence(at: EpochMs = 0): AgentPresence {
  return {
    statusId: 'Offline',
    signedIn: false,
    manualStatusId: null,
    holdingDefault: false,
    inactive: false,
    lastActivityAt: at,
    disconnectedAt: null,
    connectionLost: false,
    load: 'none',
  };
}

// Fresh start after sign-in or a long disconnect: any manual choice is forgotten.
function recomputed(s: AgentPresence, settings: PresenceSettings, at: EpochMs): AgentPresence {
  return {
    ...s,
    signedIn: true,
    manualStatusId: null,
    holdingDefault: defaultIsRestrictive(settings),
    inactive: false,
    lastActivityAt: at,
    disconnectedAt: null,
    connectionLost: false,
  };
}

export function reducePresence(state: AgentPresence, event: PresenceEvent, settings: PresenceSettings): AgentPresence {
  let s: AgentPresence;
  switch (event.type) {
    case 'signIn':
      s = recomputed(state, settings, event.at);
      break;
    case 'signOut':
      s = { ...signedOutPresence(event.at), load: state.load };
      break;
    case 'setStatus': {
      if (!state.signedIn) return state;
      const base = baseOf(settings, event.statusId);
      // Picking an Available status hands control back to capacity; anything else is an override.
      const manual = base === 'Available' && event.statusId === 'Available' ? null : event.statusId;
      s = { ...state, manualStatusId: manual, holdingDefault: false, inactive: false, lastActivityAt: event.at };
      break;
    }
    case 'activity':
      if (!state.signedIn) return state;
      s = { ...state, inactive: false, lastActivityAt: event.at };
      break;
    case 'capacity':
      s = { ...state, load: event.load };
      break;
    case 'disconnect':
      if (!state.signedIn || state.disconnectedAt !== null) return state;
      s = { ...state, disconnectedAt: event.at };
      break;
    case 'reconnect': {
      if (state.disconnectedAt === null) return state;
      const away = event.at - state.disconnectedAt;
      s =
        away < settings.disconnectGraceSeconds * 1000
          ? { ...state, disconnectedAt: null, connectionLost: false, lastActivityAt: event.at }
          : recomputed(state, settings, event.at);
      break;
    }
    case 'tick': {
      s = state;
      if (s.signedIn && s.disconnectedAt !== null && event.at - s.disconnectedAt >= settings.disconnectGraceSeconds * 1000) {
        s = { ...s, connectionLost: true };
      }
      if (s.signedIn && !s.inactive && s.disconnectedAt === null && event.at - s.lastActivityAt >= settings.inactivityTimeoutSeconds * 1000) {
        s = { ...s, inactive: true, manualStatusId: null };
      }
      break;
    }
  }
  const statusId = effective(s, settings);
  return statusId === s.statusId ? s : { ...s, statusId };
}

export function presenceBase(state: AgentPresence, settings: PresenceSettings): PresenceBase {
  return baseOf(settings, state.statusId);
}

/**
 * When a 'tick' could next change this agent's presence (inactivity or the end of the
 * disconnect grace), so a worker can schedule one timer instead of polling every agent.
 */
export function nextPresenceDeadline(state: AgentPresence, settings: PresenceSettings): EpochMs | null {
  if (!state.signedIn) return null;
  if (state.disconnectedAt !== null) return state.connectionLost ? null : state.disconnectedAt + settings.disconnectGraceSeconds * 1000;
  if (state.inactive) return null;
  return state.lastActivityAt + settings.inactivityTimeoutSeconds * 1000;
}
