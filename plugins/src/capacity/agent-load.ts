// An agent's capacity in use, recomputed from the rows that hold it (Active and Wrap-up
// conversations where they are primary, pending offers) instead of adding and subtracting.
// Recomputing is idempotent, so a retried webhook or two racing steps cannot release the same
// conversation twice, and a missed event heals on the next one.
import {
  type AgentPresence,
  type CapacityLoadItem,
  DEFAULT_PRESENCE_SETTINGS,
  type EpochMs,
  type PresenceBase,
  type PresenceSettings,
  type WrapUpBlocking,
  loadOf,
  presenceBase,
  presenceBaseOf,
  reducePresence,
  usageOf,
  wrapUpReleaseAt,
} from '@switchboard/core';
import {
  AgentConnectionState,
  ConversationState,
  WrapUpBlocking as WrapUpBlockingChoice,
  type AgentStatusRow,
  type ConversationRow,
  type WorkstreamRow,
} from '@switchboard/solution';

/** The workstream's wrap-up rule; a workstream that says nothing blocks until closed, as the commercial product does. */
export function wrapUpBlockingOf(ws: Pick<WorkstreamRow, 'swb_wrapupblocking' | 'swb_wrapupseconds'> | null): WrapUpBlocking {
  switch (ws?.swb_wrapupblocking) {
    case WrapUpBlockingChoice.Never:
      return { kind: 'never' };
    case WrapUpBlockingChoice.ForDuration:
      return { kind: 'seconds', seconds: Math.max(0, ws.swb_wrapupseconds ?? 0) };
    default:
      return { kind: 'always' };
  }
}

export function unitsOf(ws: Pick<WorkstreamRow, 'swb_capacityunits'> | null): number {
  return Math.max(0, ws?.swb_capacityunits ?? 1);
}

export interface HeldConversation {
  conversation: Pick<ConversationRow, 'activityid' | 'swb_state' | 'swb_wrapupon'>;
  workstream: Pick<WorkstreamRow, 'swb_wrapupblocking' | 'swb_wrapupseconds' | 'swb_capacityunits' | '_swb_capacityprofileid_value'> | null;
}

export interface OfferedConversation {
  conversationId: string;
  workstream: HeldConversation['workstream'];
}

export interface AgentLoad {
  items: CapacityLoadItem[];
  usedUnits: number;
  /** Earliest future moment a wrap-up stops holding capacity (blocking for a set time). */
  nextReleaseAt: EpochMs | null;
}

export function agentLoad(held: readonly HeldConversation[], offered: readonly OfferedConversation[], now: EpochMs): AgentLoad {
  const items: CapacityLoadItem[] = [];
  let nextReleaseAt: EpochMs | null = null;
  for (const { conversation, workstream } of held) {
    const base = { conversationId: conversation.activityid, units: unitsOf(workstream), ...(workstream?._swb_capacityprofileid_value ? { profileId: workstream._swb_capacityprofileid_value } : {}) };
    if (conversation.swb_state === ConversationState.Active) {
      items.push({ ...base, phase: 'active' });
    } else if (conversation.swb_state === ConversationState.WrapUp) {
      // A wrap-up without its time stamp is treated as starting now: it keeps holding until stamped.
      const wrapUpOn = conversation.swb_wrapupon ? Date.parse(conversation.swb_wrapupon) : now;
      const releaseAt = wrapUpReleaseAt(wrapUpBlockingOf(workstream), wrapUpOn);
      if (releaseAt === null || releaseAt > now) items.push({ ...base, phase: 'wrapup' });
      if (releaseAt !== null && releaseAt > now) nextReleaseAt = nextReleaseAt === null ? releaseAt : Math.min(nextReleaseAt, releaseAt);
    }
  }
  for (const o of offered) {
    items.push({ conversationId: o.conversationId, units: unitsOf(o.workstream), ...(o.workstream?._swb_capacityprofileid_value ? { profileId: o.workstream._swb_capacityprofileid_value } : {}), phase: 'offered' });
  }
  return { items, usedUnits: usageOf(items).usedUnits, nextReleaseAt };
}

/**
 * The presence the agent should show once their load is `usedUnits`, through core's reducer.
 * The row keeps only the outcome of earlier events, so the reducer's state is rebuilt from it:
 * a manual choice stays manual, an Away that was not chosen is taken as inactivity (capacity
 * does not lift it), and a restrictive admin default keeps holding.
 */
export function presenceAfterLoad(row: Pick<AgentStatusRow, 'swb_basepresence' | 'swb_manualoverride' | 'swb_connectionstate' | 'swb_defaultpresence' | 'swb_capacitymax'>, usedUnits: number, now: EpochMs): PresenceBase {
  const current = presenceBaseOf(row.swb_basepresence) ?? 'Offline';
  const defaultBase = presenceBaseOf(row.swb_defaultpresence) ?? 'Available';
  const settings: PresenceSettings = { ...DEFAULT_PRESENCE_SETTINGS, defaultStatusId: defaultBase };
  const signedIn = row.swb_connectionstate !== AgentConnectionState.SignedOut && current !== 'Offline';
  const manual = row.swb_manualoverride ? current : null;
  const holdingDefault = !manual && (defaultBase === 'Away' || defaultBase === 'Offline') && current === defaultBase;
  const state: AgentPresence = {
    statusId: current,
    signedIn,
    manualStatusId: manual,
    holdingDefault,
    inactive: signedIn && !manual && !holdingDefault && current === 'Away',
    lastActivityAt: now,
    disconnectedAt: null,
    connectionLost: false,
    load: 'none',
  };
  const next = reducePresence(state, { type: 'capacity', load: loadOf(usedUnits, row.swb_capacitymax ?? 0) }, settings);
  return presenceBase(next, settings);
}
