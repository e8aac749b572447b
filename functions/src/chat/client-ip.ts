import type { ApiRequest } from '../hosting/http';

/**
 * The caller's address for rate limits. Each proxy in front of us appends the address it saw
 * to X-Forwarded-For (Azure's front end for Functions does; Front Door before it does too), so
 * with N trusted proxies the client is the N-th entry from the end; anything to the left of it
 * is whatever the client wrote and could be changed on every request to dodge the limit. A
 * request that passed fewer proxies than configured did not come the way we trust: it shares
 * one bucket rather than choosing its own.
 */
export function clientIp(request: Pick<ApiRequest, 'headers'>, trustedProxyHops: number): string {
  const entries = (request.headers['x-forwarded-for'] ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  if (trustedProxyHops < 1 || entries.length < trustedProxyHops) return 'untrusted-path';
  const entry = entries[entries.length - trustedProxyHops]!;
  // "1.2.3.4:5678" and "[::1]:5678" → the address alone: a new source port is not a new client.
  return entry.replace(/^\[([^\]]+)\](?::\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
}
