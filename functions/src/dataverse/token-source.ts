import type { AccessToken, TokenCredential } from '@azure/identity';
import { ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';

export type DataverseAuth =
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'managed-identity'; clientId?: string }
  // The local emulator accepts any bearer token; never used against real Dataverse.
  | { kind: 'static-token'; token: string };

export interface TokenSource {
  getToken(): Promise<string>;
}

// Dataverse accepts tokens for the environment URL's "/.default" scope.
export function dataverseScope(url: string): string {
  return `${new URL(url).origin}/.default`;
}

export class CachedTokenSource implements TokenSource {
  private cached: AccessToken | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly credential: Pick<TokenCredential, 'getToken'>,
    private readonly scope: string,
    private readonly now: () => number = Date.now,
    // Refresh early so a token never expires between being handed out and reaching Dataverse.
    private readonly refreshMarginMs = 5 * 60_000,
  ) {}

  async getToken(): Promise<string> {
    if (this.cached && this.cached.expiresOnTimestamp - this.refreshMarginMs > this.now()) {
      return this.cached.token;
    }
    // Single flight: concurrent requests on a cold instance share one token request.
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<string> {
    const token = await this.credential.getToken(this.scope);
    if (!token) throw new Error(`No access token was issued for ${this.scope}.`);
    this.cached = token;
    return token.token;
  }
}

export function createTokenSource(url: string, auth: DataverseAuth): TokenSource {
  switch (auth.kind) {
    case 'static-token':
      return { getToken: async () => auth.token };
    case 'client-secret':
      return new CachedTokenSource(new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret), dataverseScope(url));
    case 'managed-identity':
      return new CachedTokenSource(
        auth.clientId ? new ManagedIdentityCredential({ clientId: auth.clientId }) : new ManagedIdentityCredential(),
        dataverseScope(url),
      );
  }
}
