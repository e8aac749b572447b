import { boot, type SwitchboardApi } from './widget';

type Queued = [keyof SwitchboardApi, ...unknown[]];
type Global = Window & { Switchboard?: SwitchboardApi | { q?: Queued[] } };

// Entry of dist/widget.js. `async` scripts still have document.currentScript
// while they run; the attribute lookup is for loaders that inject the tag.
function main(): void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return;
  const win = window as Global;
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[data-widget-id][src*="widget"]');
  if (!script) return;
  const api = boot(window, script);
  if (!api) return;
  // Calls a page made before this async script arrived (see README snippet) are replayed in order.
  const before = win.Switchboard as { q?: Queued[] } | undefined;
  win.Switchboard = api;
  for (const [method, ...args] of before?.q ?? []) {
    const fn = api[method] as unknown as ((...a: unknown[]) => unknown) | undefined;
    if (typeof fn === 'function') fn(...args);
  }
  window.dispatchEvent(new CustomEvent('switchboard:ready', { detail: api }));
}

main();
