/** @jest-environment jsdom */
import { encodeTicket } from './handoff';
import { boot, type SwitchboardApi } from './widget';
import { fakeFetch, FakeChatBackend } from '../test-support/fake-chat-backend';

const base = 'https://api.test/api/chat';
const mounted: SwitchboardApi[] = [];

function scriptTag(attrs: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script');
  script.setAttribute('src', `${base}/widget.js`);
  for (const [k, v] of Object.entries(attrs)) script.setAttribute(k, v);
  document.head.appendChild(script);
  return script;
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const shadow = () => document.querySelector('switchboard-chat')!.shadowRoot!;

afterEach(() => {
  document.body.replaceChildren();
  document.head.replaceChildren();
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});

describe('widget boot', () => {
  it('one script tag mounts the launcher in an open shadow root and starts with data-context plus setContext values', async () => {
    const backend = new FakeChatBackend();
    const net = fakeFetch(backend, base);
    const api = boot(window, scriptTag({ 'data-widget-id': 'demo-shop', 'data-context': '{"orderId":"42","cart":3}' }), { fetch: net.fetch })!;
    mounted.push(api);
    expect(api.widgetId).toBe('demo-shop');
    expect(shadow().querySelector('.launcher')!.getAttribute('aria-label')).toBe('Chat with us');
    api.setContext({ cart: 4, campaign: 'winter', nested: { no: 1 } as never });
    await waitFor(() => Boolean(shadow().querySelector('form.pre input[name=name]')), 'the survey');

    const field = (name: string) => shadow().querySelector(`[name=${name}]`) as HTMLInputElement;
    field('name').value = 'Ada';
    field('email').value = 'ada@example.com';
    field('topic').value = 'other';
    (shadow().querySelector('form.pre button[type=submit]') as HTMLButtonElement).click();
    await waitFor(() => backend.conversations.size === 1, 'the start');
    expect(backend.only().request.context).toEqual({ orderId: '42', cart: 4, campaign: 'winter' });
    await waitFor(() => Boolean(api.getTicket()), 'the conversation to be live');
    expect(JSON.parse(localStorage.getItem('switchboard.chat.demo-shop')!).conversationId).toBe(backend.only().id);
  });

  it('a hand-off ticket in the fragment continues that conversation and is removed from the address bar', async () => {
    const backend = new FakeChatBackend();
    const net = fakeFetch(backend, base);
    // A conversation started "on another site".
    const started = backend.handle({
      method: 'POST',
      path: '/demo-shop/conversations',
      headers: {},
      body: JSON.stringify({ answers: { name: 'A', email: 'a@b.co', topic: 'order' }, context: {}, locale: 'en', pageUrl: 'x', clientRequestId: 'r1' }),
    });
    const { conversationId, token, expiresOn } = JSON.parse(started.body);
    backend.push(conversationId, 'agent', 'Welcome back', 'Sam');
    history.replaceState(null, '', `/track#section-2&swb=${encodeTicket({ widgetId: 'demo-shop', conversationId, token, expiresOn })}`);
    backend.configs['demo-shop'] = { ...backend.configs['demo-shop'], allowedOrigins: ['https://shop.test', location.origin] };
    const referrer = jest.spyOn(document, 'referrer', 'get').mockReturnValue('https://shop.test/checkout.html');

    mounted.push(boot(window, scriptTag({ 'data-widget-id': 'demo-shop' }), { fetch: net.fetch })!);
    referrer.mockRestore();
    expect(location.hash).toBe('#section-2');
    await waitFor(() => Boolean(shadow().querySelector('.msg.agent')), 'the transcript');
    expect(shadow().querySelector('.msg.agent .text')!.textContent).toBe('Welcome back');
    expect((shadow().querySelector('[role=dialog]') as HTMLElement).hidden).toBe(false);
    expect(backend.conversations.size).toBe(1);
  });

  it('a ticket in a link that did not come from an allowed site is dropped from the URL but not used', async () => {
    const backend = new FakeChatBackend();
    const net = fakeFetch(backend, base);
    const started = JSON.parse(
      backend.handle({
        method: 'POST',
        path: '/demo-shop/conversations',
        headers: {},
        body: JSON.stringify({ answers: { name: 'A', email: 'a@b.co', topic: 'order' }, context: {}, locale: 'en', pageUrl: 'x', clientRequestId: 'r0' }),
      }).body,
    );
    backend.configs['demo-shop'] = { ...backend.configs['demo-shop'], allowedOrigins: ['https://shop.test'] };
    history.replaceState(null, '', `/#swb=${encodeTicket({ widgetId: 'demo-shop', ...started })}`);
    const referrer = jest.spyOn(document, 'referrer', 'get').mockReturnValue('https://evil.test/');
    const api = boot(window, scriptTag({ 'data-widget-id': 'demo-shop' }), { fetch: net.fetch })!;
    mounted.push(api);
    referrer.mockRestore();
    expect(location.hash).toBe('');
    await waitFor(() => Boolean(shadow().querySelector('form.pre')), 'the survey');
    expect(api.getTicket()).toBeNull();
    expect(backend.requests.some((r) => r.path.startsWith('/conversations/'))).toBe(false);
  });

  it('Switchboard.resume takes a ticket from getTicket on another site; garbage is refused', async () => {
    const backend = new FakeChatBackend();
    const net = fakeFetch(backend, base);
    const api = boot(window, scriptTag({ 'data-widget-id': 'demo-shop' }), { fetch: net.fetch })!;
    mounted.push(api);
    expect(api.resume('not a ticket')).toBe(false);
    expect(api.getTicket()).toBeNull();
    const started = JSON.parse(
      backend.handle({
        method: 'POST',
        path: '/demo-shop/conversations',
        headers: {},
        body: JSON.stringify({ answers: { name: 'A', email: 'a@b.co', topic: 'order' }, context: {}, locale: 'en', pageUrl: 'x', clientRequestId: 'r2' }),
      }).body,
    );
    const ticket = encodeTicket({ widgetId: 'demo-shop', ...started });
    expect(api.resume(encodeTicket({ widgetId: 'other-widget', ...started }))).toBe(false);
    expect(api.resume(ticket)).toBe(true);
    await waitFor(() => Boolean(shadow().querySelector('.msg.system')), 'the transcript');
    expect(api.getTicket()).toBe(ticket);
    expect(api.handoffUrl('https://partner.test/x')).toBe(`https://partner.test/x#swb=${ticket}`);
  });

  it('calls queued before the async script arrived are replayed and window.Switchboard is replaced by the API', async () => {
    const backend = new FakeChatBackend();
    const net = fakeFetch(backend, base);
    (window as unknown as { fetch: unknown }).fetch = net.fetch;
    scriptTag({ 'data-widget-id': 'demo-shop', 'data-context': '{"orderId":"7"}' });
    const w = window as unknown as { Switchboard: { q?: unknown[][] } & Partial<SwitchboardApi> };
    w.Switchboard = { q: [['setContext', { campaign: 'early' }], ['open']] };
    let ready = false;
    window.addEventListener('switchboard:ready', () => (ready = true), { once: true });
    jest.isolateModules(() => {
      // The entry runs on evaluation, as the script does in a page; a fresh module each time.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('./browser-entry');
    });
    expect(ready).toBe(true);
    expect(w.Switchboard.widgetId).toBe('demo-shop');
    expect((shadow().querySelector('[role=dialog]') as HTMLElement).hidden).toBe(false);
    await waitFor(() => Boolean(shadow().querySelector('form.pre input[name=name]')), 'the survey');
    const field = (name: string) => shadow().querySelector(`[name=${name}]`) as HTMLInputElement;
    field('name').value = 'Ada';
    field('email').value = 'ada@example.com';
    field('topic').value = 'other';
    (shadow().querySelector('form.pre button[type=submit]') as HTMLButtonElement).click();
    await waitFor(() => backend.conversations.size === 1, 'the start');
    expect(backend.only().request.context).toEqual({ orderId: '7', campaign: 'early' });
  });

  it('push runs over the browser WebSocket: agent typing shows at once, customer typing is posted, a message event brings the message', async () => {
    const backend = new FakeChatBackend();
    backend.pushUrl = 'wss://push.test/client/hubs/chat?access_token=t';
    const net = fakeFetch(backend, base);
    const sockets: FakeSocket[] = [];
    class FakeSocket {
      readyState = 0;
      onopen: ((ev: unknown) => void) | null = null;
      onmessage: ((ev: { data: unknown }) => void) | null = null;
      onclose: ((ev: { code: number }) => void) | null = null;
      onerror: ((ev: unknown) => void) | null = null;
      constructor(
        readonly url: string,
        readonly protocol: string,
      ) {
        sockets.push(this);
      }
      send(): void {}
      close(): void {
        this.readyState = 3;
      }
      frame(value: unknown): void {
        this.onmessage?.({ data: JSON.stringify(value) });
      }
    }
    const real = window.WebSocket;
    (window as unknown as { WebSocket: unknown }).WebSocket = FakeSocket;
    try {
      const api = boot(window, scriptTag({ 'data-widget-id': 'demo-shop' }), { fetch: net.fetch })!;
      mounted.push(api);
      const started = JSON.parse(
        backend.handle({
          method: 'POST',
          path: '/demo-shop/conversations',
          headers: {},
          body: JSON.stringify({ answers: { name: 'A', email: 'a@b.co', topic: 'order' }, context: {}, locale: 'en', pageUrl: 'x', clientRequestId: 'r3' }),
        }).body,
      );
      const id: string = started.conversationId;
      api.resume(encodeTicket({ widgetId: 'demo-shop', ...started }));
      await waitFor(() => sockets.length === 1, 'the push socket');
      expect(sockets[0].url).toBe(backend.pushUrl);
      expect(sockets[0].protocol).toBe('json.webpubsub.azure.v1');
      sockets[0].frame({ type: 'system', event: 'connected', connectionId: 'c1' });
      const event = (data: unknown) => sockets[0].frame({ type: 'message', from: 'server', dataType: 'json', data });

      event({ kind: 'typing', conversationId: id, by: 'agent', name: 'Sam' });
      await waitFor(() => shadow().querySelector('.typing')!.textContent === 'Sam is typing…', 'the typing indicator');

      const box = shadow().querySelector('textarea')!;
      box.value = 'Hel';
      box.dispatchEvent(new Event('input', { bubbles: true }));
      box.value = 'Hello';
      box.dispatchEvent(new Event('input', { bubbles: true }));
      await waitFor(() => backend.requests.some((r) => r.path.endsWith('/typing')), 'the typing notice');
      expect(backend.requests.filter((r) => r.path.endsWith('/typing'))).toHaveLength(1);

      const m = backend.push(id, 'agent', 'Your parcel left today.', 'Sam');
      event({ kind: 'message', conversationId: id, sequence: m.sequence });
      await waitFor(() => shadow().querySelector('.msg.agent .text')?.textContent === 'Your parcel left today.', 'the pushed message');
      expect(shadow().querySelector('.typing')!.textContent).toBe('');
    } finally {
      (window as unknown as { WebSocket: unknown }).WebSocket = real;
    }
  });

  it('a script tag without data-widget-id mounts nothing', () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(boot(window, scriptTag({}))).toBeUndefined();
    expect(document.querySelector('switchboard-chat')).toBeNull();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
