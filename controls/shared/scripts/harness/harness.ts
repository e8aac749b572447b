// Runs a built control bundle the way the host does: the bundle registers its
// constructor, the harness creates it with a mock context, calls init and updateView,
// and renders the returned element with the platform's ReactDOM.
import { parseResx } from '../../src/testing/resx';
import { scenarios } from './scenarios';

type Ctor = new () => ComponentFramework.ReactControl<unknown, unknown>;
const registered = new Map<string, Ctor>();
const w = window as unknown as Record<string, unknown>;
w.ComponentFramework = { registerControl: (name: string, ctor: Ctor) => registered.set(name, ctor) };

interface ReactDomLike {
  render(el: unknown, node: Element): void;
  unmountComponentAtNode(node: Element): boolean;
}

export interface RunOptions {
  control: keyof typeof scenarios;
  resx: string;
  languageId?: number;
  messages?: number;
  width?: number;
  /** Host in dark mode: context.fluentDesignLanguage carries Fluent's dark theme. */
  dark?: boolean;
  /** A scenario's variant (the pane: 'consult', 'transferred'). */
  variant?: string;
}

function prepare(opts: RunOptions) {
  const ctor = registered.get(`Switchboard.${opts.control}`);
  if (!ctor) throw new Error(`control ${opts.control} did not register`);
  const strings = parseResx(opts.resx);
  return { ctor, mounted: scenarios[opts.control](strings, Date.now(), opts.languageId ?? 1033, opts.messages ?? 0, opts.variant ?? '') };
}

function mountAll(opts: RunOptions, root: HTMLElement, prepared = prepare(opts)): HTMLElement[] {
  const { ctor, mounted } = prepared;
  const ReactDOM = w.ReactDOMv16 as ReactDomLike;
  return mounted.map(({ mock }) => {
    const host = document.createElement('div');
    host.className = 'control-host';
    if (opts.width) host.style.width = `${opts.width}px`;
    root.appendChild(host);
    if (opts.dark) {
      const fluent = w.FluentUIReactv940 as { webDarkTheme: unknown };
      (mock.context as { fluentDesignLanguage?: unknown }).fluentDesignLanguage = { tokenTheme: fluent.webDarkTheme, isDarkTheme: true };
    }
    const control = new ctor();
    control.init(mock.context, mock.notifyOutputChanged, {}, host as HTMLDivElement);
    ReactDOM.render(control.updateView(mock.context), host);
    return host;
  });
}

w.SwitchboardHarness = {
  run(opts: RunOptions): number {
    const root = document.getElementById('root')!;
    return mountAll(opts, root).length;
  },
  /** Mount the pane with `messages` rows and resolve with ms until the newest row is on screen. */
  measure(opts: RunOptions): Promise<number> {
    const root = document.getElementById('root')!;
    const ReactDOM = w.ReactDOMv16 as ReactDomLike;
    [...root.children].forEach((c) => {
      ReactDOM.unmountComponentAtNode(c);
      c.remove();
    });
    const last = `Message ${opts.messages}:`;
    // Seeding the in-memory Web API is test setup, not rendering: it happens before the clock starts.
    const prepared = prepare(opts);
    return new Promise((resolve) => {
      const start = performance.now();
      mountAll(opts, root, prepared);
      const check = () => {
        const items = root.querySelectorAll('[role="listitem"]');
        const lastItem = items[items.length - 1];
        if (lastItem && lastItem.textContent?.includes(last)) {
          // Wait for the frame that paints it.
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
        } else requestAnimationFrame(check);
      };
      check();
    });
  },
};
