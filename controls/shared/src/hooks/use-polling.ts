import * as React from 'react';

// Runs `tick` now and then every `intervalMs`, never two at once: a slow Dataverse
// answer must not pile requests up behind it. A hidden tab skips ticks; the next
// visible tick catches up because callers poll "from the last sequence", not deltas.
export function usePolling(tick: () => Promise<void>, intervalMs: number, enabled = true): void {
  const latest = React.useRef(tick);
  latest.current = tick;
  React.useEffect(() => {
    if (!enabled) return undefined;
    let running = false;
    let stopped = false;
    const run = async () => {
      if (running || stopped) return;
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      running = true;
      try {
        await latest.current();
      } catch {
        // Errors are surfaced by the tick itself (it owns the UI state); keep polling.
      } finally {
        running = false;
      }
    };
    void run();
    const handle = setInterval(() => void run(), Math.max(250, intervalMs));
    return () => {
      stopped = true;
      clearInterval(handle);
    };
  }, [intervalMs, enabled]);
}

/**
 * A read to run "now" on news: calls while one runs make exactly one more run after it, so a
 * burst of events costs two reads at most, never one each.
 */
export function useCoalesced(work: () => Promise<void>): () => Promise<void> {
  const latest = React.useRef(work);
  latest.current = work;
  const state = React.useRef<{ running: Promise<void> | null; again: boolean }>({ running: null, again: false });
  return React.useCallback(async () => {
    const s = state.current;
    if (s.running) {
      s.again = true;
      return s.running;
    }
    const run = async () => {
      do {
        s.again = false;
        try {
          await latest.current();
        } catch {
          // the work shows its own errors
        }
      } while (s.again);
      s.running = null;
    };
    s.running = run();
    return s.running;
  }, []);
}
