// How every dev/ CLI (emulator, functions host, stand-ins) lives and dies: the first SIGINT or
// SIGTERM closes what it started, once, and exits 0 (1 if closing failed); a failure to start
// prints its message and exits 1.

/** Closes once on SIGINT or SIGTERM, then exits. */
export function closeOnSignals(close: () => Promise<unknown>): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Runs a CLI's main: a failure prints its message (not a stack) and exits 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
