import { randomUUID } from 'node:crypto';
import type {
  ApiErrorBody,
  AuthorKind,
  ChatErrorCode,
  MessagesResponse,
  NegotiateResponse,
  PublicConversationStatus,
  PublicMessage,
  SendMessageRequest,
  StartConversationRequest,
  StartConversationResponse,
  SurveyAnswerRequest,
  WidgetConfig,
} from '../src/contract';

// An in-memory implementation of the public chat contract, faithful enough to
// test the widget against: token scoping, idempotent start and send, cursor
// paging, CORS. Shared by the jest tests (through a fetch function) and the
// HTTP fake server used by the browser test and the demo screenshot.

export interface FakeRequest {
  readonly method: string;
  /** Path relative to the API base, with query, e.g. "/conversations/c1/messages?after=3". */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
}

export interface FakeResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface FakeConversation {
  readonly id: string;
  readonly token: string;
  readonly widgetId: string;
  readonly request: StartConversationRequest;
  readonly messages: PublicMessage[];
  status: PublicConversationStatus;
  /** Every request the customer made, for assertions. */
  sendCount: number;
  /** The stored answer to the post-chat survey (a new one replaces it). */
  survey?: SurveyAnswerRequest;
}

export interface FakeBackendOptions {
  readonly configs?: Record<string, WidgetConfig>;
  readonly pageSize?: number;
  readonly now?: () => number;
}

export const demoConfig: WidgetConfig = {
  widgetId: 'demo-shop',
  preChatQuestions: [
    { id: 'name', kind: 'text', label: 'Your name', required: true },
    { id: 'email', kind: 'email', label: 'Email', required: true },
    { id: 'phone', kind: 'phone', label: 'Phone', required: false, hint: 'So we can call you back' },
    {
      id: 'topic',
      kind: 'choice',
      label: 'Topic',
      required: true,
      choices: [
        { value: 'order', label: 'An order' },
        { value: 'returns', label: 'Returns' },
        { value: 'other', label: 'Something else' },
      ],
    },
  ],
  hours: { open: true },
  allowedOrigins: [],
  contextVariables: ['orderId', 'page'],
  maxMessageLength: 2000,
};

const frenchText: Record<string, string> = {
  'Your name': 'Votre nom',
  Email: 'E-mail',
  Phone: 'Téléphone',
  'So we can call you back': 'Pour vous rappeler',
  Topic: 'Sujet',
  'An order': 'Une commande',
  Returns: 'Un retour',
  'Something else': 'Autre chose',
};

function frenchLabels(config: WidgetConfig): WidgetConfig {
  const t = (text: string | undefined) => (text === undefined ? undefined : (frenchText[text] ?? text));
  return {
    ...config,
    preChatQuestions: config.preChatQuestions.map((q) => ({
      ...q,
      label: t(q.label)!,
      hint: t(q.hint),
      choices: q.choices?.map((c) => ({ ...c, label: t(c.label)! })),
    })),
  };
}

export class FakeChatBackend {
  readonly conversations = new Map<string, FakeConversation>();
  readonly configs: Record<string, WidgetConfig>;
  readonly requests: FakeRequest[] = [];
  private readonly startsByRequestId = new Map<string, string>();
  /** Test hook: the next N sends are answered 503 Busy with Retry-After, as the chat API does when a conversation's numbering stays contended. */
  busySends = 0;
  /** Test hook: what `negotiate` answers; null (the default) is a deployment without push. */
  pushUrl: string | null = null;
  /** Test hook: answer `typing` 429 ("too often"), as the chat API does inside its throttle window. */
  throttleTyping = false;
  private readonly pageSize: number;
  private readonly now: () => number;

  constructor(options: FakeBackendOptions = {}) {
    this.configs = options.configs ?? { [demoConfig.widgetId]: demoConfig };
    this.pageSize = options.pageSize ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** Test hook: a message from the agent side. */
  push(conversationId: string, authorKind: AuthorKind, body: string, authorName?: string): PublicMessage {
    const c = this.conversations.get(conversationId);
    if (!c) throw new Error(`no conversation ${conversationId}`);
    if (authorKind === 'agent') c.status = 'active';
    return this.append(c, { authorKind, body, authorName });
  }

  /** Test hook: the agent ends the chat. */
  endByAgent(conversationId: string): void {
    const c = this.conversations.get(conversationId);
    if (c) c.status = 'ended';
  }

  only(): FakeConversation {
    const all = [...this.conversations.values()];
    if (all.length !== 1) throw new Error(`expected one conversation, found ${all.length}`);
    return all[0];
  }

  handle(req: FakeRequest): FakeResponse {
    this.requests.push(req);
    const origin = req.headers.origin;
    const cors: Record<string, string> = origin
      ? {
          'Access-Control-Allow-Origin': origin,
          Vary: 'Origin',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type',
          'Access-Control-Allow-Methods': 'GET, POST',
          'Access-Control-Max-Age': '600',
        }
      : {};
    if (req.method === 'OPTIONS') return { status: 204, headers: cors, body: '' };
    const url = new URL(req.path, 'http://fake');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const json = (status: number, value: unknown): FakeResponse => ({
      status,
      headers: { ...cors, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
      body: JSON.stringify(value),
    });
    const fail = (status: number, code: ChatErrorCode, message: string, fields?: Record<string, string>) =>
      json(status, { error: { code, message, ...(fields ? { fields } : {}) } } satisfies ApiErrorBody);

    let body: unknown;
    try {
      body = req.body ? JSON.parse(req.body) : undefined;
    } catch {
      return fail(400, 'bad_request', 'body is not JSON');
    }

    // /{widgetId}/config, /{widgetId}/conversations
    if (parts.length === 2 && parts[0] !== 'conversations') {
      const config = this.configs[parts[0]];
      if (!config) return fail(404, 'unknown_widget', 'no such widget');
      if (parts[1] === 'config' && req.method === 'GET') {
        // The real server resolves admin-authored text for the asked locale; the fake knows French.
        const french = (url.searchParams.get('locale') ?? '').toLowerCase().startsWith('fr');
        return json(200, french ? frenchLabels(config) : config);
      }
      if (parts[1] === 'conversations' && req.method === 'POST') return this.start(config, body, json, fail);
    }

    // /conversations/{id}/messages, /conversations/{id}/end
    if (parts.length === 3 && parts[0] === 'conversations') {
      const c = this.conversations.get(parts[1]);
      const auth = req.headers.authorization ?? '';
      if (!c) return fail(404, 'conversation_not_found', 'no such conversation');
      if (auth !== `Bearer ${c.token}`) return fail(401, 'unauthorized', 'token missing or not for this conversation');
      if (parts[2] === 'messages' && req.method === 'GET') {
        const after = Number(url.searchParams.get('after') ?? '0');
        const newer = c.messages.filter((m) => m.sequence > after);
        const page = newer.slice(0, this.pageSize);
        const response: MessagesResponse = { messages: page, status: c.status, hasMore: newer.length > page.length };
        return json(200, response);
      }
      if (parts[2] === 'messages' && req.method === 'POST') {
        if (this.busySends > 0) {
          this.busySends--;
          return { status: 503, headers: { ...cors, 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '1' }, body: JSON.stringify({ error: { code: 'Busy', message: 'retry' } }) };
        }
        const send = body as Partial<SendMessageRequest> | undefined;
        if (typeof send?.body !== 'string' || typeof send.clientMessageId !== 'string' || !send.body.trim()) {
          return fail(400, 'validation_failed', 'body and clientMessageId are required');
        }
        const existing = c.messages.find((m) => m.clientMessageId === send.clientMessageId);
        if (existing) return json(200, { message: existing });
        if (c.status === 'ended') return fail(409, 'conversation_ended', 'conversation has ended');
        const max = this.configs[c.widgetId]?.maxMessageLength ?? 4000;
        if (send.body.trim().length > max) return fail(400, 'message_too_long', 'message too long');
        c.sendCount++;
        const message = this.append(c, { authorKind: 'customer', body: send.body.trim(), clientMessageId: send.clientMessageId });
        return json(201, { message });
      }
      if (parts[2] === 'negotiate' && req.method === 'POST') {
        return json(200, { url: this.pushUrl } satisfies NegotiateResponse);
      }
      if (parts[2] === 'typing' && req.method === 'POST') {
        if (c.status === 'ended') return fail(409, 'conversation_ended', 'conversation has ended');
        if (this.throttleTyping) return fail(429, 'rate_limited', 'typing too often');
        return { status: 204, headers: cors, body: '' };
      }
      if (parts[2] === 'csat' && req.method === 'POST') {
        const answer = body as Partial<SurveyAnswerRequest> | undefined;
        if (c.status !== 'ended') return fail(409, 'conversation_not_ended', 'the conversation goes on');
        if (!this.configs[c.widgetId]?.survey) return fail(409, 'survey_not_offered', 'no survey');
        if (!answer || !Number.isInteger(answer.rating) || answer.rating! < 1 || answer.rating! > 5) return fail(400, 'validation_failed', 'rating 1-5', { rating: 'must be a whole number from 1 to 5' });
        c.survey = { rating: answer.rating!, ...(answer.comment ? { comment: answer.comment } : {}) };
        return json(200, { ...c.survey, respondedOn: new Date(this.now()).toISOString() });
      }
      if (parts[2] === 'end' && req.method === 'POST') {
        c.status = 'ended';
        return json(200, { status: 'ended' });
      }
    }
    return fail(404, 'bad_request', `no route ${req.method} ${url.pathname}`);
  }

  private start(
    config: WidgetConfig,
    body: unknown,
    json: (status: number, value: unknown) => FakeResponse,
    fail: (status: number, code: ChatErrorCode, message: string, fields?: Record<string, string>) => FakeResponse,
  ): FakeResponse {
    const request = body as StartConversationRequest | undefined;
    if (!request || typeof request.clientRequestId !== 'string' || typeof request.answers !== 'object') {
      return fail(400, 'bad_request', 'answers and clientRequestId are required');
    }
    const again = this.startsByRequestId.get(`${config.widgetId}/${request.clientRequestId}`);
    if (again) return json(200, this.startResponse(this.conversations.get(again)!));
    if (!config.hours.open) return fail(409, 'outside_hours', 'closed');
    const missing: Record<string, string> = {};
    for (const q of config.preChatQuestions) {
      if (q.required && !request.answers[q.id]) missing[q.id] = 'required';
    }
    if (Object.keys(missing).length) return fail(400, 'validation_failed', 'missing answers', missing);
    const id = randomUUID();
    const conversation: FakeConversation = {
      id,
      token: randomUUID().replace(/-/g, ''),
      widgetId: config.widgetId,
      request,
      messages: [],
      status: 'waiting',
      sendCount: 0,
    };
    this.conversations.set(id, conversation);
    this.startsByRequestId.set(`${config.widgetId}/${request.clientRequestId}`, id);
    this.append(conversation, { authorKind: 'system', body: 'You are in the queue.' });
    return json(201, this.startResponse(conversation));
  }

  private startResponse(c: FakeConversation): StartConversationResponse {
    return {
      conversationId: c.id,
      token: c.token,
      expiresOn: new Date(this.now() + 24 * 3600 * 1000).toISOString(),
      status: c.status,
    };
  }

  private append(
    c: FakeConversation,
    m: { authorKind: AuthorKind; body: string; authorName?: string; clientMessageId?: string },
  ): PublicMessage {
    const message: PublicMessage = {
      sequence: c.messages.length + 1,
      createdOn: new Date(this.now()).toISOString(),
      ...m,
    };
    c.messages.push(message);
    return message;
  }
}

export type NetworkMode = 'up' | 'down' | 'drop-responses';

/**
 * A fetch that talks to the backend without sockets. `mode` simulates the
 * network: 'down' fails before the server sees the request, 'drop-responses'
 * lets the server act and then loses the answer (the case idempotency exists for).
 */
export function fakeFetch(backend: FakeChatBackend, base = 'https://api.test/api/chat') {
  const control = { mode: 'up' as NetworkMode };
  const fetchImpl = async (url: string, init: RequestInit): Promise<Response> => {
    if (control.mode === 'down') throw new TypeError('Failed to fetch');
    if (!url.startsWith(base)) throw new TypeError(`unexpected URL ${url}`);
    // Plain objects instead of Headers/Response: jsdom test environments have neither.
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[key.toLowerCase()] = value;
    const res = backend.handle({
      method: init.method ?? 'GET',
      path: url.slice(base.length),
      headers,
      body: typeof init.body === 'string' ? init.body : undefined,
    });
    if (control.mode === 'drop-responses') throw new TypeError('network connection was lost');
    const lower = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      ok: res.status >= 200 && res.status < 300,
      status: res.status,
      headers: { get: (name: string) => lower[name.toLowerCase()] ?? null },
      text: async () => res.body,
    } as unknown as Response;
  };
  return { fetch: fetchImpl, control, base };
}
