// The phone simulator's server half: it signs a customer's SMS exactly as each provider signs
// its webhooks and POSTs it to the functions app, and it plays the providers' send APIs so
// every outbound SMS lands in the same thread instead of on a real phone.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { normalizePhoneNumber } from '@switchboard/core';
// Reuse the channel layer's own signing code rather than a second copy of TeleSign's scheme.
import { telesignSignature } from '@switchboard/functions/channels/telesign/telesign.mapper';
import { CHANNELS, CHANNEL_SECRETS, TELESIGN_CUSTOMER_ID, TWILIO_ACCOUNT_SID, type DemoChannel } from '../seed/demo-data';

/** A POST as a provider would send it to the functions app. */
export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type ProviderKey = DemoChannel['key'];

export interface ThreadEntry {
  id: string;
  direction: 'in' | 'out';
  provider: ProviderKey;
  channelNumber: string;
  customer: string;
  body: string;
  at: string;
  /** in: the functions app's answer; out: what the stand-in answered */
  status: number;
  detail?: string;
}

export interface SendInput {
  provider: ProviderKey;
  from: string;
  body: string;
}

export interface SimulatorOptions {
  functionsUrl: string;
  /** What the functions app believes its public URL is (PUBLIC_BASE_URL): Twilio signs that. */
  publicBaseUrl: string;
  secrets: Record<string, string>;
}

export class PhoneSimulator {
  readonly thread: ThreadEntry[] = [];
  constructor(private readonly options: SimulatorOptions) {}

  channel(provider: ProviderKey): DemoChannel {
    const c = CHANNELS.find((x) => x.key === provider);
    if (!c) throw new Error(`unknown provider ${provider}`);
    return c;
  }

  /**
   * The customer types a number the way they would write it at home; the carrier sends E.164.
   * Ofcom reserves 07700 900000–900999 for drama and testing — the numbers people reach for in a
   * demo — and libphonenumber deliberately calls them invalid; this simulated phone takes them.
   */
  e164(typed: string, provider: ProviderKey): string | undefined {
    const region = this.channel(provider).region;
    const strict = normalizePhoneNumber(typed, { defaultRegion: region });
    if (strict.ok) return strict.value;
    if (region !== 'GB') return undefined;
    const digits = typed.replace(/[\s().-]/g, '').replace(/^(?:\+44|0044)/, '0');
    return /^07700900\d{3}$/.test(digits) ? `+44${digits.slice(1)}` : undefined;
  }

  async send(input: SendInput): Promise<ThreadEntry> {
    const channel = this.channel(input.provider);
    const from = this.e164(input.from, input.provider);
    const entry: ThreadEntry = { id: randomUUID(), direction: 'in', provider: input.provider, channelNumber: channel.number, customer: from ?? input.from, body: input.body, at: new Date().toISOString(), status: 0 };
    // In the thread before the POST: the automatic reply may be sent while it is in flight.
    this.thread.push(entry);
    if (!from) {
      entry.status = 400;
      entry.detail = `"${input.from}" is not a phone number in ${channel.region}`;
      return entry;
    }
    const request = this.signedRequest(channel, from, input.body);
    try {
      const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
      entry.status = res.status;
      const text = await res.text();
      if (!res.ok) entry.detail = text.slice(0, 500);
    } catch (err) {
      entry.status = 599;
      entry.detail = `functions app unreachable: ${(err as Error).message}`;
    }
    return entry;
  }

  signedRequest(channel: DemoChannel, from: string, body: string): SignedRequest {
    const secrets = this.options.secrets;
    switch (channel.key) {
      case 'twilio': {
        const path = `/api/sms/twilio/${channel.id}`;
        const params: Record<string, string> = {
          ToCountry: channel.region,
          SmsMessageSid: `SM${randomHex(32)}`,
          NumMedia: '0',
          SmsSid: '',
          SmsStatus: 'received',
          Body: body,
          To: channel.number,
          NumSegments: '1',
          MessageSid: '',
          AccountSid: TWILIO_ACCOUNT_SID,
          From: from,
          ApiVersion: '2010-04-01',
        };
        params.SmsSid = params.SmsMessageSid!;
        params.MessageSid = params.SmsMessageSid!;
        // Twilio signs the URL it was configured with (our public base) plus the sorted form.
        const signature = getExpectedTwilioSignature(secrets['SWB_TWILIO_DEMO_TOKEN']!, this.options.publicBaseUrl + path, params);
        return {
          url: this.options.functionsUrl + path,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': randomUUID() },
          body: new URLSearchParams(params).toString(),
        };
      }
      case 'telesign': {
        const now = new Date().toISOString();
        const payload = JSON.stringify({
          reference_id: randomHex(32).toUpperCase(),
          sub_resource: 'mo_sms',
          submit_timestamp: now,
          status: { code: 200, description: 'Delivered to handset', updated_on: now },
          user_response: { phone_number: from.replace(/^\+/, ''), mo_message: body, sender_id: channel.number.replace(/^\+/, '') },
        });
        return this.telesignCallback(channel, payload);
      }
      case 'acs': {
        const messageId = `Incoming_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomUUID()}`;
        return this.acsEvent(channel, messageId, 'Microsoft.Communication.SMSReceived', channel.number, {
          MessageId: messageId, From: from, To: channel.number, Message: body, ReceivedTimestamp: new Date().toISOString(),
        });
      }
    }
  }

  /** A TeleSign callback (inbound mo_sms or a delivery report) to the channel's URL, signed with the account's callback HMAC. */
  private telesignCallback(channel: DemoChannel, payload: string): SignedRequest {
    const auth = `TSA ${TELESIGN_CUSTOMER_ID}:${telesignSignature(this.options.secrets['SWB_TELESIGN_DEMO_APIKEY']!, payload)}`;
    return { url: `${this.options.functionsUrl}/api/sms/telesign/${channel.id}`, headers: { 'content-type': 'application/json', authorization: auth, 'x-ts-authorization': auth }, body: payload };
  }

  /** One ACS event as Event Grid delivers it to the channel's subscription (Event Grid does not sign; the URL carries the key). */
  private acsEvent(channel: DemoChannel, id: string, eventType: string, number: string, data: Record<string, unknown>): SignedRequest {
    const now = new Date().toISOString();
    const event = [
      {
        id,
        topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.Communication/CommunicationServices/switchboard-demo',
        subject: `/phonenumber/${number.replace(/^\+/, '')}`,
        data,
        eventType,
        dataVersion: '1.0',
        metadataVersion: '1',
        eventTime: now,
      },
    ];
    const key = encodeURIComponent(this.options.secrets['SWB_ACS_DEMO_EVENTGRID_KEY']!);
    return { url: `${this.options.functionsUrl}/api/sms/acs/${channel.id}?key=${key}`, headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, body: JSON.stringify(event) };
  }

  /** A provider's report to the functions app: what it answers does not matter to the phone. */
  private async report(request: SignedRequest): Promise<void> {
    await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body }).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
  }

  // ---- provider stand-ins (outbound) -----------------------------------------------------

  /** POST /twilio/2010-04-01/Accounts/{sid}/Messages.json */
  twilioSend(path: string, headers: Record<string, string | undefined>, rawBody: string): { status: number; body: unknown } {
    const sid = /\/Accounts\/([^/]+)\/Messages\.json$/.exec(path)?.[1];
    if (!basicAuthIs(headers['authorization'], TWILIO_ACCOUNT_SID, this.options.secrets['SWB_TWILIO_DEMO_TOKEN']!) || sid !== TWILIO_ACCOUNT_SID) {
      return { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };
    }
    const form = new URLSearchParams(rawBody);
    const messageSid = `SM${randomHex(32)}`;
    this.recordOut('twilio', form.get('From') ?? '', form.get('To') ?? '', form.get('Body') ?? '', 201);
    const callback = form.get('StatusCallback');
    if (callback) setTimeout(() => void this.twilioStatus(callback, messageSid, form), 300);
    return { status: 201, body: { sid: messageSid, status: 'queued', to: form.get('To'), from: form.get('From'), body: form.get('Body'), account_sid: TWILIO_ACCOUNT_SID } };
  }

  // Twilio reports delivery to the StatusCallback it was given, signed like any webhook.
  private async twilioStatus(callback: string, messageSid: string, form: URLSearchParams): Promise<void> {
    const params = { MessageSid: messageSid, SmsSid: messageSid, MessageStatus: 'delivered', SmsStatus: 'delivered', To: form.get('To') ?? '', From: form.get('From') ?? '', AccountSid: TWILIO_ACCOUNT_SID, ApiVersion: '2010-04-01' };
    const signature = getExpectedTwilioSignature(this.options.secrets['SWB_TWILIO_DEMO_TOKEN']!, callback, params);
    const target = callback.startsWith(this.options.publicBaseUrl) ? this.options.functionsUrl + callback.slice(this.options.publicBaseUrl.length) : callback;
    await this.report({ url: target, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
  }

  /** POST /telesign/v1/messaging */
  telesignSend(headers: Record<string, string | undefined>, rawBody: string): { status: number; body: unknown } {
    if (!basicAuthIs(headers['authorization'], TELESIGN_CUSTOMER_ID, this.options.secrets['SWB_TELESIGN_DEMO_APIKEY']!)) {
      return { status: 401, body: { status: { code: 501, description: 'Not authorized', updated_on: new Date().toISOString() }, errors: [{ code: -30000, description: 'Invalid Customer ID.' }] } };
    }
    const form = new URLSearchParams(rawBody);
    const digits = (s: string | null) => (s ? `+${s.replace(/^\+/, '')}` : '');
    this.recordOut('telesign', digits(form.get('sender_id')) || this.channel('telesign').number, digits(form.get('phone_number')), form.get('message') ?? '', 200);
    const referenceId = randomHex(32).toUpperCase();
    // The handset has it: TeleSign posts the delivery report to the account's callback URL.
    setTimeout(() => void this.telesignDelivered(referenceId), 300);
    return { status: 200, body: { reference_id: referenceId, status: { code: 290, description: 'Message in progress', updated_on: new Date().toISOString() } } };
  }

  // TeleSign's SMS delivery report (a Transaction Callback): reference_id and a final status, signed like an inbound one.
  private async telesignDelivered(referenceId: string): Promise<void> {
    const now = new Date().toISOString();
    const payload = JSON.stringify({ reference_id: referenceId, status: { code: 200, description: 'Delivered to handset', updated_on: now }, submit_timestamp: now });
    await this.report(this.telesignCallback(this.channel('telesign'), payload));
  }

  /** POST /sms?api-version=2021-03-07 — checks the SDK's HMAC the way ACS does. */
  acsSend(method: string, url: string, headers: Record<string, string | undefined>, rawBody: string, accessKey: string): { status: number; body: unknown } {
    const contentHash = createHash('sha256').update(rawBody, 'utf8').digest('base64');
    const stringToSign = `${method}\n${url}\n${String(headers['x-ms-date'])};${String(headers['host'])};${contentHash}`;
    const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(stringToSign, 'utf8').digest('base64');
    const given = /Signature=(.+)$/.exec(String(headers['authorization']))?.[1];
    if (headers['x-ms-content-sha256'] !== contentHash || given !== expected) return { status: 401, body: { error: { code: 'Denied', message: 'Denied by the resource provider.' } } };
    const body = JSON.parse(rawBody) as { from: string; message: string; smsRecipients: { to: string }[]; smsSendOptions?: { enableDeliveryReport?: boolean; tag?: string } };
    const value = body.smsRecipients.map((r) => {
      this.recordOut('acs', body.from, r.to, body.message, 202);
      const messageId = `Outgoing_${randomUUID()}`;
      if (body.smsSendOptions?.enableDeliveryReport) setTimeout(() => void this.acsDelivered(messageId, body.from, r.to, body.smsSendOptions?.tag), 300);
      return { to: r.to, messageId, httpStatusCode: 202, repeatabilityResult: 'accepted', successful: true };
    });
    return { status: 202, body: { value } };
  }

  // ACS reports delivery through Event Grid (SMSDeliveryReportReceived) when the send asked for it.
  private async acsDelivered(messageId: string, from: string, to: string, tag: string | undefined): Promise<void> {
    const now = new Date().toISOString();
    await this.report(
      this.acsEvent(this.channel('acs'), randomUUID(), 'Microsoft.Communication.SMSDeliveryReportReceived', from, {
        MessageId: messageId, From: from, To: to, DeliveryStatus: 'Delivered', DeliveryStatusDetails: 'No error.', ReceivedTimestamp: now,
        DeliveryAttempts: [{ Timestamp: now, SegmentsSucceeded: 1, SegmentsFailed: 0 }], ...(tag ? { Tag: tag } : {}),
      }),
    );
  }

  private recordOut(provider: ProviderKey, from: string, to: string, body: string, status: number): void {
    this.thread.push({ id: randomUUID(), direction: 'out', provider, channelNumber: from, customer: to, body, at: new Date().toISOString(), status });
  }
}

function basicAuthIs(header: string | undefined, user: string, password: string): boolean {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  return Buffer.from(m[1]!, 'base64').toString('utf8') === `${user}:${password}`;
}

function randomHex(n: number): string {
  let s = '';
  while (s.length < n) s += randomUUID().replace(/-/g, '');
  return s.slice(0, n);
}

export function demoSecrets(acsConnectionString: string): Record<string, string> {
  return { ...CHANNEL_SECRETS, SWB_ACS_DEMO_CONNECTION: acsConnectionString };
}
