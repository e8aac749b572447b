// Provider callbacks are public URLs anybody can POST to. Only the provider's own signature
// (Twilio's X-Twilio-Signature, TeleSign's TSA HMAC, the ACS Event Grid key) may make them
// write; everything else is a 4xx with the JSON error shape, and the database is untouched.
import fc from 'fast-check';
import {
  acsInbound,
  call,
  callChunked,
  contentTypes,
  expectRefused,
  formOf,
  guid,
  junkBody,
  telesignAuth,
  telesignInbound,
  twilioInbound,
  twilioSignature,
  wrongSecret,
} from './attack.testing';
import { SECRETS, TELESIGN_CUSTOMER, startSecurityStack, type SecurityStack, type WriteCounts } from './security-stack';

let stack: SecurityStack;
let before: WriteCounts;
const RUNS = { numRuns: 60 };

beforeAll(async () => {
  stack = await startSecurityStack();
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  before = stack.counts();
});

async function stillServing(): Promise<void> {
  const health = await call(stack.baseUrl, 'GET', '/api/health');
  expect(health.status).toBe(200);
}

describe('Twilio callbacks', () => {
  const inbound = () => `/api/sms/twilio/${stack.seeded.twilio}`;
  const status = () => `/api/sms/twilio/${stack.seeded.twilio}/status`;

  test('any body with a missing, forged or wrong-token signature is refused with 4xx and writes nothing', async () => {
    const signature = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 60 }),
      fc.base64String({ minLength: 28, maxLength: 28 }),
      // Real HMAC-SHA1 over the right URL and body, with a wrong auth token.
      wrongSecret(SECRETS.SWB_SEC_TWILIO_TOKEN).map((token) => ({ token })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('inbound', 'status'), junkBody, contentTypes, signature, async (which, body, contentType, sig) => {
        const path = which === 'inbound' ? inbound() : status();
        const headers: Record<string, string> = { 'content-type': contentType };
        if (typeof sig === 'string') headers['x-twilio-signature'] = sig;
        else if (sig) headers['x-twilio-signature'] = twilioSignature(sig.token, path, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : '')));
        expectRefused(await call(stack.baseUrl, 'POST', path, { headers, body }));
      }),
      RUNS,
    );
    expect(stack.counts()).toEqual(before);
    await stillServing();
  });

  test('a genuine callback replayed with any field changed, or to another URL, is refused and writes nothing', async () => {
    const tamper = fc.record({
      field: fc.constantFrom('Body', 'From', 'To', 'MessageSid', 'AccountSid', 'Extra'),
      value: fc.string({ minLength: 1, maxLength: 30 }),
      // The signature was made for this URL, the body is sent to another one.
      signedFor: fc.constantFrom('same', 'status', 'other-channel', 'query'),
    });
    await fc.assert(
      fc.asyncProperty(tamper, fc.constantFrom('STOP', 'hello', 'START'), async ({ field, value, signedFor }, text) => {
        const params = twilioInbound('+13175550147', stack.seeded.numbers.twilio, text);
        const path = inbound();
        const signedPath = { same: path, status: status(), 'other-channel': `/api/sms/twilio/${stack.seeded.telesign}`, query: `${path}?x=1` }[signedFor];
        const signature = twilioSignature(SECRETS.SWB_SEC_TWILIO_TOKEN, signedPath, params);
        const sent = { ...params };
        if (signedFor === 'same') {
          if (sent[field] === value) return; // not tampered
          sent[field] = value;
        }
        expectRefused(await call(stack.baseUrl, 'POST', path, { headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: formOf(sent) }));
      }),
      RUNS,
    );
    expect(stack.counts()).toEqual(before);
  });

  test('a correctly signed callback with a malformed body is refused with 4xx and writes nothing', async () => {
    const fields = fc.dictionary(fc.constantFrom('From', 'To', 'Body', 'NumMedia', 'MediaUrl0', 'MessageStatus', 'SmsStatus', 'Junk', 'AccountSid'), fc.string({ maxLength: 30 }), { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(fields, async (params) => {
        // No MessageSid: nothing can be stored idempotently, so nothing may be stored.
        const path = inbound();
        const reply = await call(stack.baseUrl, 'POST', path, {
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(SECRETS.SWB_SEC_TWILIO_TOKEN, path, params) },
          body: formOf(params),
        });
        expectRefused(reply);
      }),
      { numRuns: 40 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('a genuine inbound message replayed, one after another and all at once, is stored once', async () => {
    const params = twilioInbound('+13175550147', stack.seeded.numbers.twilio, 'my order is late');
    const path = inbound();
    const send = () =>
      call(stack.baseUrl, 'POST', path, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(SECRETS.SWB_SEC_TWILIO_TOKEN, path, params) },
        body: formOf(params),
      });
    const first = await send();
    expect(first.status).toBe(200);
    const afterFirst = stack.counts();
    expect(afterFirst.swb_message).toBe(before.swb_message + 1);
    expect(afterFirst.swb_conversation).toBe(before.swb_conversation + 1);
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    const concurrent = await Promise.all(Array.from({ length: 6 }, send));
    expect(concurrent.map((r) => r.status)).toEqual(Array(6).fill(200));
    const after = stack.counts();
    expect([after.swb_message, after.swb_conversation, after.swb_optout]).toEqual([afterFirst.swb_message, afterFirst.swb_conversation, afterFirst.swb_optout]);
  });

  test('a badly signed STOP records no opt-out', async () => {
    const params = twilioInbound('+13175550147', stack.seeded.numbers.twilio, 'STOP');
    const path = inbound();
    const reply = await call(stack.baseUrl, 'POST', path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature('not-the-token', path, params) },
      body: formOf(params),
    });
    expect(reply.status).toBe(403);
    expectRefused(reply);
    expect(stack.counts()).toEqual(before);
  });
});

describe('TeleSign callbacks', () => {
  const path = () => `/api/sms/telesign/${stack.seeded.telesign}`;

  test('any body with a missing, malformed or wrongly keyed TSA signature is refused with 4xx and writes nothing', async () => {
    const auth = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 80 }),
      fc.base64String({ minLength: 44, maxLength: 44 }).map((s) => `TSA ${TELESIGN_CUSTOMER}:${s}`),
      fc.constant('wrong-key' as const),
      fc.constant('wrong-customer' as const),
    );
    const body = fc.oneof(junkBody, fc.string({ minLength: 1, maxLength: 30 }).map((t) => telesignInbound('+33612345678', '+33757000100', t)));
    await fc.assert(
      fc.asyncProperty(body, contentTypes, auth, fc.boolean(), async (b, contentType, a, inXts) => {
        const text = typeof b === 'string' ? b : Buffer.from(b).toString('latin1');
        const headers: Record<string, string> = { 'content-type': contentType };
        let value: string | undefined = a;
        if (a === 'wrong-key') value = telesignAuth(text, Buffer.from('another-api-key-0123456789').toString('base64'));
        if (a === 'wrong-customer') value = telesignAuth(text, undefined, 'ANOTHER-CUSTOMER');
        if (value !== undefined) headers[inXts ? 'x-ts-authorization' : 'authorization'] = value;
        expectRefused(await call(stack.baseUrl, 'POST', path(), { headers, body: typeof b === 'string' ? b : b }));
      }),
      RUNS,
    );
    expect(stack.counts()).toEqual(before);
  });

  test('a genuine callback with its body changed after signing is refused and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), async (signedText, sentText) => {
        fc.pre(signedText !== sentText);
        const signed = telesignInbound('+33612345678', '+33757000100', signedText, 'REF0001');
        const sent = telesignInbound('+33612345678', '+33757000100', sentText, 'REF0001');
        fc.pre(signed !== sent);
        expectRefused(await call(stack.baseUrl, 'POST', path(), { headers: { 'content-type': 'application/json', authorization: telesignAuth(signed) }, body: sent }));
      }),
      { numRuns: 40 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('a correctly signed callback with a malformed body is refused with 4xx and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })), async (body) => {
        fc.pre(!/mo_message|reference_id/.test(body));
        expectRefused(await call(stack.baseUrl, 'POST', path(), { headers: { 'content-type': 'application/json', authorization: telesignAuth(body) }, body }));
      }),
      { numRuns: 40 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('a genuine inbound message replayed is stored once', async () => {
    const body = telesignInbound('+33612345678', '+33757000100', 'bonjour');
    const send = () => call(stack.baseUrl, 'POST', path(), { headers: { 'content-type': 'application/json', authorization: telesignAuth(body) }, body });
    expect((await send()).status).toBe(200);
    const once = stack.counts();
    expect(once.swb_message).toBe(before.swb_message + 1);
    const again = await Promise.all(Array.from({ length: 5 }, send));
    expect(again.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(stack.counts().swb_message).toBe(once.swb_message);
    expect(stack.counts().swb_conversation).toBe(once.swb_conversation);
  });
});

describe('ACS (Event Grid) callbacks', () => {
  const path = () => `/api/sms/acs/${stack.seeded.acs}`;
  const validation = JSON.stringify([
    { id: 'v1', topic: 't', subject: '', data: { validationCode: 'SECRET-CODE-123', validationUrl: 'https://example.test/v' }, eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', eventTime: new Date().toISOString(), dataVersion: '1', metadataVersion: '1' },
  ]);

  test('events, validation handshakes and CloudEvents OPTIONS without the right key are refused and write nothing', async () => {
    const key = fc.oneof(fc.constant(undefined), wrongSecret(SECRETS.SWB_SEC_ACS_EVENTGRID_KEY));
    const body = fc.oneof(junkBody, fc.constant(validation), fc.string({ minLength: 1, maxLength: 30 }).map((t) => acsInbound('+447700900123', '+447700900100', t)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST', 'OPTIONS'), body, contentTypes, key, fc.boolean(), async (method, b, contentType, k, inHeader) => {
        const headers: Record<string, string> = { 'content-type': contentType, 'aeg-event-type': 'SubscriptionValidation', 'webhook-request-origin': 'eventgrid.azure.net' };
        let query = '';
        if (k !== undefined) {
          if (inHeader) headers['x-switchboard-key'] = k;
          else query = `?key=${encodeURIComponent(k)}`;
        }
        const reply = await call(stack.baseUrl, method, path() + query, { headers, body: b });
        expectRefused(reply);
        // The handshake must not be completed for a caller without the key.
        expect(reply.text).not.toContain('SECRET-CODE-123');
        expect(reply.headers.get('webhook-allowed-origin')).toBeNull();
      }),
      RUNS,
    );
    expect(stack.counts()).toEqual(before);
  });

  test('with the right key, a malformed body is refused with 4xx and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(junkBody, async (b) => {
        const text = typeof b === 'string' ? b : '';
        fc.pre(!/SMSReceived|DeliveryReport|SubscriptionValidation/.test(text));
        // `[]` is a well-formed empty batch: nothing to do is not an error.
        fc.pre(!/^\s*\[\s*\]\s*$/.test(text));
        const reply = await call(stack.baseUrl, 'POST', `${path()}?key=${encodeURIComponent(SECRETS.SWB_SEC_ACS_EVENTGRID_KEY)}`, { headers: { 'content-type': 'application/json' }, body: b });
        expectRefused(reply);
      }),
      { numRuns: 40 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('a genuine inbound event delivered again is stored once', async () => {
    const body = acsInbound('+447700900123', '+447700900100', 'hello from ACS');
    const send = () => call(stack.baseUrl, 'POST', `${path()}?key=${encodeURIComponent(SECRETS.SWB_SEC_ACS_EVENTGRID_KEY)}`, { headers: { 'content-type': 'application/json' }, body });
    expect((await send()).status).toBe(200);
    const once = stack.counts();
    expect(once.swb_message).toBe(before.swb_message + 1);
    await Promise.all(Array.from({ length: 4 }, send));
    expect(stack.counts().swb_message).toBe(once.swb_message);
  });
});

describe('every SMS route', () => {
  test('unknown, malformed and wrong-provider channel ids are refused with 4xx and write nothing', async () => {
    const provider = fc.constantFrom('twilio', 'telesign', 'acs');
    const id = fc.oneof(guid, fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent), fc.constant('wrong-provider'));
    await fc.assert(
      fc.asyncProperty(provider, id, junkBody, async (p, rawId, body) => {
        // A real channel of another provider must be as unknown as a missing one.
        const channelId = rawId === 'wrong-provider' ? (p === 'twilio' ? stack.seeded.telesign : stack.seeded.twilio) : rawId;
        const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x', authorization: 'TSA a:b' };
        expectRefused(await call(stack.baseUrl, 'POST', `/api/sms/${p}/${channelId}?key=${SECRETS.SWB_SEC_ACS_EVENTGRID_KEY}`, { headers, body }), { hostMayAnswer: true });
      }),
      RUNS,
    );
    expect(stack.counts()).toEqual(before);
  });

  test('oversized bodies are refused with 413, with or without Content-Length, and write nothing', async () => {
    const big = Buffer.alloc(65 * 1024, 'a');
    for (const p of [`/api/sms/twilio/${stack.seeded.twilio}`, `/api/sms/telesign/${stack.seeded.telesign}`]) {
      const declared = await call(stack.baseUrl, 'POST', p, { headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' }, body: big });
      expect(declared.status).toBe(413);
      expectRefused(declared);
      const chunked = await callChunked(stack.baseUrl, p, { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.alloc(16 * 1024, 'b'), 8);
      expect(chunked.status).toBe(413);
    }
    const acs = await callChunked(stack.baseUrl, `/api/sms/acs/${stack.seeded.acs}?key=${SECRETS.SWB_SEC_ACS_EVENTGRID_KEY}`, { 'content-type': 'application/json' }, Buffer.alloc(64 * 1024, 'c'), 20);
    expect(acs.status).toBe(413);
    expect(stack.counts()).toEqual(before);
    await stillServing();
  });

  test('the admin-only validate route refuses callers without the function key or the admin key', async () => {
    const keyArb = fc.oneof(fc.constant(undefined), wrongSecret(SECRETS.SWITCHBOARD_ADMIN_KEY));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), keyArb, junkBody, async (withFunctionKey, adminKey, body) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (withFunctionKey) headers['x-functions-key'] = 'security-function-key-0001';
        if (adminKey !== undefined) headers['x-switchboard-admin-key'] = adminKey;
        const reply = await call(stack.baseUrl, 'POST', `/api/sms/${stack.seeded.twilio}/validate`, { headers, body });
        expectRefused(reply, { hostMayAnswer: !withFunctionKey });
        if (!withFunctionKey) expect(reply.status).toBe(401);
      }),
      { numRuns: 40 },
    );
    expect(stack.counts()).toEqual(before);
  });
});
