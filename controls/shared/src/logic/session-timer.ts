// The timer's semantics live in core (sessionTimer); this only turns Web API rows into
// core's input: choice values to state names, ISO strings to epoch ms.
import { sessionTimer, type ConversationState as CoreState, type SessionTimerReading } from '@switchboard/core';
import { ConversationState, SessionState, nameOf } from '../model/choices';
import type { ConversationRow, SessionRow } from '../model/rows';

export type { SessionTimerReading };

/**
 * Core's reading, or 'left': the agent's own session is over (transferred away, or a consult
 * that ended) while the conversation goes on with others. Their clock stops where they left.
 */
export type TimerReading = SessionTimerReading | { phase: 'left'; since: number | null; elapsedMs: number; running: false };

function ms(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

export function timerFromRows(
  row: Pick<ConversationRow, 'swb_state' | 'swb_openedon' | 'createdon' | 'swb_activeon' | 'swb_firstassignedon' | 'swb_wrapupon' | 'swb_closedon' | 'swb_reopenedon'>,
  session: Partial<Pick<SessionRow, 'swb_joinedon' | 'swb_wrapupon' | 'swb_lefton' | 'swb_state' | 'createdon'>> | undefined,
  now: number,
): TimerReading {
  // A consult session is created by the inviting pane without swb_joinedon (a server time):
  // its createdon is when the consultant joined.
  const joined = ms(session?.swb_joinedon) ?? ms(session?.createdon);
  if (session?.swb_state === SessionState.Closed && row.swb_state !== ConversationState.Closed) {
    const end = ms(session.swb_lefton) ?? now;
    return { phase: 'left', since: joined ?? null, elapsedMs: joined === undefined ? 0 : Math.max(0, end - joined), running: false };
  }
  const state = (nameOf(ConversationState, row.swb_state) ?? 'Open') as CoreState;
  return sessionTimer(
    {
      state,
      timestamps: {
        openedOn: ms(row.swb_openedon) ?? ms(row.createdon) ?? now,
        firstAssignedOn: ms(row.swb_firstassignedon),
        activeOn: ms(row.swb_activeon),
        wrapUpOn: ms(session?.swb_wrapupon) ?? ms(row.swb_wrapupon),
        closedOn: ms(row.swb_closedon),
        reopenedOn: ms(row.swb_reopenedon),
      },
      sessionOpenedOn: joined,
    },
    now,
  );
}

/** 'H:MM:SS' or 'M:SS', the one duration format of every control (core's). */
export { formatElapsed as formatDuration } from '@switchboard/core';
