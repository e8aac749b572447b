import * as React from 'react';

/** Current time, refreshed every `everyMs` while mounted: drives timers and countdowns. */
export function useNow(everyMs = 1000, clock: () => number = Date.now): number {
  const [now, setNow] = React.useState(clock);
  React.useEffect(() => {
    const handle = setInterval(() => setNow(clock()), everyMs);
    return () => clearInterval(handle);
  }, [everyMs, clock]);
  return now;
}
