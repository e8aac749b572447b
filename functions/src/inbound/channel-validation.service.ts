// POST /api/sms/{channelId}/validate — "validate API key". Two locks, both real:
// 1. the route's authLevel is 'function', so in Azure the caller needs a function (or host) key;
// 2. the caller must also send `x-switchboard-admin-key` equal to the SWITCHBOARD_ADMIN_KEY app
//    setting. The key is given only to Switchboard Administrators (the solution's admin page
//    reads it from an environment variable secured to that role), so a leaked function key
//    alone cannot make the app text arbitrary test numbers. No setting → every call is refused.
import { timingSafeEqual } from 'node:crypto';
import type { InvocationContext } from '@azure/functions';
import { type ChannelDeliveryDeps, validateChannel, validationMessage } from '../channels';
import { HttpError } from '../hosting/errors';
import type { ApiRequest, HttpResult } from '../hosting/http';
import { isGuid } from '../dataverse/repositories/odata';

export interface ChannelValidationService {
  validate(channelId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
}

export const ADMIN_KEY_HEADER = 'x-switchboard-admin-key';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Throws 401/403 unless the request carries the administrator key; refuses all when none is configured. */
export function requireAdminKey(request: ApiRequest, adminKey: string | undefined): void {
  const expected = adminKey?.trim();
  if (!expected || expected.length < 16) throw new HttpError(403, 'AdminKeyNotConfigured', 'Administrator routes are disabled: SWITCHBOARD_ADMIN_KEY is not set on the function app.');
  const given = request.headers[ADMIN_KEY_HEADER];
  if (!given) throw new HttpError(401, 'Unauthorized', `The ${ADMIN_KEY_HEADER} header is missing.`);
  if (!same(given, expected)) throw new HttpError(403, 'Forbidden', 'The administrator key is not valid.');
}

export class AdminValidationService implements ChannelValidationService {
  constructor(private readonly deps: { deliveryDeps: ChannelDeliveryDeps; adminKey: string | undefined }) {}

  async validate(channelId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult> {
    requireAdminKey(request, this.deps.adminKey);
    if (!isGuid(channelId)) throw new HttpError(404, 'UnknownChannel', 'No such SMS channel.');
    const body = (request.body ?? {}) as { locale?: unknown };
    const locale = typeof body.locale === 'string' ? body.locale : (request.headers['accept-language'] ?? 'en').split(',')[0]!.trim();
    const report = await validateChannel(this.deps.deliveryDeps, channelId, locale);
    context.log(`channel ${channelId} validation: ${report.code}`);
    const status = report.ok ? 200 : report.code === 'unknown-channel' ? 404 : 422;
    return { status, body: { ...report, message: validationMessage(report.code, locale) } };
  }
}
