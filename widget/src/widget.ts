import { pushClientFor } from '@switchboard/core';
import { apiBaseFromScriptSrc, createHttpChatApi, type FetchLike } from './chat-api.adapter';
import { ChatSession } from './chat-session';
import type { ContextValue, WidgetConfig } from './contract';
import { ConversationStore, conversationStorageKey, type KeyValueStorage } from './conversation-store';
import { decodeTicket, encodeTicket, takeTicket, withTicket } from './handoff';
import { pickLocale, resolveStrings } from './locale';
import { WidgetView } from './widget.view';

/** What the host page gets as `window.Switchboard`. */
export interface SwitchboardApi {
  readonly widgetId: string;
  /** Adds or replaces custom context variables sent when the chat starts (null removes one). */
  setContext(values: Record<string, ContextValue | null>): void;
  /** Continues a conversation from another site; `ticket` comes from `getTicket()` there. */
  resume(ticket: string): boolean;
  /** The current conversation as an opaque ticket, or null when there is none. */
  getTicket(): string | null;
  /** `href` carrying the current conversation in its fragment, for links to other sites. */
  handoffUrl(href: string): string;
  open(): void;
  close(): void;
}

export interface BootOptions {
  readonly fetch?: FetchLike;
}

function storageOf(get: () => Storage): KeyValueStorage | undefined {
  try {
    return get();
  } catch {
    // Accessing localStorage throws when the user blocks site data.
    return undefined;
  }
}

function newId(win: Window): string {
  const c = win.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function originOf(url: string): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

function parseContext(raw: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const value = JSON.parse(raw) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  console.warn('Switchboard: data-context must be a JSON object; ignored.');
  return {};
}

// The composition root: reads the script tag, wires the session to the real
// browser (fetch, storage, timers, online events) and to the view.
export function boot(win: Window, script: HTMLScriptElement, options: BootOptions = {}): SwitchboardApi | undefined {
  const doc = win.document;
  const widgetId = script.dataset.widgetId?.trim();
  if (!widgetId) {
    console.error('Switchboard: the script tag needs data-widget-id.');
    return undefined;
  }
  const nav = win.navigator;
  const languageTag = nav.language || 'en';
  const locale = pickLocale(nav.languages, languageTag);
  const local = storageOf(() => win.localStorage);
  const session = storageOf(() => win.sessionStorage);
  const openKey = `switchboard.open.${widgetId}`;
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => win.fetch(url, init));

  // Push (Azure Web PubSub) where the browser has WebSocket; the session polls without it.
  const page = win as Window & typeof globalThis;
  const chat = new ChatSession({
    widgetId,
    locale: languageTag,
    api: createHttpChatApi(apiBaseFromScriptSrc(script.src), fetchImpl),
    store: new ConversationStore(widgetId, local, () => Date.now()),
    timers: {
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (handle) => win.clearTimeout(handle as number),
    },
    ...(typeof page.WebSocket === 'function' ? { push: (negotiate: () => Promise<string | null>) => pushClientFor(page, negotiate)! } : {}),
    now: () => Date.now(),
    newId: () => newId(win),
    random: Math.random,
    isOnline: () => nav.onLine !== false,
    pageUrl: () => win.location.href.split('#')[0],
  });
  chat.setContext(parseContext(script.dataset.context));

  const host = doc.createElement('switchboard-chat');
  host.setAttribute('data-widget-id', widgetId);
  const shadow = host.attachShadow({ mode: 'open' });
  const view = new WidgetView(shadow, resolveStrings(locale), languageTag, {
    start: (answers) => void chat.start(answers),
    send: (text) => chat.send(text),
    end: () => void chat.end(),
    restart: () => chat.restart(),
    rate: (rating, comment) => void chat.rate(rating, comment),
    typing: () => chat.typing(),
    toggled: (open) => {
      try {
        if (open) session?.setItem(openKey, '1');
        else session?.removeItem(openKey);
      } catch {
        /* not remembering the panel state is harmless */
      }
    },
  });

  let appliedConfig: WidgetConfig | undefined;
  chat.subscribe((state) => {
    if (state.config && state.config !== appliedConfig) {
      appliedConfig = state.config;
      view.setAccent(state.config.accentColor);
      view.setStrings(resolveStrings(locale, state.config.strings));
    }
    view.render(state);
  });
  view.render(chat.snapshot);

  // A conversation handed over from another site arrives in the fragment;
  // take it out of the address bar before anything else can copy it.
  const { ticket, rest } = takeTicket(win.location.hash, widgetId);
  if (ticket) {
    try {
      win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search + rest);
    } catch {
      /* sandboxed frames may refuse; the ticket is still used */
    }
  }

  const mount = () => {
    doc.body.appendChild(host);
    let wasOpen = false;
    try {
      wasOpen = session?.getItem(openKey) === '1';
    } catch {
      /* ignore */
    }
    if (wasOpen || ticket) view.setOpen(true);
  };
  if (doc.body) mount();
  else doc.addEventListener('DOMContentLoaded', mount, { once: true });

  win.addEventListener('storage', (event) => {
    if (event.key === null || event.key === conversationStorageKey(widgetId)) chat.syncFromStore();
  });
  win.addEventListener('offline', () => chat.goOffline());
  win.addEventListener('online', () => chat.goOnline());
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible') chat.becameVisible();
  });

  // Links to another allowed origin carry the conversation along. Done at
  // click time so the ticket is current and hrefs in the page stay clean.
  const decorate = (event: Event) => {
    const ticketNow = chat.ticket();
    const allowed = chat.snapshot.config?.allowedOrigins ?? [];
    if (!ticketNow || allowed.length === 0) return;
    const anchor = event
      .composedPath()
      .find((n): n is HTMLAnchorElement => (n as Element).tagName === 'A' && Boolean((n as HTMLAnchorElement).href));
    if (!anchor) return;
    let target: URL;
    try {
      target = new URL(anchor.href, win.location.href);
    } catch {
      return;
    }
    if (target.origin !== win.location.origin && allowed.includes(target.origin)) {
      const original = anchor.getAttribute('href');
      anchor.href = withTicket(target.toString(), ticketNow);
      // Navigation has read the href by the next task; put the page's own
      // link back so the token is not left in the DOM to be copied.
      win.setTimeout(() => {
        if (original === null) anchor.removeAttribute('href');
        else anchor.setAttribute('href', original);
      }, 0);
    }
  };
  doc.addEventListener('click', decorate, true);
  doc.addEventListener('auxclick', decorate, true);

  // Only a link followed from another allowed origin may hand a conversation
  // over; the Referer origin is what the browser says, not what the link says.
  const cameFrom = originOf(doc.referrer);
  void chat.init(ticket, (config) =>
    Boolean(cameFrom && cameFrom !== win.location.origin && config?.allowedOrigins.includes(cameFrom)),
  );

  return {
    widgetId,
    setContext: (values) => chat.setContext(values),
    resume: (value) => {
      const t = decodeTicket(value);
      const ok = t ? chat.resume(t) : false;
      if (ok) view.setOpen(true);
      return ok;
    },
    getTicket: () => {
      const t = chat.ticket();
      return t ? encodeTicket(t) : null;
    },
    handoffUrl: (href) => {
      const t = chat.ticket();
      return t ? withTicket(new URL(href, win.location.href).toString(), t) : href;
    },
    open: () => view.setOpen(true, true),
    close: () => view.setOpen(false, true),
  };
}
