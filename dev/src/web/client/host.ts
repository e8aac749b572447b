// Browser side of the agent workspace: plays the model-driven app around the real PCF
// bundles. It supplies React 16.14 and Fluent UI 9 as the platform globals the bundles were
// built against (Reactv16, FluentUIReactv940), collects controls through
// ComponentFramework.registerControl, and gives each one a context whose webAPI calls the
// Dataverse emulator over HTTP with the chosen agent's token, so the emulator's security
// roles apply exactly as on Dataverse.
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as Fluent from '@fluentui/react-components';
import { fill, type PageStrings } from '../strings';
import type { PaneMessage } from '../workspace-url';

export interface WorkspaceConfig {
  agent: { id: string; fullname: string; token: string; key: string };
  agents: { key: string; fullname: string }[];
  dataverseApi: string;
  /** logical name → entity set name */
  entitySets: Record<string, string>;
  /** control name → resx strings in the user's language */
  strings: Record<string, Record<string, string>>;
  /** the page's own words, in the same language */
  page: PageStrings;
  languageId: number;
  /** a pane of the two-agent workspace: it reports what it opens to the page around it */
  embedded: boolean;
  conversationId?: string;
  /** The supervisor page: how often the desk polls (seconds). */
  desk?: { pollSeconds: number; transcriptSeconds: number };
  /** The insights page: the period shown first. */
  insights?: { defaultRange: string };
}

interface ControlInstance {
  init(context: unknown, notifyOutputChanged?: () => void, state?: unknown, container?: HTMLDivElement): void;
  updateView(context: unknown): React.ReactElement | void;
  getOutputs?(): Record<string, unknown>;
  destroy(): void;
}
type ControlCtor = new () => ControlInstance;

const w = window as unknown as Record<string, unknown>;
w['Reactv16'] = React;
w['ReactDOM'] = ReactDOM;
w['FluentUIReactv940'] = Fluent;
const registry = new Map<string, ControlCtor>();
w['ComponentFramework'] = { registerControl: (name: string, ctor: ControlCtor) => registry.set(name, ctor) };

class WebApiError extends Error {
  constructor(readonly status: number, readonly errorCode: number | undefined, message: string, readonly code: string | undefined) {
    super(message);
  }
}

export function httpWebApi(config: Pick<WorkspaceConfig, 'dataverseApi' | 'entitySets' | 'agent'>) {
  const set = (logical: string) => {
    const s = config.entitySets[logical];
    if (!s) throw new WebApiError(400, undefined, `Unknown table ${logical}`, undefined);
    return s;
  };
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const url = /^https?:/.test(path) ? path : config.dataverseApi + path;
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${config.agent.token}`,
        accept: 'application/json',
        'odata-version': '4.0',
        prefer: 'odata.include-annotations="*"',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...extra,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      let code: string | undefined;
      try {
        const j = (await res.json()) as { error?: { message?: string; code?: string } };
        message = j.error?.message ?? message;
        code = j.error?.code;
      } catch {
        // not JSON
      }
      throw new WebApiError(res.status, code ? parseInt(code, 16) : undefined, message, code);
    }
    return res;
  };
  const q = (options?: string) => (!options ? '' : options.startsWith('?') ? options : `?${options}`);
  const idFrom = (res: Response) => /\(([0-9a-f-]{36})\)\s*$/i.exec(res.headers.get('odata-entityid') ?? '')?.[1] ?? '';
  return {
    async createRecord(entityType: string, data: Record<string, unknown>) {
      const res = await call('POST', set(entityType), data);
      return { id: idFrom(res), entityType };
    },
    async updateRecord(entityType: string, id: string, data: Record<string, unknown>) {
      await call('PATCH', `${set(entityType)}(${id.replace(/[{}]/g, '')})`, data, { 'if-match': '*' });
      return { id, entityType };
    },
    async deleteRecord(entityType: string, id: string) {
      await call('DELETE', `${set(entityType)}(${id.replace(/[{}]/g, '')})`);
      return { id, entityType };
    },
    async retrieveRecord(entityType: string, id: string, options?: string) {
      const res = await call('GET', `${set(entityType)}(${id.replace(/[{}]/g, '')})${q(options)}`);
      return (await res.json()) as Record<string, unknown>;
    },
    async retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number) {
      const path = options && /^https?:/.test(options) ? options : `${set(entityType)}${q(options)}`;
      const res = await call('GET', path, undefined, maxPageSize ? { prefer: `odata.include-annotations="*",odata.maxpagesize=${maxPageSize}` } : {});
      const j = (await res.json()) as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
      return { entities: j.value, nextLink: j['@odata.nextLink'] };
    },
  };
}

const prop = (raw: unknown, type = 'SingleLine.Text') => ({ raw, formatted: raw === null || raw === undefined ? '' : String(raw), error: false, errorMessage: '', type });

interface Mounted {
  destroy(): void;
}

function mount(name: string, el: HTMLDivElement, parameters: Record<string, unknown>, config: WorkspaceConfig, openForm: (id: string) => void): Mounted {
  const Ctor = registry.get(`Switchboard.${name}`);
  if (!Ctor) {
    el.textContent = fill(config.page.controlMissing, { name });
    return { destroy: () => undefined };
  }
  const strings = config.strings[name] ?? {};
  const params: Record<string, ReturnType<typeof prop>> = {};
  for (const [k, v] of Object.entries(parameters)) params[k] = prop(v, typeof v === 'number' ? 'Whole.None' : typeof v === 'boolean' ? 'TwoOptions' : 'SingleLine.Text');
  const instance = new Ctor();
  let alive = true;
  const context: Record<string, unknown> = {
    parameters: params,
    updatedProperties: [],
    webAPI: httpWebApi(config),
    mode: {
      allocatedHeight: el.clientHeight || 600,
      allocatedWidth: el.clientWidth || 480,
      isControlDisabled: false,
      isVisible: true,
      label: name,
      setControlState: () => true,
      setFullScreen: () => undefined,
      trackContainerResize: () => undefined,
      contextInfo: { entityId: config.conversationId ?? '', entityTypeName: 'swb_conversation', entityRecordName: '' },
    },
    resources: { getString: (id: string) => strings[id] ?? id, getResource: (_id: string, _ok: unknown, fail: () => void) => fail() },
    userSettings: {
      userId: `{${config.agent.id.toUpperCase()}}`,
      userName: config.agent.fullname,
      languageId: config.languageId,
      isRTL: false,
      securityRoles: [],
      getTimeZoneOffsetMinutes: () => -new Date().getTimezoneOffset(),
    },
    navigation: {
      openForm: async (o: { entityName?: string; entityId?: string }) => {
        if (o.entityName === 'swb_conversation' && o.entityId) openForm(o.entityId);
        return { savedEntityReference: [] };
      },
      openUrl: (url: string) => window.open(url, '_blank'),
      openAlertDialog: async (o: { text?: string }) => window.alert(o.text ?? ''),
      openConfirmDialog: async (o: { text?: string }) => ({ confirmed: window.confirm(o.text ?? '') }),
      openErrorDialog: async (o: { message?: string }) => window.alert(o.message ?? ''),
    },
    client: { disableScroll: false, getFormFactor: () => 1, getClient: () => 'Web', isOffline: () => !navigator.onLine, isNetworkAvailable: () => navigator.onLine },
    factory: { requestRender: () => render() },
    formatting: {},
    utils: {},
    events: {},
  };
  const render = () => {
    if (!alive) return;
    const element = instance.updateView(context);
    if (element) ReactDOM.render(element, el);
  };
  instance.init(context, () => render(), {}, el);
  render();
  // A form gives a control the room it has and tells it when that changes (trackContainerResize);
  // the page's layout gives the room here, so a resized window re-renders with the new size.
  const mode = context['mode'] as { allocatedHeight: number; allocatedWidth: number };
  const resized = new ResizeObserver(() => {
    if (el.clientHeight === mode.allocatedHeight && el.clientWidth === mode.allocatedWidth) return;
    mode.allocatedHeight = el.clientHeight || mode.allocatedHeight;
    mode.allocatedWidth = el.clientWidth || mode.allocatedWidth;
    render();
  });
  resized.observe(el);
  return {
    destroy() {
      alive = false;
      resized.disconnect();
      ReactDOM.unmountComponentAtNode(el);
      instance.destroy();
    },
  };
}

function div(id: string): HTMLDivElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from the page`);
  return el as HTMLDivElement;
}

export function start(config: WorkspaceConfig): void {
  let conversation: Mounted[] = [];
  const open = (id: string | undefined) => {
    for (const m of conversation) m.destroy();
    conversation = [];
    config.conversationId = id;
    // The URL carries the open conversation, like a model-driven form's id: a refresh reopens it.
    const url = new URL(window.location.href);
    if (id) url.searchParams.set('conversation', id);
    else url.searchParams.delete('conversation');
    window.history.replaceState(null, '', url.toString());
    document.body.dataset.conversation = id ?? '';
    // Inside the two-agent workspace the page's own address is what a reload uses: tell it.
    if (config.embedded && window.parent !== window) {
      const message: PaneMessage = { source: 'switchboard-workspace', agent: config.agent.key, conversationId: id ?? null };
      window.parent.postMessage(message, window.location.origin);
    }
    div('empty').hidden = Boolean(id);
    div('conversation').hidden = !id;
    if (!id) return;
    conversation = [
      mount('SessionTimer', div('timer'), { conversationId: id, refreshSeconds: 5 }, config, open),
      mount('CommunicationPane', div('pane'), { conversationId: id, pollSeconds: 2, heightPx: 560 }, config, open),
      mount('ConversationSummary', div('summary'), { conversationId: id, showCustomer: true, showRouting: true, showPreChat: true, showContext: true, showSentiment: true, showHistory: true, historyCount: 5 }, config, open),
    ];
  };
  // Agent switcher: the page is the agent (its token), so switching reloads as someone else.
  const switcher = document.getElementById('agent-switch');
  if (switcher) {
    const select = document.createElement('select');
    select.setAttribute('aria-label', config.page.workAs);
    for (const a of config.agents) select.add(new Option(a.fullname, a.key, a.key === config.agent.key, a.key === config.agent.key));
    select.addEventListener('change', () => {
      const lang = new URL(window.location.href).searchParams.get('lang');
      window.location.search = `?agent=${encodeURIComponent(select.value)}${lang ? `&lang=${encodeURIComponent(lang)}` : ''}`;
    });
    switcher.replaceChildren(select);
  }
  mount('AgentInbox', div('inbox'), { pollSeconds: 2 }, config, open);
  const close = document.getElementById('close-conversation');
  close?.addEventListener('click', () => open(undefined));
  open(config.conversationId);
}

/** The supervisor desk page: one control, as tall as the window. */
export function startSupervisor(config: WorkspaceConfig): void {
  const el = div('desk');
  mount('SupervisorDesk', el, {
    pollSeconds: config.desk?.pollSeconds ?? 15,
    transcriptSeconds: config.desk?.transcriptSeconds ?? 3,
    heightPx: Math.max(480, el.clientHeight || window.innerHeight - 70),
    sections: 'queues,conversations,agents',
  }, config, () => undefined);
}

/** The insights page: one control, as the desk form's Insights tab shows it. */
export function startInsights(config: WorkspaceConfig): void {
  mount('Insights', div('insights'), { defaultRange: config.insights?.defaultRange ?? '7d', showSentiment: true }, config, () => undefined);
}

w['SwitchboardWorkspace'] = { start, startSupervisor, startInsights };
