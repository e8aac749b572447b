import { callbackPath, parseCallback } from './webhook-contract';

const refused = (action: string, body: unknown) => {
  const parsed = parseCallback(action, body);
  if (parsed.ok) throw new Error(`expected a refusal, got ${JSON.stringify(parsed.callback)}`);
  return parsed.message;
};

describe('webhook-bot callbacks', () => {
  it('builds the callback route with the bot and conversation ids escaped', () => {
    expect(callbackPath('faq bot', 'conv/1', 'handoff')).toBe('/api/bots/faq%20bot/conversations/conv%2F1/handoff');
  });

  it('takes a message with its id, text and locale', () => {
    expect(parseCallback('messages', { id: 'm-1', text: 'Bonjour !', locale: 'fr-FR' })).toEqual({
      ok: true,
      callback: { action: 'messages', id: 'm-1', text: 'Bonjour !', locale: 'fr-FR' },
    });
    expect(parseCallback('messages', { id: 'm-2', text: 'Hello' })).toEqual({ ok: true, callback: { action: 'messages', id: 'm-2', text: 'Hello' } });
  });

  it('takes a hand-off, keeping the context values routing can compare and dropping the rest', () => {
    const body = { id: 'h-1', context: { topic: 'billing', cartTotal: 42, vip: true, tags: ['a', 'b'], nested: { no: 1 } }, summary: 'Asks about an invoice', locale: 'en-US' };
    expect(parseCallback('handoff', body)).toEqual({
      ok: true,
      callback: { action: 'handoff', id: 'h-1', context: { topic: 'billing', cartTotal: 42, vip: true, tags: 'a, b' }, summary: 'Asks about an invoice' },
    });
  });

  it('takes a hand-off without context or summary, so a bot that asks for a person is never left holding the customer', () => {
    expect(parseCallback('handoff', { id: 'h-2' })).toEqual({ ok: true, callback: { action: 'handoff', id: 'h-2', context: {}, summary: '' } });
  });

  it('takes an end with or without its reason', () => {
    expect(parseCallback('end', { id: 'e-1', reason: 'resolved' })).toEqual({ ok: true, callback: { action: 'end', id: 'e-1' } });
    expect(parseCallback('end', { id: 'e-2' })).toEqual({ ok: true, callback: { action: 'end', id: 'e-2' } });
  });

  it('refuses an unknown action and a body that is not an object', () => {
    expect(refused('typing', { id: 'x' })).toBe("Unknown callback 'typing': a bot calls back messages, handoff or end");
    expect(refused('messages', null)).toBe('The callback body must be a JSON object');
    expect(refused('messages', [{ id: 'x', text: 'hi' }])).toBe('The callback body must be a JSON object');
    expect(refused('end', 'e-1')).toBe('The callback body must be a JSON object');
  });

  it('refuses a callback without a usable id, whatever the action', () => {
    for (const action of ['messages', 'handoff', 'end']) {
      expect(refused(action, { text: 'hi' })).toBe("The callback needs an 'id': the bot's own id for it, so a retry is taken once");
      expect(refused(action, { id: 7, text: 'hi' })).toBe("'id' must be a non-empty string");
      expect(refused(action, { id: '', text: 'hi' })).toBe("'id' must be a non-empty string");
      expect(refused(action, { id: 'x'.repeat(201), text: 'hi' })).toBe("'id' must be at most 200 characters");
    }
    expect(parseCallback('end', { id: 'x'.repeat(200) }).ok).toBe(true);
  });

  it('refuses a message without text, with empty or blank text, or longer than 4000 characters', () => {
    expect(refused('messages', { id: 'm' })).toBe("A messages callback needs 'text'");
    expect(refused('messages', { id: 'm', text: 42 })).toBe("'text' must be a string");
    expect(refused('messages', { id: 'm', text: '' })).toBe("'text' must not be empty");
    expect(refused('messages', { id: 'm', text: ' \n ' })).toBe("'text' must not be empty");
    expect(refused('messages', { id: 'm', text: 'x'.repeat(4001) })).toBe("'text' must be at most 4000 characters");
    expect(parseCallback('messages', { id: 'm', text: 'x'.repeat(4000) }).ok).toBe(true);
  });

  it('refuses a message whose locale is not a language tag', () => {
    expect(refused('messages', { id: 'm', text: 'hi', locale: 1036 })).toBe("'locale' must be a language tag such as fr-FR");
    expect(refused('messages', { id: 'm', text: 'hi', locale: '' })).toBe("'locale' must be a language tag such as fr-FR");
  });

  it('refuses a hand-off whose context is not an object or whose summary is not a string of at most 2000 characters', () => {
    expect(refused('handoff', { id: 'h', context: 'billing' })).toBe('\'context\' must be an object of variables, such as { "topic": "billing" }');
    expect(refused('handoff', { id: 'h', context: [['topic', 'billing']] })).toBe('\'context\' must be an object of variables, such as { "topic": "billing" }');
    expect(refused('handoff', { id: 'h', summary: { text: 'x' } })).toBe("'summary' must be a string");
    expect(refused('handoff', { id: 'h', summary: 'x'.repeat(2001) })).toBe("'summary' must be at most 2000 characters");
    expect(parseCallback('handoff', { id: 'h', summary: 'x'.repeat(2000) }).ok).toBe(true);
  });
});
