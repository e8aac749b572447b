// The timer's semantics live in core (sessionTimer); this only turns Web API rows into
// core's input: choice values to state names, ISO strings to epoch ms.
import { sessionTimer, type ConversationState as CoreState, type SessionTimerReading } from '@switchboard/core';
import { ConversationState, nameOf } from '../model/choices';
import type { ConversationRow, SessionRow } from '../model/rows';

export type { SessionTimerReading };

function ms(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

export function timerFromRows(
  row: Pick<ConversationRow, 'swb_state' | 'swb_openedon' | 'createdon' | 'swb_activeon' | 'swb_firstassignedon' | 'swb_wrapupon' | 'swb_closedon' | 'swb_reopenedon'>,
  session: Pick<SessionRow, 'swb_joinedon' | 'swb_wrapupon' | 'createdon'> | undefined,
  now: number,
): SessionTimerReading {
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
      // A consult session is created by the inviting pane without swb_joinedon (a server time):
      // its createdon is when the consultant joined.
      sessionOpenedOn: ms(session?.swb_joinedon) ?? ms(session?.createdon),
    },
    now,
  );
}

/** 'H:MM:SS' or 'M:SS', the one duration format of every control (core's). */
export { formatElapsed as formatDuration } from '@switchboard/core';
