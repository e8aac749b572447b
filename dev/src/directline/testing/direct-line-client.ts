// Drives the stand-in with the reference client, botframework-directlinejs, unmodified. The library
// is written for browsers (RxJS's AjaxObservable and the global WebSocket); its README, "Using
// from within a Node environment", says to provide xhr2 and ws as the globals — done here once.
import { ConnectionStatus, DirectLine, type Activity, type DirectLineOptions } from 'botframework-directlinejs';
import XHR2 from 'xhr2';
import { WebSocket as NodeWebSocket } from 'ws';

export { ConnectionStatus };
export type { Activity as ClientActivity };

export function installDirectLineGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g.XMLHttpRequest ??= XHR2;
  g.WebSocket ??= NodeWebSocket;
}

/** A DirectLine client whose activities and connection statuses are recorded as they come. */
export class ClientSession {
  readonly dl: DirectLine;
  readonly received: Activity[] = [];
  readonly statuses: ConnectionStatus[] = [];
  /** errors activity$ ended with (a refused start conversation, for one) */
  readonly errors: unknown[] = [];
  private readonly subscriptions: Array<{ unsubscribe(): void }> = [];
  private waiters: Array<() => void> = [];

  constructor(options: DirectLineOptions) {
    installDirectLineGlobals();
    this.dl = new DirectLine(options);
    this.subscriptions.push(
      this.dl.connectionStatus$.subscribe((s) => {
        this.statuses.push(s);
        this.wake();
      }),
      this.dl.activity$.subscribe({
        next: (a) => {
          this.received.push(a);
          this.wake();
        },
        error: (err: unknown) => {
          this.errors.push(err);
          this.wake();
        },
      }),
    );
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `ready()` holds (checked on every activity and status change). */
  until<T>(ready: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.received.map((a) => [a.type, (a as { text?: string }).text]))}`)), timeoutMs);
      const check = () => {
        const value = ready();
        if (value) {
          clearTimeout(timer);
          resolve(value);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  untilStatus(status: ConnectionStatus): Promise<true> {
    return this.until(() => this.statuses.includes(status) || undefined, `connection status ${ConnectionStatus[status]}`);
  }

  /** Activities from the bot (typing included), in arrival order. */
  fromBot(): Activity[] {
    return this.received.filter((a) => a.from.role === 'bot');
  }

  untilFromBot(count: number, timeoutMs?: number): Promise<Activity[]> {
    return this.until(() => (this.fromBot().length >= count ? this.fromBot() : undefined), `${count} activities from the bot`, timeoutMs);
  }

  /** postActivity as a promise: the id, or "retry" when the service answered 5xx/403, or an error. */
  post(activity: Activity): Promise<string> {
    return new Promise((resolve, reject) => {
      this.dl.postActivity(activity).subscribe({ next: (id: string) => resolve(id), error: (err: unknown) => reject(err) });
    });
  }

  say(text: string, extra: Partial<Activity> = {}): Promise<string> {
    return this.post({ type: 'message', from: { id: 'customer-1', name: 'Camille' }, text, ...extra } as Activity);
  }

  end(): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.dl.end();
  }
}
