import { timingSafeEqual } from 'node:crypto';
import type { HttpHandler } from '@azure/functions';
import { HttpError } from '../hosting/errors';
import { guarded, readJson, toResponse } from '../hosting/http';
import type { PluginWebhookService } from '../webhooks/plugin-webhook.service';

const STEP_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

// Dataverse service endpoints of type Webhook authenticate with "WebhookKey" (sent as the
// `code` query parameter) or "HttpHeader"; both are accepted so either registration works.
export function dataverseWebhookHandler(service: PluginWebhookService, options: { webhookKey: string; maxBytes: number }): HttpHandler {
  return guarded(async (request, context) => {
    const given = request.query.get('code') ?? request.headers.get('x-switchboard-webhook-key');
    if (!given) throw new HttpError(401, 'Unauthorized', 'The webhook key is missing.');
    if (!sameKey(given, options.webhookKey)) throw new HttpError(401, 'Unauthorized', 'The webhook key is not valid.');
    const step = request.params['step'] ?? '';
    if (!STEP_PATTERN.test(step)) throw new HttpError(404, 'UnknownStep', 'No plugin step is registered under this name.');
    const executionContext = await readJson(request, options.maxBytes);
    // Over 256 KB Dataverse drops InputParameters and the images and says so in this header;
    // the steps then work from the row as it is now.
    const trimmed = request.headers.has('x-ms-dynamics-msg-size-exceeded');
    return toResponse(await service.handle(step, executionContext, context, { trimmed }));
  });
}
