import {
  chatRoutes,
  type ApiErrorBody,
  type ChatErrorCode,
  type EndConversationResponse,
  type MessagesResponse,
  type NegotiateResponse,
  type SendMessageRequest,
  type SendMessageResponse,
  type StartConversationRequest,
  type StartConversationResponse,
  type SurveyAnswerRequest,
  type SurveyAnswerResponse,
  type WidgetConfig,
} from './contract';

export interface Credentials {
  readonly conversationId: string;
  readonly token: string;
}

// The narrow port the session depends on; tests pass a fake fetch to the real
// adapter so the HTTP mapping is exercised too.
export interface ChatApi {
  getConfig(widgetId: string, locale: string): Promise<WidgetConfig>;
  startConversation(widgetId: string, request: StartConversationRequest): Promise<StartConversationResponse>;
  /** `told`: a push event said something changed, so the server reads rather than answer from memory. */
  getMessages(credentials: Credentials, after: number, options?: { told?: boolean }): Promise<MessagesResponse>;
  sendMessage(credentials: Credentials, request: SendMessageRequest): Promise<SendMessageResponse>;
  endConversation(credentials: Credentials): Promise<EndConversationResponse>;
  /** A fresh push (Web PubSub) URL for this conversation, or `url: null` when push is not configured. */
  negotiate(credentials: Credentials): Promise<NegotiateResponse>;
  /** Tells the agents the customer is typing. Best effort: resolves on 429 ("too often") too. */
  typing(credentials: Credentials): Promise<void>;
  /** The customer's post-chat rating (a resend replaces it: the server keeps one answer). */
  answerSurvey(credentials: Credentials, request: SurveyAnswerRequest): Promise<SurveyAnswerResponse>;
}

/** A failure with an HTTP answer (status + contract error code) or none at all (network). */
export class ChatApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ChatErrorCode | 'network',
    message: string,
    readonly fields?: Readonly<Record<string, string>>,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChatApiError';
  }

  /** Worth trying again later with the same request: no answer, server fault, timeout, throttling. */
  get retryable(): boolean {
    return this.code === 'network' || this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

// The script tag's src is ".../api/chat/widget.js"; the API lives beside it.
export function apiBaseFromScriptSrc(src: string): string {
  const url = new URL(src);
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/widget(\.min)?\.js$/, '').replace(/\/[^/]*\.js$/, '');
  return `${url.origin}${path.replace(/\/$/, '')}`;
}

export function createHttpChatApi(base: string, fetchImpl: FetchLike, timeoutMs = 20000): ChatApi {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    // A hung request must not freeze polling forever: abort and treat it as a network loss.
    const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timer = abort ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
    let response: Response;
    try {
      response = await fetchImpl(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        mode: 'cors',
        cache: 'no-store',
        signal: abort?.signal,
      });
    } catch (error) {
      throw new ChatApiError(0, 'network', error instanceof Error ? error.message : String(error));
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    let parsed: unknown;
    try {
      const text = await response.text();
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's HTML error page or a cut body: no contract answer, so treat like a lost response when 2xx.
      if (response.ok) throw new ChatApiError(0, 'network', 'unreadable response body');
      parsed = undefined;
    }
    if (!response.ok) {
      const err = (parsed as ApiErrorBody | undefined)?.error;
      const retryAfter = Number(response.headers.get('Retry-After'));
      throw new ChatApiError(
        response.status,
        err?.code ?? (response.status >= 500 ? 'internal' : 'bad_request'),
        err?.message ?? `HTTP ${response.status}`,
        err?.fields,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    return parsed as T;
  }

  return {
    getConfig: (widgetId, locale) =>
      call('GET', `${chatRoutes.config(widgetId)}?locale=${encodeURIComponent(locale)}`),
    startConversation: (widgetId, request) => call('POST', chatRoutes.conversations(widgetId), request),
    getMessages: (c, after, options) => call('GET', `${chatRoutes.messages(c.conversationId)}?after=${after}${options?.told ? '&told=1' : ''}`, undefined, c.token),
    sendMessage: (c, request) => call('POST', chatRoutes.messages(c.conversationId), request, c.token),
    endConversation: (c) => call('POST', chatRoutes.end(c.conversationId), { reason: 'customer_ended' }, c.token),
    negotiate: (c) => call('POST', chatRoutes.negotiate(c.conversationId), undefined, c.token),
    typing: (c) =>
      call<void>('POST', chatRoutes.typing(c.conversationId), undefined, c.token).catch((error: unknown) => {
        if (!(error instanceof ChatApiError && error.status === 429)) throw error;
      }),
    answerSurvey: (c, request) => call('POST', chatRoutes.csat(c.conversationId), request, c.token),
  };
}
