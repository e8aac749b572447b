import * as React from 'react';
import type { PushEvent, PushState } from '@switchboard/core';
import { pollIntervalMs, type AgentPush, type PollFloors } from '../push/agent-push';
import { useCoalesced, usePolling } from './use-polling';

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

/**
 * Polling that push makes rare: `tick` runs on the events `relevant` picks (a burst costs at most
 * two runs), on every (re)connection, and otherwise on `pollIntervalMs`'s schedule — the
 * configured interval without push, a minute while push is down, ten minutes while connected
 * (`floors` changes either). Returns the connection's state and the coalesced "run now".
 */
export function usePushedPolling(
  push: AgentPush | undefined,
  tick: () => Promise<void>,
  configuredMs: number,
  enabled: boolean,
  relevant: (event: PushEvent) => boolean,
  floors: PollFloors = {},
): { state: PushState | undefined; soon: () => Promise<void> } {
  const soon = useCoalesced(tick);
  const state = usePush(
    push,
    (e) => {
      if (enabled && relevant(e)) void soon();
    },
    () => {
      if (enabled) void soon();
    },
  );
  usePolling(tick, pollIntervalMs(state, configuredMs, floors), enabled);
  return { state, soon };
}
