// The one contract between the SMS providers and the rest of the functions app.
// Triggers parse nothing themselves: they hand the raw request to an adapter, map
// VerifyResult / ParseResult to HTTP with the helpers at the end of this file, and
// pass the events on. Nothing here throws for anything a caller or provider got wrong.

export type SmsProvider = 'twilio' | 'telesign' | 'acs';

export const SMS_PROVIDERS: readonly SmsProvider[] = ['twilio', 'telesign', 'acs'];

/**
 * The request exactly as received. `rawBody` must be the untouched body text: TeleSign
 * signs the raw bytes and Twilio signs the decoded form, so re-serialising breaks both.
 * Header names are matched case-insensitively.
 */
export interface InboundHttpRequest {
  readonly method: string;
  /** Absolute URL or path + query as received; only its query string is read. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: string;
}

/** Secret values by role (e.g. `authToken`), already resolved from setting names. */
export type ResolvedSecrets = Readonly<Record<string, string>>;

/** missing-secret and misconfigured are our faults (500); the others the caller's (403). */
export type VerifyFailureReason = 'missing-signature' | 'bad-signature' | 'missing-secret' | 'misconfigured';

export type VerifyResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: VerifyFailureReason; readonly detail: string };

/** Matches the solution's swb_deliverystatus choice (Queued, Sent, Delivered, Failed). */
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'failed';

export interface InboundMessage {
  readonly kind: 'message';
  readonly provider: SmsProvider;
  /** Idempotency key: (channel, providerMessageId) is the message's alternate key. */
  readonly providerMessageId: string;
  /** Customer number: E.164 when the provider gave a phone number, else as given (short code, alphanumeric). */
  readonly from: string;
  /** Our number: E.164 for long codes, short codes kept as-is (e.g. "12345"). */
  readonly to: string;
  readonly body: string;
  readonly mediaUrls: readonly string[];
  readonly receivedAt?: string;
}

export interface InboundStatus {
  readonly kind: 'status';
  readonly provider: SmsProvider;
  readonly providerMessageId: string;
  readonly status: DeliveryStatus;
  /** True when the provider will send no later status for this message. */
  readonly final: boolean;
  /** The provider's own status word or code, for the record and for support. */
  readonly providerStatus: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly occurredAt?: string;
  readonly to?: string;
  /**
   * Our OutboundSms.clientReference, when the provider echoes it (TeleSign external_id, ACS
   * tag). A delivery report can arrive before the send's provider id is stored; this lets
   * the caller match it anyway.
   */
  readonly clientReference?: string;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A provider proving we own the endpoint (Event Grid); answer with `reply` and store nothing. */
export interface ValidationHandshake {
  readonly kind: 'validation';
  readonly provider: SmsProvider;
  readonly reply: HttpReply;
}

/** Well-formed but not for us (another event type on the same subscription, an unknown status). */
export interface IgnoredEvent {
  readonly kind: 'ignored';
  readonly provider: SmsProvider;
  readonly reason: string;
}

export type InboundEvent = InboundMessage | InboundStatus | ValidationHandshake | IgnoredEvent;

export type ParseErrorCode = 'malformed-body' | 'missing-field' | 'unsupported-method';

export interface ParseError {
  readonly code: ParseErrorCode;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly events: readonly InboundEvent[] }
  | { readonly ok: false; readonly error: ParseError };

export interface OutboundSms {
  /**
   * Our sender: E.164 long code, short code or alphanumeric id as the provider expects it.
   * For Twilio, a Messaging Service SID ("MG…") sends through that service's sender pool.
   */
  readonly from: string;
  /** Customer number in E.164. */
  readonly to: string;
  readonly body: string;
  /** Where the provider should post delivery reports, when it takes one per message (Twilio). */
  readonly statusCallbackUrl?: string;
  /** Our own reference, echoed back by providers that support it (ACS tag, TeleSign external_id). */
  readonly clientReference?: string;
}

export const SEND_FAILURE_CODES = [
  'credentials-rejected',
  'number-not-owned',
  'invalid-recipient',
  'recipient-opted-out',
  'trial-restriction',
  'account-inactive',
  'rate-limited',
  'unreachable',
  'provider-error',
  'missing-secret',
  'invalid-configuration',
  'unknown-channel',
] as const;

export type SendFailureCode = (typeof SEND_FAILURE_CODES)[number];

export interface SendFailure {
  readonly code: SendFailureCode;
  /** Worth trying again later unchanged (throttling, outage, network). */
  readonly retryable: boolean;
  readonly message: string;
  readonly providerCode?: string;
  readonly httpStatus?: number;
}

export type SendResult =
  | { readonly ok: true; readonly providerMessageId: string; readonly status: DeliveryStatus }
  | { readonly ok: false; readonly failure: SendFailure };

export interface SmsChannelAdapter {
  readonly provider: SmsProvider;
  /** Secret roles this provider needs, e.g. ['accountSid', 'authToken']. */
  readonly secretRoles: readonly string[];
  /** `publicUrl` is the URL exactly as pasted into the provider console (scheme, host, path, query). */
  verify(req: InboundHttpRequest, secrets: ResolvedSecrets, publicUrl: string): VerifyResult;
  parseInbound(req: InboundHttpRequest): ParseResult;
  /** The answer the provider expects once the events are safely stored. */
  acknowledge(events: readonly InboundEvent[]): HttpReply;
  send(msg: OutboundSms, secrets: ResolvedSecrets): Promise<SendResult>;
}

/**
 * Resolves a secret *setting name* stored on the channel row to its value. In Azure the
 * names are app settings (Key Vault references there are resolved by the platform); the
 * row never holds a value.
 */
export interface SecretResolver {
  resolve(settingName: string): string | undefined;
}

/** What the delivery path needs from a channel row. */
export interface SmsChannelConfig {
  readonly channelId: string;
  readonly provider: SmsProvider;
  readonly fromNumber: string;
  readonly testNumber?: string;
  /** Secret role → app-setting name, e.g. { authToken: 'SWB_TWILIO_MAIN_AUTH_TOKEN' }. */
  readonly secretSettingNames: Readonly<Record<string, string>>;
}

export interface ChannelDirectory {
  getChannel(channelId: string): Promise<SmsChannelConfig | undefined>;
}

export interface OptOutLookup {
  isOptedOut(channelId: string, number: string): Promise<boolean>;
}

/** Called by the outbound plugin step: sends one text on a channel, honouring opt-out. */
export interface ChannelDelivery {
  /** `clientReference` (our message id) is echoed back by providers that support it. */
  deliver(channelId: string, to: string, body: string, options?: { readonly clientReference?: string; readonly knownOptOut?: boolean }): Promise<SendResult>;
}

// ---- mapping to HTTP, for the (later) triggers -------------------------------------------

/** A bad or missing signature is the caller's fault (403); a missing secret or bad setup is ours (500). */
export function httpStatusForVerify(result: VerifyResult): number {
  if (result.ok) return 200;
  return result.reason === 'missing-secret' || result.reason === 'misconfigured' ? 500 : 403;
}

export function httpStatusForParseError(error: ParseError): number {
  return error.code === 'unsupported-method' ? 405 : 400;
}

export function errorReply(status: number, code: string, message: string): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: { code, message } }),
  };
}

export function headerOf(req: InboundHttpRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function queryOf(req: InboundHttpRequest): URLSearchParams {
  const at = req.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : req.url.slice(at + 1));
}

export function failure(code: SendFailureCode, message: string, extra: Partial<Omit<SendFailure, 'code' | 'message'>> = {}): SendResult {
  const retryable = extra.retryable ?? (code === 'rate-limited' || code === 'unreachable' || code === 'provider-error');
  return { ok: false, failure: { code, message, ...extra, retryable } };
}
