// The number the PCF SessionTimer shows. Pure so the control, reports and tests agree:
// it counts from when the session opened, restarts when wrap-up starts (then counts wrap-up
// time), and restarts when a closed conversation is reopened.
import type { EpochMs } from '../time';
import type { ConversationState, ConversationTimestamps } from './conversation-lifecycle';

export interface SessionTimerInput {
  state: ConversationState;
  timestamps: ConversationTimestamps;
  /** When this agent's session tab opened; defaults to when the conversation became Active. */
  sessionOpenedOn?: EpochMs;
}

export type SessionTimerPhase = 'waiting' | 'session' | 'wrapUp' | 'closed';

export interface SessionTimerReading {
  phase: SessionTimerPhase;
  /** When the current count started; null while nothing counts. */
  since: EpochMs | null;
  elapsedMs: number;
  /** False once closed: the shown value is frozen. */
  running: boolean;
}

export function sessionTimer(input: SessionTimerInput, now: EpochMs): SessionTimerReading {
  const ts = input.timestamps;
  const reopened = ts.reopenedOn ?? -Infinity;
  // Timestamps from before a reopen belong to the previous life of the conversation.
  const after = (t: EpochMs | undefined) => (t !== undefined && t >= reopened ? t : undefined);
  const sessionStart = Math.max(after(input.sessionOpenedOn) ?? after(ts.activeOn) ?? -Infinity, reopened);
  const wrapUp = after(ts.wrapUpOn);
  const reading = (phase: SessionTimerPhase, since: number, end: EpochMs, running: boolean): SessionTimerReading =>
    Number.isFinite(since) ? { phase, since, elapsedMs: Math.max(0, end - since), running } : { phase, since: null, elapsedMs: 0, running: false };

  switch (input.state) {
    case 'Open':
    case 'Waiting':
      if (!Number.isFinite(sessionStart)) return { phase: 'waiting', since: null, elapsedMs: 0, running: false };
      return reading('session', sessionStart, now, true);
    case 'Active':
      return reading('session', sessionStart, now, true);
    case 'WrapUp':
      return reading('wrapUp', wrapUp ?? sessionStart, now, true);
    case 'Closed': {
      const end = ts.closedOn ?? now;
      return wrapUp !== undefined ? reading('closed', wrapUp, end, false) : reading('closed', sessionStart, end, false);
    }
  }
}

/** 'H:MM:SS' or 'M:SS', the format the control shows. */
export function formatElapsed(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
