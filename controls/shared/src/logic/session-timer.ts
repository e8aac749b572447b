// Session timer semantics (DESIGN.md): time since the session opened; on wrap-up it
// restarts and counts wrap-up time; a closed and reopened conversation restarts it.
// Everything derives from row timestamps, so a page refresh never resets the clock.
// Small and pure on purpose: it moves to core/ once the lifecycle module lands there.
import { ConversationState } from '../model/choices';

export type TimerPhase = 'waiting' | 'active' | 'wrapup' | 'closed';

export interface TimerInput {
  state: number | null | undefined;
  openedOn?: string | null;
  activeOn?: string | null;
  /** This agent's session joined-on, when there is one: the tab opened then. */
  joinedOn?: string | null;
  wrapUpOn?: string | null;
  closedOn?: string | null;
  reopenedOn?: string | null;
}

export interface TimerReading {
  phase: TimerPhase;
  /** Epoch ms the running clock counts from; null when stopped or unknown. */
  startedAt: number | null;
  /** For a stopped clock: the duration it shows (wrap-up length of a closed conversation). */
  frozenMs: number | null;
}

function ms(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function latest(...values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? Math.max(...present) : null;
}

export function readTimer(input: TimerInput): TimerReading {
  const reopened = ms(input.reopenedOn);
  switch (input.state) {
    case ConversationState.Closed: {
      const wrap = ms(input.wrapUpOn);
      const closed = ms(input.closedOn);
      const frozen = wrap !== null && closed !== null && closed >= wrap ? closed - wrap : null;
      return { phase: 'closed', startedAt: null, frozenMs: frozen };
    }
    case ConversationState.WrapUp: {
      // A wrap-up stamp older than the reopen belongs to the previous round.
      const wrap = ms(input.wrapUpOn);
      const start = wrap !== null && (reopened === null || wrap >= reopened) ? wrap : reopened;
      return { phase: 'wrapup', startedAt: start, frozenMs: null };
    }
    case ConversationState.Active: {
      const base = ms(input.joinedOn) ?? ms(input.activeOn) ?? ms(input.openedOn);
      return { phase: 'active', startedAt: latest(base, reopened), frozenMs: null };
    }
    default:
      return { phase: 'waiting', startedAt: latest(ms(input.openedOn), reopened), frozenMs: null };
  }
}

/** Milliseconds the clock shows at `now`; never negative even when the client clock lags the server's. */
export function elapsedMs(reading: TimerReading, now: number): number {
  if (reading.startedAt === null) return reading.frozenMs ?? 0;
  return Math.max(0, now - reading.startedAt);
}

/** "4:07", "1:02:09": minutes and seconds, hours only when there are some. */
export function formatDuration(totalMs: number): string {
  const total = Math.floor(Math.max(0, totalMs) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
