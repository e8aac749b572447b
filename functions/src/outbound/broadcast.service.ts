// POST /api/admin/broadcasts — runs TemplateBroadcaster for an administrator (function key +
// SWITCHBOARD_ADMIN_KEY, like "validate API key"). Synchronous and bounded: at most 2,000
// recipients per call so a call ends well inside the HTTP timeout; a campaign is idempotent
// by campaignId, so a large one is sent in several calls (or a repeated call resumes).
import type { InvocationContext } from '@azure/functions';
import type { TemplateData } from '@switchboard/core';
import { HttpError } from '../hosting/errors';
import type { ApiRequest, HttpResult } from '../hosting/http';
import { requireAdminKey } from '../inbound/channel-validation.service';
import { isGuid } from '../dataverse/repositories/odata';
import type { Recipient, TemplateBroadcaster } from './template-broadcast';

// Admin only: a message template sent to many customers (see template-broadcast.ts).
export interface BroadcastService {
  send(request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
}

export const MAX_RECIPIENTS_PER_CALL = 2000;

function bad(message: string): never {
  throw new HttpError(400, 'InvalidBroadcast', message);
}

export class AdminBroadcastService implements BroadcastService {
  constructor(private readonly deps: { broadcaster: TemplateBroadcaster; adminKey: string | undefined }) {}

  async send(request: ApiRequest, context: InvocationContext): Promise<HttpResult> {
    requireAdminKey(request, this.deps.adminKey);
    const body = request.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) bad('The body must be a JSON object.');
    const { campaignId, channelId, templateName, recipients, concurrency } = body;
    if (typeof campaignId !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(campaignId)) bad('campaignId: 1-100 letters, digits, . _ or -.');
    if (typeof channelId !== 'string' || !isGuid(channelId)) bad('channelId must be the channel row id.');
    if (typeof templateName !== 'string' || templateName.trim() === '' || templateName.length > 200) bad('templateName is required.');
    if (!Array.isArray(recipients) || recipients.length === 0) bad('recipients must be a non-empty array.');
    if (recipients.length > MAX_RECIPIENTS_PER_CALL) bad(`At most ${MAX_RECIPIENTS_PER_CALL} recipients per call; send the rest in another call with the same campaignId.`);
    const list: Recipient[] = recipients.map((r, i) => {
      const x = r as Record<string, unknown>;
      if (!x || typeof x.phone !== 'string') bad(`recipients[${i}].phone is required.`);
      return {
        phone: x.phone,
        ...(typeof x.locale === 'string' ? { locale: x.locale } : {}),
        ...(x.data && typeof x.data === 'object' && !Array.isArray(x.data) ? { data: x.data as TemplateData } : {}),
        ...(typeof x.contactId === 'string' && isGuid(x.contactId) ? { contactId: x.contactId } : {}),
      };
    });
    const n = typeof concurrency === 'number' && Number.isInteger(concurrency) ? Math.min(16, Math.max(1, concurrency)) : 4;
    let report;
    try {
      report = await this.deps.broadcaster.send({ campaignId, channelId, templateName, recipients: list, concurrency: n });
    } catch (err) {
      // Unknown channel or template: the admin's input, not our fault.
      if (err instanceof Error && /^No (enabled SMS channel|SMS message template)/.test(err.message)) throw new HttpError(404, 'NotFound', err.message);
      throw err;
    }
    context.log(`broadcast ${campaignId}: ${JSON.stringify(report.counts)}`);
    return { status: 200, body: report };
  }
}
