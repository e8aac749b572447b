// Delivers a turn to a webhook bot: one signed event POSTed to the bot's URL. The bot only
// acknowledges it; what it says comes later by callback (webhook-contract.ts), so a delivered
// turn is always empty here.
import { type BotFailure, EMPTY_TURN } from '@switchboard/core';
import type { BotConnector, BotCustomer, BotDelivery, BotEndpoint, BotInput, BotSession } from '../bot-connector';
import type { BotEvent } from './webhook-contract';
import { signWebhook } from './webhook-signature';

export interface WebhookBotConnectorDeps {
  fetch?: typeof fetch;
  /** milliseconds since epoch */
  now?: () => number;
}

/** Switchboard's id for a delivery: the bot acknowledges a repeat without answering twice. */
export function webhookEventId(customer: BotCustomer, input: BotInput): string {
  return input.kind === 'message' ? input.messageId : `opened:${customer.conversationId}`;
}

export function webhookEventOf(customer: BotCustomer, input: BotInput): BotEvent {
  const base = { id: webhookEventId(customer, input), conversationId: customer.conversationId, context: customer.context, locale: customer.locale };
  return input.kind === 'message'
    ? { ...base, type: 'message', message: { text: input.text, authorKind: customer.role ?? 'customer' } }
    : { ...base, type: 'conversation.opened' };
}

type Outcome = { response: Response } | { error: unknown } | 'timeout';

export class WebhookBotConnector implements BotConnector {
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(deps: WebhookBotConnectorDeps = {}) {
    // looked up per call, not captured: a test may replace the global after construction
    this.fetch = deps.fetch ?? ((input, init) => fetch(input, init));
    this.now = deps.now ?? Date.now;
  }

  async deliver(bot: BotEndpoint, session: BotSession, customer: BotCustomer, input: BotInput): Promise<BotDelivery> {
    const failed = (failure: BotFailure, detail: string): BotDelivery => ({ ok: false, failure, detail, session });
    const where = describeUrl(bot.url);
    if (!where) return failed('misconfigured', "The bot's URL is not an http(s) address");
    if (!bot.secret) return failed('misconfigured', 'The bot has no signing secret: events would be refused or forgeable');

    const raw = JSON.stringify(webhookEventOf(customer, input));
    const headers = { 'content-type': 'application/json', ...signWebhook(bot.secret, raw, this.now() / 1000) };
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Raced as well as aborted: an injected fetch that ignores the signal must not hold the turn.
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve('timeout');
      }, bot.timeoutMs);
    });
    let outcome: Outcome;
    try {
      outcome = await Promise.race([
        this.fetch(bot.url, { method: 'POST', headers, body: raw, signal: controller.signal, redirect: 'manual' }).then(
          (response) => ({ response }),
          (error: unknown) => (controller.signal.aborted ? ('timeout' as const) : { error }),
        ),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }

    if (outcome === 'timeout') return failed('timeout', `The bot at ${where} did not acknowledge the event within ${bot.timeoutMs} ms`);
    if ('error' in outcome) return failed('down', `The bot at ${where} could not be reached (${errorCode(outcome.error)})`);

    const { status, statusText } = outcome.response;
    // the acknowledgement's body says nothing Switchboard uses; free the connection
    outcome.response.body?.cancel().catch(() => undefined);
    const answered = `The bot at ${where} answered ${status}${statusText ? ` ${statusText}` : ''}`;
    if (status >= 200 && status < 300) return { ok: true, session, turn: EMPTY_TURN };
    if (status >= 300 && status < 400) return failed('misconfigured', `${answered} (a redirect): set the bot's URL to the address it moved to`);
    if (status === 401 || status === 403) return failed('refused', `${answered}: it refused the event's signature or access; check that both sides share the secret`);
    if (status >= 400 && status < 500) return failed('refused', `${answered}: it refused the event`);
    return failed('down', `${answered}: it is unavailable`);
  }
}

/** The bot's address without its query string, which may carry a key (Azure Functions' ?code=). */
function describeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Node's fetch fails with "fetch failed" and the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
