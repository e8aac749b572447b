// One push connection per signed-in user and browser window, shared by every Switchboard control
// on the page (the inbox, the pane, the timer, the summary — each its own bundle): the registry
// lives on the window, keyed by user, so a form with four controls opens one socket and asks for
// one ticket. Each control listens for what concerns it and reads its rows itself.
import { pushClientFor, type PushClient, type PushEvent, type PushHost, type PushState } from '@switchboard/core';
import { userIdOf } from '../pcf/record-id';
import { requestPushAddress } from './push-ticket';

export interface AgentPush {
  readonly state: PushState;
  onEvent(listener: (event: PushEvent) => void): () => void;
  onState(listener: (state: PushState) => void): () => void;
  sendEvent(name: string, data: unknown): boolean;
}

export type { PushHost };

const REGISTRY = '__switchboardPush';

export function agentPush(host: PushHost, userId: string, negotiate: () => Promise<string | null>): AgentPush | undefined {
  const bag = host as unknown as Record<string, Map<string, PushClient> | undefined>;
  const registry = (bag[REGISTRY] ??= new Map<string, PushClient>());
  const key = userId.toLowerCase();
  const known = registry.get(key);
  if (known) return known;
  const client = pushClientFor(host, negotiate);
  if (!client) return undefined;
  registry.set(key, client);
  client.start();
  return client;
}

/** The least a control waits between polls while push is connected, and while it is down. */
export interface PollFloors {
  connectedMs?: number;
  downMs?: number;
}

/**
 * How often a control still polls, given the push connection: rarely while connected (a safety
 * net for an event lost between the service and the socket; ten minutes unless the control's
 * figures age faster), at least a minute while push is
 * down (it reconnects meanwhile), and as configured where there is no push at all.
 */
export function pollIntervalMs(state: PushState | undefined, configuredMs: number, floors: PollFloors = {}): number {
  switch (state) {
    case 'connected':
      return Math.max(configuredMs, floors.connectedMs ?? 10 * 60_000);
    case 'down':
      return Math.max(configuredMs, floors.downMs ?? 60_000);
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
