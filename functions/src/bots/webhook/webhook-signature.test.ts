import { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, verifyWebhookSignature, webhookSignature } from './webhook-signature';

const SECRET = 'whsec-test-vector';
const BODY = '{"type":"conversation.opened","conversationId":"c-1"}';
const NOW = 1767225600; // 2026-01-01T00:00:00Z

function check(overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) {
  const headers = signWebhook(SECRET, BODY, NOW);
  return verifyWebhookSignature({ secrets: SECRET, timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER], rawBody: BODY, nowSeconds: NOW, ...overrides });
}

describe('webhook-bot signature rule', () => {
  it('is HMAC-SHA256 over "<timestamp>.<raw body>", hex, prefixed sha256= (vector computed with openssl dgst -sha256 -hmac)', () => {
    expect(webhookSignature(SECRET, String(NOW), BODY)).toBe('sha256=47d397b96185a13f2c540b90e164782645a519ee8811aca4dd14accdef268549');
    expect(signWebhook(SECRET, BODY, NOW + 0.9)).toEqual({
      'x-switchboard-timestamp': '1767225600',
      'x-switchboard-signature': 'sha256=47d397b96185a13f2c540b90e164782645a519ee8811aca4dd14accdef268549',
    });
  });

  it('accepts a request signed with the secret within the tolerance, either side of the clock, and upper-case hex', () => {
    expect(check()).toEqual({ ok: true });
    expect(check({ nowSeconds: NOW + DEFAULT_TOLERANCE_SECONDS })).toEqual({ ok: true });
    expect(check({ nowSeconds: NOW - DEFAULT_TOLERANCE_SECONDS })).toEqual({ ok: true });
    expect(check({ signature: `sha256=${webhookSignature(SECRET, String(NOW), BODY).slice('sha256='.length).toUpperCase()}` })).toEqual({ ok: true });
    expect(check({ rawBody: Buffer.from(BODY) })).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    expect(check({ rawBody: BODY.replace('c-1', 'c-2') })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(check({ rawBody: `${BODY} ` })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses an old (replayed) or far-future timestamp even with its valid signature', () => {
    expect(check({ nowSeconds: NOW + DEFAULT_TOLERANCE_SECONDS + 1 })).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(check({ nowSeconds: NOW - DEFAULT_TOLERANCE_SECONDS - 1 })).toEqual({ ok: false, reason: 'stale-timestamp' });
  });

  it('signs the timestamp too: a replay with a fresh timestamp and the old signature fails', () => {
    const later = NOW + 3600;
    expect(check({ timestamp: String(later), nowSeconds: later })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses the wrong secret, and accepts either secret during a rotation', () => {
    expect(check({ secrets: 'another-secret' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(check({ secrets: ['new-secret', SECRET] })).toEqual({ ok: true });
    expect(check({ secrets: [] })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses missing and malformed headers', () => {
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing-headers' });
    expect(check({ timestamp: '' })).toEqual({ ok: false, reason: 'missing-headers' });
    expect(check({ timestamp: '2026-01-01T00:00:00Z' })).toEqual({ ok: false, reason: 'malformed-timestamp' });
    expect(check({ signature: '47d397b96185a13f2c540b90e164782645a519ee8811aca4dd14accdef268549' })).toEqual({ ok: false, reason: 'malformed-signature' });
    expect(check({ signature: 'sha256=abc' })).toEqual({ ok: false, reason: 'malformed-signature' });
  });
});
