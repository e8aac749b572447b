import { formatElapsed, sessionTimer } from './session-timer';

describe('session timer', () => {
  test('counts from when the session tab opened', () => {
    expect(sessionTimer({ state: 'Active', timestamps: { openedOn: 0, activeOn: 1000 }, sessionOpenedOn: 2000 }, 65_000)).toEqual({ phase: 'session', since: 2000, elapsedMs: 63_000, running: true });
  });

  test('defaults to when the conversation became Active', () => {
    expect(sessionTimer({ state: 'Active', timestamps: { openedOn: 0, activeOn: 1000 } }, 11_000).elapsedMs).toBe(10_000);
  });

  test('restarts on wrap-up and counts wrap-up time', () => {
    expect(sessionTimer({ state: 'WrapUp', timestamps: { openedOn: 0, activeOn: 1000, wrapUpOn: 50_000 } }, 80_000)).toEqual({ phase: 'wrapUp', since: 50_000, elapsedMs: 30_000, running: true });
  });

  test('freezes when closed', () => {
    const r = sessionTimer({ state: 'Closed', timestamps: { openedOn: 0, activeOn: 1000, wrapUpOn: 50_000, closedOn: 70_000 } }, 999_999);
    expect(r).toEqual({ phase: 'closed', since: 50_000, elapsedMs: 20_000, running: false });
  });

  test('restarts when a closed conversation is reopened, ignoring the old wrap-up', () => {
    const ts = { openedOn: 0, activeOn: 1000, wrapUpOn: 50_000, closedOn: 70_000, reopenedOn: 100_000 };
    expect(sessionTimer({ state: 'Open', timestamps: ts }, 130_000)).toEqual({ phase: 'session', since: 100_000, elapsedMs: 30_000, running: true });
    expect(sessionTimer({ state: 'Active', timestamps: { ...ts, activeOn: 110_000 } }, 130_000).since).toBe(110_000);
  });

  test('a conversation nobody has opened yet shows nothing running', () => {
    expect(sessionTimer({ state: 'Waiting', timestamps: { openedOn: 0 } }, 10)).toEqual({ phase: 'waiting', since: null, elapsedMs: 0, running: false });
  });

  test('formats as M:SS or H:MM:SS', () => {
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
    expect(formatElapsed(-5)).toBe('0:00');
  });
});
