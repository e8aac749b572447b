// CORS for the chat API, in one place: only a widget's allowed origins may call it, preflights
// included. The answer depends on the widget (each has its own origins), so the policy takes
// the widget the route resolved; errors carry the CORS headers too, or the browser would hide
// them from the widget.
import type { ApiRequest, HttpResult } from '../hosting/http';
import { ChatError } from './chat-error';
import type { WidgetRecord } from './widget.repository';

export const NO_CORS: Readonly<Record<string, string>> = { vary: 'Origin' };

function allowed(widget: WidgetRecord, origin: string): boolean {
  return widget.allowedOrigins.includes(origin.replace(/\/+$/, '').toLowerCase());
}

/** The CORS headers of an answer to `request`; a browser origin the widget does not allow is refused (403). */
export function corsHeaders(widget: WidgetRecord, request: ApiRequest): Record<string, string> {
  const origin = request.headers['origin'];
  // No Origin: not a browser cross-origin call (server, curl); the token is still required.
  if (!origin) return { ...NO_CORS };
  if (!allowed(widget, origin)) throw new ChatError(403, 'origin_not_allowed', 'This origin may not use the widget.', undefined, { ...NO_CORS });
  return { 'access-control-allow-origin': origin, ...NO_CORS };
}

/** The answer to an OPTIONS preflight; `widget` is null when the route names no known widget. */
export function preflightAnswer(widget: WidgetRecord | null, request: ApiRequest): HttpResult {
  const origin = request.headers['origin'];
  if (!widget || !origin || !allowed(widget, origin)) {
    return { status: 403, headers: { ...NO_CORS }, body: { error: { code: 'origin_not_allowed', message: 'This origin may not use the widget.' } } };
  }
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': '600',
      ...NO_CORS,
    },
  };
}
