import type { Timers } from '../src/chat-session';

// Hand-cranked clock for the session tests: nothing waits on real time.
export class ManualTimers implements Timers {
  now = Date.parse('2026-11-24T10:00:00Z');
  private seq = 0;
  private tasks: { id: number; at: number; fn: () => void; ms: number }[] = [];

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.tasks.push({ id, at: this.now + ms, fn, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((t) => t.id !== handle);
  }

  /** Delays of the timers currently waiting, soonest first. */
  get scheduled(): number[] {
    return [...this.tasks].sort((a, b) => a.at - b.at).map((t) => t.at - this.now);
  }

  /** Moves time forward, running due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    await settle();
    for (;;) {
      const due = [...this.tasks].sort((a, b) => a.at - b.at)[0];
      if (!due || due.at > end) break;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
      await settle();
    }
    this.now = end;
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

export class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}
