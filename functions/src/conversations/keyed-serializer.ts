// Runs work for the same key one after another inside this process, and work for different
// keys side by side. Twenty messages a customer sends to one conversation at once would
// otherwise all read the same counter and fight over it with If-Match: each round one wins
// and the rest read again, so n writers cost O(n²) requests and the last ones can run out of
// attempts. Queued here they cost one round each; other instances still race, and the
// If-Match claim stays the guard between them.
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once nothing more is queued behind this work, so the map stays small.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
