// A push connection the test drives: it emits the events a test chooses, changes state on
// demand and records what the control sends. Installed in the window's registry under a user,
// it is what every control of that user on the page gets from pushOf(context).
import type { PushEvent, PushState } from '@switchboard/core';
import type { AgentPush } from '../push/agent-push';

export class FakePush implements AgentPush {
  state: PushState;
  readonly sent: { name: string; data: unknown }[] = [];
  private readonly events = new Set<(event: PushEvent) => void>();
  private readonly states = new Set<(state: PushState) => void>();

  constructor(state: PushState = 'connected') {
    this.state = state;
  }

  onEvent(listener: (event: PushEvent) => void): () => void {
    this.events.add(listener);
    return () => this.events.delete(listener);
  }

  onState(listener: (state: PushState) => void): () => void {
    this.states.add(listener);
    return () => this.states.delete(listener);
  }

  sendEvent(name: string, data: unknown): boolean {
    if (this.state !== 'connected') return false;
    this.sent.push({ name, data });
    return true;
  }

  emit(event: PushEvent): void {
    for (const l of [...this.events]) l(event);
  }

  become(state: PushState): void {
    this.state = state;
    for (const l of [...this.states]) l(state);
  }

  get listeners(): number {
    return this.events.size;
  }
}

const REGISTRY = '__switchboardPush';

/** Puts `push` where pushOf(context) finds it for this user; returns a function that takes it away. */
export function installPush(userId: string, push: AgentPush, host: object = window): () => void {
  const bag = host as Record<string, Map<string, AgentPush> | undefined>;
  const registry = (bag[REGISTRY] ??= new Map());
  const key = userId.toLowerCase();
  const before = registry.get(key);
  registry.set(key, push);
  return () => {
    if (before) registry.set(key, before);
    else registry.delete(key);
  };
}

/**
 * For a describe block: a connected FakePush installed for `userId` before each test and taken
 * away after it; the returned function gives the current one.
 */
export function fakePushPerTest(userId: string, state: PushState = 'connected'): () => FakePush {
  let push = new FakePush(state);
  let uninstall = () => {};
  beforeEach(() => {
    push = new FakePush(state);
    uninstall = installPush(userId, push);
  });
  afterEach(() => uninstall());
  return () => push;
}
