// In the page: the production SupervisorDesk bundle created the way the host creates it, with
// the mock context over an in-memory Web API seeded with a busy floor. Seeding is set-up, not
// rendering: it happens before the clock starts.
import { InMemoryWebApi, createMockContext, prop, parseResx } from '../../shared/src/testing';
import { floorFixture } from './floor-fixture';

type Ctor = new () => ComponentFramework.ReactControl<unknown, unknown>;
const registered = new Map<string, Ctor>();
const w = window as unknown as Record<string, unknown>;
w.ComponentFramework = { registerControl: (name: string, ctor: Ctor) => registered.set(name, ctor) };

interface ReactDomLike {
  render(el: unknown, node: Element): void;
  unmountComponentAtNode(node: Element): boolean;
}

export interface DeskRun {
  resx: string;
  languageId?: number;
  agents: number;
  conversations: number;
  closedToday?: number;
  width: number;
  height: number;
  dark?: boolean;
}

function prepare(o: DeskRun) {
  const now = Date.now();
  const f = floorFixture(now, { agents: o.agents, conversations: o.conversations, closedToday: o.closedToday ?? 0 });
  const api = new InMemoryWebApi();
  const members = (q: string) => [{ systemuserid: f.supervisorId, fullname: 'Sam Leroy' }, ...f.agents.filter((a) => a.queues.includes(q)).map((a) => ({ systemuserid: a.id, fullname: a.name }))];
  api.put('systemuser', { systemuserid: f.supervisorId, queuemembership_association: f.queues.map((q) => ({ queueid: q.id, name: q.name, queuemembership_association: members(q.id) })) });
  for (const p of f.profiles) api.put('swb_capacityprofile', p);
  for (const s of f.statuses) api.put('swb_agentstatus', s);
  for (const c of f.conversations) api.put('swb_conversation', c);
  for (const s of f.sessions) api.put('swb_session', s);
  for (const o2 of f.offers) api.put('swb_offer', o2);
  const mock = createMockContext<unknown>({
    parameters: { anchor: prop(''), pollSeconds: prop(15, 'Whole.None'), transcriptSeconds: prop(3, 'Whole.None'), heightPx: prop(o.height, 'Whole.None'), sections: prop('queues,conversations,agents') },
    strings: parseResx(o.resx),
    webAPI: api,
    userId: f.supervisorId,
    userName: 'Sam Leroy',
    languageId: o.languageId ?? 1033,
  });
  if (o.dark) {
    const fluent = w.FluentUIReactv940 as { webDarkTheme: unknown };
    (mock.context as { fluentDesignLanguage?: unknown }).fluentDesignLanguage = { tokenTheme: fluent.webDarkTheme, isDarkTheme: true };
  }
  return { mock, api };
}

function clear(root: HTMLElement): void {
  const ReactDOM = w.ReactDOMv16 as ReactDomLike;
  [...root.children].forEach((c) => {
    ReactDOM.unmountComponentAtNode(c);
    c.remove();
  });
}

w.DeskHarness = {
  /** Mounts the desk and resolves with ms until the queues and the first conversation rows are painted, and the rows in the DOM. */
  measure(o: DeskRun): Promise<{ ms: number; domRows: number; requests: number }> {
    const root = document.getElementById('root')!;
    clear(root);
    const { mock, api } = prepare(o);
    const ctor = registered.get('Switchboard.SupervisorDesk')!;
    return new Promise((resolve) => {
      const start = performance.now();
      const host = document.createElement('div');
      host.className = 'control-host';
      host.style.width = `${o.width}px`;
      root.appendChild(host);
      const control = new ctor();
      control.init(mock.context, mock.notifyOutputChanged, {}, host as HTMLDivElement);
      (w.ReactDOMv16 as ReactDomLike).render(control.updateView(mock.context), host);
      const check = () => {
        const rows = host.querySelectorAll('[data-conversation]');
        if (rows.length > 0 && host.querySelector('[data-testid="queues-table"]')) {
          requestAnimationFrame(() => setTimeout(() => resolve({ ms: performance.now() - start, domRows: rows.length, requests: api.calls.length }), 0));
        } else requestAnimationFrame(check);
      };
      check();
    });
  },
  /** Mounts it for a screenshot. */
  run(o: DeskRun): void {
    const root = document.getElementById('root')!;
    clear(root);
    const { mock } = prepare(o);
    const host = document.createElement('div');
    host.className = 'control-host';
    host.style.width = `${o.width}px`;
    root.appendChild(host);
    const control = new (registered.get('Switchboard.SupervisorDesk')!)();
    control.init(mock.context, mock.notifyOutputChanged, {}, host as HTMLDivElement);
    (w.ReactDOMv16 as ReactDomLike).render(control.updateView(mock.context), host);
  },
};
