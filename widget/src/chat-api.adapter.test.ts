import { ChatApiError, createHttpChatApi, type FetchLike } from './chat-api.adapter';

// The push routes over a recording fetch: what goes on the wire and how answers are read.
function recording(answer: (url: string) => { status: number; body?: string; headers?: Record<string, string> }) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const { status, body = '', headers = {} } = answer(url);
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: { get: (name: string) => headers[name] ?? null },
      text: async () => body,
    } as unknown as Response;
  };
  return { calls, api: createHttpChatApi('https://api.test/api/chat', fetchImpl) };
}

const credentials = { conversationId: 'c 1', token: 'tok' };
const json = (status: number, value: unknown) => ({ status, body: JSON.stringify(value) });

describe('chat API adapter, push routes', () => {
  it('negotiate posts with the customer token and no body, and hands back the URL or null', async () => {
    const { calls, api } = recording(() => json(200, { url: 'wss://push.test/client?access_token=x' }));
    await expect(api.negotiate(credentials)).resolves.toEqual({ url: 'wss://push.test/client?access_token=x' });
    expect(calls[0].url).toBe('https://api.test/api/chat/conversations/c%201/negotiate');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.body).toBeUndefined();
    expect(calls[0].init.credentials).toBe('omit');
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');

    const off = recording(() => json(200, { url: null }));
    await expect(off.api.negotiate(credentials)).resolves.toEqual({ url: null });
  });

  it('a refused negotiate is an API error like on the other conversation routes', async () => {
    const { api } = recording(() => json(401, { error: { code: 'token_expired', message: 'expired' } }));
    await expect(api.negotiate(credentials)).rejects.toMatchObject({ status: 401, code: 'token_expired' });
  });

  it('typing posts with the customer token and no body; 204 resolves', async () => {
    const { calls, api } = recording(() => ({ status: 204 }));
    await expect(api.typing(credentials)).resolves.toBeUndefined();
    expect(calls[0].url).toBe('https://api.test/api/chat/conversations/c%201/typing');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.body).toBeUndefined();
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('typing answered 429 ("too often") is ignored silently; other failures still reject', async () => {
    const limited = recording(() => ({ ...json(429, { error: { code: 'rate_limited', message: 'slow down' } }), headers: { 'Retry-After': '3' } }));
    await expect(limited.api.typing(credentials)).resolves.toBeUndefined();

    const gone = recording(() => json(404, { error: { code: 'conversation_not_found', message: 'gone' } }));
    const error = await gone.api.typing(credentials).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({ status: 404 });
  });
});
