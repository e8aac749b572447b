import { verifyWebhookKey } from './webhook-key';

const KEY = 'k3y-0123456789abcdef';

describe('webhook key', () => {
  it("accepts Dataverse's WebhookKey auth: the key in the `code` query parameter", () => {
    expect(verifyWebhookKey({ query: new URLSearchParams(`code=${KEY}`) }, KEY)).toBe(true);
    expect(verifyWebhookKey({ query: { code: KEY } }, KEY)).toBe(true);
  });

  it('accepts HttpHeader auth with x-switchboard-webhook-key, whatever the header case', () => {
    expect(verifyWebhookKey({ headers: { 'X-Switchboard-Webhook-Key': KEY } }, KEY)).toBe(true);
  });

  it.each([
    ['a wrong key', { query: { code: 'wrong' } }],
    ['a key differing in the last character', { query: { code: KEY.slice(0, -1) + 'x' } }],
    ['a prefix of the key', { query: { code: KEY.slice(0, 8) } }],
    ['no key at all', {}],
  ])('refuses %s', (_name, request) => {
    expect(verifyWebhookKey(request, KEY)).toBe(false);
  });

  it('refuses everything when no key is configured', () => {
    expect(verifyWebhookKey({ query: { code: '' } }, '')).toBe(false);
  });
});
