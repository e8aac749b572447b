// POST /api/bots/{botId}/conversations/{id}/{messages|handoff|end}: a webhook bot answers. The
// signature (HMAC-SHA256 of "<timestamp>.<raw body>" under the bot's secret, webhook/
// webhook-signature.ts) is checked on the raw bytes before anything is parsed or read from
// Dataverse beyond the cached bot list, so a stranger costs us no request; the bot may only
// speak in conversations it holds.
import type { RoutingConfig } from '@switchboard/core';
import type { SecretResolver } from '../channels/channel';
import { isGuid } from '../dataverse/repositories/odata';
import type { HttpResult } from '../hosting/http';
import type { BotService, CallbackOutcome } from './bot.service';
import { parseCallback } from './webhook/webhook-contract';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from './webhook/webhook-signature';

export interface BotCallbackRequest {
  botId: string;
  conversationId: string;
  action: string;
  rawBody: string;
  /** lower-case names */
  headers: Readonly<Record<string, string>>;
}

export interface BotCallbackService {
  handle(request: BotCallbackRequest): Promise<HttpResult>;
}

export interface BotCallbackDeps {
  bots: Pick<BotService, 'callback'>;
  config: { get(): Promise<RoutingConfig> };
  secrets: SecretResolver;
  now: () => number;
}

const error = (status: number, code: string, message: string): HttpResult => ({ status, body: { error: { code, message } } });

const ANSWERS: Record<CallbackOutcome, HttpResult> = {
  stored: { status: 201, body: { status: 'stored' } },
  duplicate: { status: 200, body: { status: 'duplicate' } },
  'handed-off': { status: 200, body: { status: 'handed-off' } },
  ended: { status: 200, body: { status: 'ended' } },
  'not-with-bot': error(409, 'not_with_bot', 'This conversation is not held by this bot (a person took over, it ended, or it never was).'),
};

export class WebhookBotCallbacks implements BotCallbackService {
  constructor(private readonly deps: BotCallbackDeps) {}

  async handle(request: BotCallbackRequest): Promise<HttpResult> {
    if (!isGuid(request.botId) || !isGuid(request.conversationId)) return error(404, 'not_found', 'No such bot or conversation.');
    const bot = (await this.deps.config.get()).bots?.find((b) => b.id.toLowerCase() === request.botId.toLowerCase() && b.kind === 'webhook');
    if (!bot) return error(404, 'not_found', 'No such bot or conversation.');
    const secret = bot.secretSettingName ? this.deps.secrets.resolve(bot.secretSettingName) : undefined;
    if (!secret) return error(503, 'bot_not_configured', `The bot's secret setting (${bot.secretSettingName || 'none'}) is not set in the functions app.`);
    const check = verifyWebhookSignature({
      secrets: secret,
      timestamp: request.headers[TIMESTAMP_HEADER],
      signature: request.headers[SIGNATURE_HEADER],
      rawBody: request.rawBody,
      nowSeconds: this.deps.now() / 1000,
    });
    if (!check.ok) return error(401, 'bad_signature', `The request is not signed by this bot (${check.reason}).`);
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody);
    } catch {
      return error(400, 'bad_request', 'The body is not JSON.');
    }
    const parsed = parseCallback(request.action, body);
    if (!parsed.ok) return error(400, 'bad_request', parsed.message);
    return ANSWERS[await this.deps.bots.callback(bot.id, request.conversationId, parsed.callback)];
  }
}
