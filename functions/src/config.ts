import { ConfigError } from './hosting/errors';
import type { DataverseAuth } from './dataverse/token-source';

export interface FunctionsConfig {
  dataverse: { url: string; auth: DataverseAuth };
  storage: { connectionString: string } | { queueServiceUri: string; managedIdentityClientId?: string };
  // Setting name the queue triggers bind to (Azure binding semantics, not the value).
  storageConnectionSetting: string;
  webhookKey: string;
  // The app's address as the outside world sees it; provider signatures are computed over it.
  publicBaseUrl: string;
  queues: { routing: string };
  // Every app setting as loaded (channel secrets SWB_*, CHAT_TOKEN_KEY…), for the services:
  // whatever loadConfig was given (process.env in Azure, local.settings*.json in the dev host).
  appSettings: Env;
}

export type Env = Readonly<Record<string, string | undefined>>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function loadConfig(env: Env): FunctionsConfig {
  const problems: string[] = [];
  const need = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) {
      problems.push(`${name} is required`);
      return '';
    }
    return value;
  };

  const dataverseUrl = need('DATAVERSE_URL').replace(/\/+$/, '');
  let parsedUrl: URL | undefined;
  if (dataverseUrl) {
    try {
      parsedUrl = new URL(dataverseUrl);
    } catch {
      problems.push(`DATAVERSE_URL is not a URL: "${dataverseUrl}"`);
    }
  }

  let auth: DataverseAuth = { kind: 'static-token', token: '' };
  const authKind = need('DATAVERSE_AUTH');
  switch (authKind) {
    case 'client-secret':
      auth = { kind: 'client-secret', tenantId: need('AZURE_TENANT_ID'), clientId: need('AZURE_CLIENT_ID'), clientSecret: need('AZURE_CLIENT_SECRET') };
      break;
    case 'managed-identity': {
      const clientId = env['AZURE_CLIENT_ID']?.trim();
      auth = clientId ? { kind: 'managed-identity', clientId } : { kind: 'managed-identity' };
      break;
    }
    case 'static-token':
      auth = { kind: 'static-token', token: need('DATAVERSE_STATIC_TOKEN') };
      // A fixed token only makes sense against the local emulator; refusing anything else
      // keeps a leftover dev setting from ever reaching a real environment.
      if (parsedUrl && !LOOPBACK.has(parsedUrl.hostname)) {
        problems.push('DATAVERSE_AUTH=static-token is only allowed with a loopback DATAVERSE_URL (the emulator)');
      }
      break;
    case '':
      break;
    default:
      problems.push(`DATAVERSE_AUTH must be client-secret, managed-identity or static-token, not "${authKind}"`);
  }

  const connection = env['AzureWebJobsStorage']?.trim();
  const queueServiceUri = env['AzureWebJobsStorage__queueServiceUri']?.trim();
  let storage: FunctionsConfig['storage'] = { connectionString: '' };
  if (connection) storage = { connectionString: connection };
  else if (queueServiceUri) {
    const miClient = env['AzureWebJobsStorage__clientId']?.trim();
    storage = miClient ? { queueServiceUri, managedIdentityClientId: miClient } : { queueServiceUri };
  } else problems.push('AzureWebJobsStorage (connection string) or AzureWebJobsStorage__queueServiceUri is required');

  const webhookKey = need('WEBHOOK_KEY');
  if (webhookKey && webhookKey.length < 16) problems.push('WEBHOOK_KEY must be at least 16 characters');

  const publicBaseUrl = need('PUBLIC_BASE_URL').replace(/\/+$/, '');
  if (publicBaseUrl && !/^https?:\/\/[^/]+$/.test(publicBaseUrl)) {
    problems.push(`PUBLIC_BASE_URL must be scheme://host[:port] without a path: "${publicBaseUrl}"`);
  }

  const routing = env['SWB_ROUTING_QUEUE']?.trim() || 'swb-routing';

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dataverse: { url: dataverseUrl, auth },
    storage,
    storageConnectionSetting: 'AzureWebJobsStorage',
    webhookKey,
    publicBaseUrl,
    queues: { routing },
    appSettings: env,
  };
}
