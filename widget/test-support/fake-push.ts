import type { PushEvent, PushState } from '@switchboard/core';
import type { PushClientLike } from '../src/chat-session';

// A push client the test drives by hand, with the real one's states: start() negotiates,
// a null URL leaves it 'off' (push not configured), a URL waits in 'connecting' until the
// test says `connected()`; `drop()` is the socket lost ('down'), `connected()` again is the
// reconnect. Events are delivered only while connected, as the service would.
export class FakePush implements PushClientLike {
  private current: PushState = 'off';
  private readonly eventListeners = new Set<(event: PushEvent) => void>();
  private readonly stateListeners = new Set<(state: PushState) => void>();
  /** What each negotiate answered (a throw is recorded as 'error'). */
  readonly negotiated: (string | null | 'error')[] = [];
  started = 0;
  stopped = 0;

  constructor(private readonly negotiate: () => Promise<string | null>) {}

  get state(): PushState {
    return this.current;
  }

  start(): void {
    if (this.current !== 'off') return;
    this.started++;
    this.set('connecting');
    this.negotiate().then(
      (url) => {
        this.negotiated.push(url);
        if (url === null) this.stop();
      },
      () => {
        this.negotiated.push('error');
        this.set('down');
      },
    );
  }

  stop(): void {
    this.stopped++;
    this.set('off');
  }

  onEvent(listener: (event: PushEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (state: PushState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** The service's "connected" frame arrived (first time or after a reconnect). */
  connected(): void {
    this.set('connected');
  }

  /** The socket closed; the real client retries with backoff meanwhile. */
  drop(): void {
    this.set('down');
  }

  emit(event: PushEvent): void {
    if (this.current !== 'connected') throw new Error('events only arrive while connected');
    for (const listener of [...this.eventListeners]) listener(event);
  }

  get listening(): number {
    return this.eventListeners.size + this.stateListeners.size;
  }

  private set(state: PushState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
