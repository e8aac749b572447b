import type { IsoInstant } from './contract';

// Cross-site continuity. Storage is per origin (and, with storage partitioning
// and third-party-cookie blocking, nothing in an iframe or cookie can be
// shared between sites), so the only channel that works everywhere is the URL
// the customer follows. The conversation travels in the *fragment*: browsers
// never send it to any server (not in requests, not in Referer), and the
// widget on the arriving page removes it from the address bar at once.
export interface HandoffTicket {
  readonly widgetId: string;
  readonly conversationId: string;
  readonly token: string;
  readonly expiresOn: IsoInstant;
}

const param = 'swb';

// encodeURIComponent first keeps btoa to ASCII without TextEncoder (absent in
// some embedded webviews and in jsdom).
function toBase64Url(text: string): string {
  return btoa(encodeURIComponent(text)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): string {
  const b64 = value.replace(/-/g, '+').replace(/_/g, '/');
  return decodeURIComponent(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)));
}

/** The opaque string for `Switchboard.resume(...)` and the URL fragment. */
export function encodeTicket(ticket: HandoffTicket): string {
  return toBase64Url(JSON.stringify([ticket.widgetId, ticket.conversationId, ticket.token, ticket.expiresOn]));
}

export function decodeTicket(value: string): HandoffTicket | undefined {
  try {
    const parts = JSON.parse(fromBase64Url(value.trim())) as unknown;
    if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((p) => typeof p === 'string')) return undefined;
    const [widgetId, conversationId, token, expiresOn] = parts as string[];
    return { widgetId, conversationId, token, expiresOn };
  } catch {
    return undefined;
  }
}

/** `href` with the ticket added to its fragment (an existing fragment is kept). */
export function withTicket(href: string, ticket: HandoffTicket): string {
  const url = new URL(href);
  const kept = url.hash.replace(/^#/, '').split('&').filter((p) => p && !p.startsWith(`${param}=`));
  url.hash = [...kept, `${param}=${encodeTicket(ticket)}`].join('&');
  return url.toString();
}

/** Reads a ticket for `widgetId` from a location hash and returns the hash without it. */
export function takeTicket(hash: string, widgetId: string): { ticket?: HandoffTicket; rest: string } {
  const parts = hash.replace(/^#/, '').split('&').filter(Boolean);
  let ticket: HandoffTicket | undefined;
  const rest: string[] = [];
  for (const part of parts) {
    if (part.startsWith(`${param}=`)) {
      const decoded = decodeTicket(part.slice(param.length + 1));
      if (decoded && decoded.widgetId === widgetId) {
        ticket = decoded;
        continue;
      }
    }
    rest.push(part);
  }
  return { ticket, rest: rest.length ? `#${rest.join('&')}` : '' };
}
