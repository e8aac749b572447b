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
