// Sending one text on a channel: look the channel up, refuse opted-out numbers before any
// provider is called, resolve the channel's secrets by name, send. Used by the outbound
// plugin step (agent replies, templates, automated messages) and by "validate API key".
import type { ChannelDelivery, ChannelDirectory, OptOutLookup, SecretResolver, SendResult, SmsChannelConfig } from './channel';
import { failure } from './channel';
import type { SmsAdapters } from './registry';
import { resolveChannelSecrets } from './secrets';

export interface ChannelDeliveryDeps {
  readonly channels: ChannelDirectory;
  readonly adapters: SmsAdapters;
  readonly secrets: SecretResolver;
  readonly optOuts: OptOutLookup;
  /** Public status-callback URL for providers that take one per message (Twilio). */
  readonly statusCallbackUrl?: (channel: SmsChannelConfig) => string | undefined;
}

export interface DeliverOptions {
  /** Our message id, echoed back by providers that support it. */
  readonly clientReference?: string;
  /** The number's opt-out state, when the caller read it already (in the same batch as other reads). */
  readonly knownOptOut?: boolean;
}

export async function sendOnChannel(deps: ChannelDeliveryDeps, channel: SmsChannelConfig, to: string, body: string, options: DeliverOptions = {}): Promise<SendResult> {
  // Checked here, not left to the provider: TeleSign and ACS do not block STOPped numbers
  // for us, and a send to an opted-out number must never leave the building.
  if (options.knownOptOut ?? (await deps.optOuts.isOptedOut(channel.channelId, to))) {
    return failure('recipient-opted-out', 'The recipient has opted out of texts on this channel (STOP).', { retryable: false });
  }
  const adapter = deps.adapters[channel.provider];
  const resolved = resolveChannelSecrets(adapter.secretRoles, channel.secretSettingNames, deps.secrets);
  if (!resolved.ok) return failure('missing-secret', resolved.message);
  const statusCallbackUrl = deps.statusCallbackUrl?.(channel);
  return adapter.send(
    {
      from: channel.fromNumber,
      to,
      body,
      ...(statusCallbackUrl ? { statusCallbackUrl } : {}),
      ...(options.clientReference ? { clientReference: options.clientReference } : {}),
    },
    resolved.secrets,
  );
}

export function createChannelDelivery(deps: ChannelDeliveryDeps): ChannelDelivery {
  return {
    async deliver(channelId, to, body, options = {}) {
      const channel = await deps.channels.getChannel(channelId);
      if (!channel) return failure('unknown-channel', `No SMS channel ${channelId}.`, { retryable: false });
      return sendOnChannel(deps, channel, to, body, options);
    },
  };
}
