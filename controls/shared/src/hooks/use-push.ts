import * as React from 'react';
import type { PushEvent, PushState } from '@switchboard/core';
import type { AgentPush } from '../push/agent-push';

/**
 * Listens to the shared push connection: `onEvent` for each event, `onCatchUp` each time it
 * (re)connects — the moment to read what may have been missed. Returns the connection's state.
 */
export function usePush(push: AgentPush | undefined, onEvent: (event: PushEvent) => void, onCatchUp?: () => void): PushState | undefined {
  const [state, setState] = React.useState<PushState | undefined>(push?.state);
  const latest = React.useRef({ onEvent, onCatchUp });
  latest.current = { onEvent, onCatchUp };
  React.useEffect(() => {
    if (!push) return undefined;
    setState(push.state);
    const offEvent = push.onEvent((e) => latest.current.onEvent(e));
    const offState = push.onState((s) => {
      setState(s);
      if (s === 'connected') latest.current.onCatchUp?.();
    });
    return () => {
      offEvent();
      offState();
    };
  }, [push]);
  return state;
}
