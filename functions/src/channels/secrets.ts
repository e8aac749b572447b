// Secret *names* live on the channel row; values live in app settings (in Azure, an app
// setting may be a Key Vault reference — the platform resolves it before we read it).
import type { ResolvedSecrets, SecretResolver } from './channel';

/**
 * Reads app settings (process.env in the Functions host, passed in explicitly). Only names
 * with the given prefix are readable: a channel row is editable by Switchboard
 * administrators, and without the prefix one could point a channel at any setting of the
 * app (the Dataverse client secret, the storage connection string) and have it sent to a
 * provider's API as a credential.
 */
export function appSettingsSecretResolver(settings: Readonly<Record<string, string | undefined>>, options: { prefix?: string } = {}): SecretResolver {
  const prefix = options.prefix ?? 'SWB_';
  return {
    resolve(settingName) {
      if (!settingName.startsWith(prefix)) return undefined;
      const value = settings[settingName];
      return value === undefined || value.trim() === '' ? undefined : value;
    },
  };
}

export interface MissingSecret {
  readonly role: string;
  /** Undefined when the channel row names no setting for this role. */
  readonly settingName?: string;
}

export type SecretResolution =
  | { readonly ok: true; readonly secrets: ResolvedSecrets }
  | { readonly ok: false; readonly missing: readonly MissingSecret[]; readonly message: string };

export function resolveChannelSecrets(
  roles: readonly string[],
  settingNames: Readonly<Record<string, string>>,
  resolver: SecretResolver,
): SecretResolution {
  const secrets: Record<string, string> = {};
  const missing: MissingSecret[] = [];
  for (const role of roles) {
    const settingName = settingNames[role];
    const value = settingName ? resolver.resolve(settingName) : undefined;
    if (value === undefined) missing.push(settingName ? { role, settingName } : { role });
    else secrets[role] = value;
  }
  if (missing.length === 0) return { ok: true, secrets };
  // Names only, never values: this message is logged and shown to administrators.
  const message = missing.map((m) => (m.settingName ? `${m.role} (app setting ${m.settingName} is not set)` : `${m.role} (no setting named on the channel)`)).join('; ');
  return { ok: false, missing, message: `Missing channel secrets: ${message}.` };
}
