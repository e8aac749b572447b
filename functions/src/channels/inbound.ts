// The inbound half of a provider callback, in the one safe order: channel known → secrets
// → authenticated → parsed. The trigger stores `events` (if any) and only then answers with
// `reply`; every rejection comes back as a reply with nothing to store.
import type {
  HttpReply,
  InboundHttpRequest,
  InboundMessage,
  InboundStatus,
  SecretResolver,
  SmsChannelConfig,
  SmsProvider,
} from './channel';
import { errorReply, httpStatusForParseError, httpStatusForVerify } from './channel';
import type { SmsAdapters } from './registry';

export type InboundOutcome =
  /** Rejected, or a handshake: answer `reply`, write nothing. */
  | { readonly kind: 'reply'; readonly reply: HttpReply }
  /** Authentic and well-formed: store `events` idempotently, then answer `reply`. */
  | { readonly kind: 'events'; readonly events: readonly (InboundMessage | InboundStatus)[]; readonly ignored: readonly string[]; readonly reply: HttpReply };

export interface InboundArgs {
  readonly adapters: SmsAdapters;
  /** The provider of the route that was called. */
  readonly provider: SmsProvider;
  /** The channel named in the route, or undefined when there is none. */
  readonly channel: SmsChannelConfig | undefined;
  readonly secrets: SecretResolver;
  readonly request: InboundHttpRequest;
  readonly publicUrl: string;
}

export function receiveInbound(args: InboundArgs): InboundOutcome {
  const { channel, provider, request } = args;
  // A channel of another provider is as unknown as a missing one: a Twilio-signed request
  // must not be checked against a TeleSign channel's secrets.
  if (!channel || channel.provider !== provider) {
    return { kind: 'reply', reply: errorReply(404, 'unknown-channel', 'No such SMS channel.') };
  }
  const adapter = args.adapters[provider];
  // Resolve what is there: inbound checks need only some roles (Twilio's auth token, ACS's
  // Event Grid key), and verify() itself reports the one it lacks.
  const secrets: Record<string, string> = {};
  for (const role of adapter.secretRoles) {
    const name = channel.secretSettingNames[role];
    const value = name ? args.secrets.resolve(name) : undefined;
    if (value !== undefined) secrets[role] = value;
  }

  const verified = adapter.verify(request, secrets, args.publicUrl);
  if (!verified.ok) {
    const status = httpStatusForVerify(verified);
    // Our own misconfiguration is not the caller's business; the detail goes to logs.
    const message = status === 500 ? 'The channel is not configured to receive callbacks.' : verified.detail;
    return { kind: 'reply', reply: errorReply(status, verified.reason, message) };
  }

  const parsed = adapter.parseInbound(request);
  if (!parsed.ok) return { kind: 'reply', reply: errorReply(httpStatusForParseError(parsed.error), parsed.error.code, parsed.error.message) };

  const handshake = parsed.events.find((e) => e.kind === 'validation');
  if (handshake) return { kind: 'reply', reply: adapter.acknowledge(parsed.events) };

  const events: (InboundMessage | InboundStatus)[] = [];
  const ignored: string[] = [];
  for (const e of parsed.events) {
    if (e.kind === 'message' || e.kind === 'status') events.push(e);
    else if (e.kind === 'ignored') ignored.push(e.reason);
  }
  return { kind: 'events', events, ignored, reply: adapter.acknowledge(parsed.events) };
}
