// One push connection per signed-in user and browser window, shared by every Switchboard control
// on the page (the inbox, the pane, the timer, the summary — each its own bundle): the registry
// lives on the window, keyed by user, so a form with four controls opens one socket and asks for
// one ticket. Each control listens for what concerns it and reads its rows itself.
import { PushClient, type PushEvent, type PushState, type SocketLike } from '@switchboard/core';
import { userIdOf } from '../pcf/record-id';
import { requestPushAddress } from './push-ticket';

export interface AgentPush {
  readonly state: PushState;
  onEvent(listener: (event: PushEvent) => void): () => void;
  onState(listener: (state: PushState) => void): () => void;
  sendEvent(name: string, data: unknown): boolean;
}

/** What the host page gives: its window (the registry and the socket constructor live there). */
export interface PushHost {
  WebSocket?: new (url: string, protocol: string) => unknown;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REGISTRY = '__switchboardPush';

export function agentPush(host: PushHost, userId: string, negotiate: () => Promise<string | null>): AgentPush | undefined {
  const Socket = host.WebSocket;
  if (!Socket) return undefined;
  const bag = host as unknown as Record<string, Map<string, PushClient> | undefined>;
  const registry = (bag[REGISTRY] ??= new Map<string, PushClient>());
  const key = userId.toLowerCase();
  let client = registry.get(key);
  if (!client) {
    client = new PushClient({
      negotiate,
      openSocket: (url, protocol) => new Socket(url, protocol) as SocketLike,
      timers: { setTimeout: (fn, ms) => host.setTimeout(fn, ms), clearTimeout: (h) => host.clearTimeout(h) },
      random: Math.random,
    });
    registry.set(key, client);
    client.start();
  }
  return client;
}

/**
 * How often a control still polls, given the push connection: rarely while connected (a safety
 * net for an event lost between the service and the socket), at least a minute while push is
 * down (it reconnects meanwhile), and as configured where there is no push at all.
 */
export function pollIntervalMs(state: PushState | undefined, configuredMs: number): number {
  switch (state) {
    case 'connected':
      return Math.max(configuredMs, 10 * 60_000);
    case 'down':
      return Math.max(configuredMs, 60_000);
    default:
      return configuredMs;
  }
}

/** The shared connection for the user of this control's context (a PCF index.ts passes its window). */
export function pushForUser(api: Pick<ComponentFramework.WebApi, 'createRecord' | 'retrieveRecord' | 'deleteRecord'>, userId: string, host: PushHost | undefined): AgentPush | undefined {
  if (!host) return undefined;
  return agentPush(host, userId, () => requestPushAddress({ api, sleep: (ms) => new Promise((resolve) => host.setTimeout(resolve, ms)) }));
}

/** The page's shared connection for the control's signed-in user (a PCF index.ts calls it in init). */
export function pushOf(context: ComponentFramework.Context<unknown>): AgentPush | undefined {
  return pushForUser(context.webAPI, userIdOf(context), typeof window === 'undefined' ? undefined : window);
}
