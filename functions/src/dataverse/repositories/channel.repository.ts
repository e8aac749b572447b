// SMS channel rows → the channel layer's SmsChannelConfig. The row holds one secret setting
// name (auth token / API key / connection string) and one callback secret setting name (ACS's
// Event Grid key); the account id (Twilio SID, TeleSign customer id) is not a secret and is
// kept on the row as a value, which reaches the adapter through a `literal:` name that only
// channelSecretResolver understands.
import { Provider, type ChannelRow } from '@switchboard/solution';
import type { ChannelDirectory, SecretResolver, SmsChannelConfig, SmsProvider } from '../../channels';
import type { DataverseClient } from '../dataverse-client';
import { isGuid } from './odata';

export interface ChannelRecord extends SmsChannelConfig {
  readonly name: string;
  readonly enabled: boolean;
  readonly workstreamId?: string;
  readonly defaultRegion?: string;
}

const PROVIDERS: Record<number, SmsProvider> = { [Provider.Twilio]: 'twilio', [Provider.TeleSign]: 'telesign', [Provider.Acs]: 'acs' };
const LITERAL = 'literal:';
const SETTING_NAME = /^SWB_[A-Za-z0-9_]{1,120}$/;

const SELECT = [
  'swb_channelid', 'swb_name', 'swb_provider', 'swb_phonenumber', 'swb_senderid', 'swb_accountid', 'swb_secretsettingname',
  'swb_callbacksecretsettingname', 'swb_testnumber', '_swb_workstreamid_value', 'swb_defaultregion', 'swb_isenabled',
];

export function channelFromRow(row: ChannelRow): ChannelRecord | undefined {
  const provider = PROVIDERS[row.swb_provider ?? -1];
  if (!provider) return undefined;
  const secret = row.swb_secretsettingname?.trim();
  const callback = row.swb_callbacksecretsettingname?.trim();
  const account = row.swb_accountid?.trim();
  // A name that is not an SWB_ setting is left out, so the adapter reports the secret missing
  // rather than us reading some other setting of the app.
  const named = (value: string | undefined) => (value && SETTING_NAME.test(value) ? value : undefined);
  const names: Record<string, string> = {};
  const put = (role: string, name: string | undefined) => {
    if (name) names[role] = name;
  };
  switch (provider) {
    case 'twilio':
      put('accountSid', account ? LITERAL + account : undefined);
      put('authToken', named(secret));
      break;
    case 'telesign':
      put('customerId', account ? LITERAL + account : undefined);
      put('apiKey', named(secret));
      break;
    case 'acs':
      put('connectionString', named(secret));
      put('eventGridKey', named(callback));
      break;
  }
  // Twilio Messaging Service SIDs and alphanumeric senders live in swb_senderid.
  const from = row.swb_senderid?.trim() || row.swb_phonenumber?.trim() || '';
  return {
    channelId: row.swb_channelid,
    provider,
    fromNumber: from,
    ...(row.swb_testnumber ? { testNumber: row.swb_testnumber } : {}),
    secretSettingNames: names,
    name: row.swb_name ?? '',
    enabled: row.swb_isenabled !== false,
    ...(row._swb_workstreamid_value ? { workstreamId: row._swb_workstreamid_value } : {}),
    ...(row.swb_defaultregion ? { defaultRegion: row.swb_defaultregion.toUpperCase() } : {}),
  };
}

/** App settings for secrets, plus the non-secret account ids carried as `literal:` names. */
export function channelSecretResolver(settings: SecretResolver): SecretResolver {
  return {
    resolve(name) {
      if (name.startsWith(LITERAL)) {
        const value = name.slice(LITERAL.length);
        return value === '' ? undefined : value;
      }
      return settings.resolve(name);
    },
  };
}

export class DataverseChannelDirectory implements ChannelDirectory {
  private readonly cache = new Map<string, { at: number; value: ChannelRecord | undefined }>();

  // A short cache: every inbound SMS needs its channel, and admins change channels rarely;
  // 30 s bounds how long a disabled channel keeps receiving.
  constructor(
    private readonly client: DataverseClient,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  async getRecord(channelId: string): Promise<ChannelRecord | undefined> {
    if (!isGuid(channelId)) return undefined;
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.ttlMs ?? 30_000;
    const hit = this.cache.get(channelId);
    if (hit && now - hit.at < ttl) return hit.value;
    const found = await this.client.retrieveWithETag<ChannelRow>('swb_channels', channelId, SELECT);
    const value = found ? channelFromRow(found.row) : undefined;
    this.cache.set(channelId, { at: now, value });
    return value;
  }

  async getChannel(channelId: string): Promise<SmsChannelConfig | undefined> {
    const record = await this.getRecord(channelId);
    return record && record.enabled ? record : undefined;
  }
}
