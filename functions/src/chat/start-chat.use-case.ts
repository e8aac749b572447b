// POST start: a customer starts a chat on a widget. The conversation's id is derived from
// (widget, clientRequestId), so a start retried after a lost response finds the same
// conversation instead of creating a second one; the customer is identified from the pre-chat
// answers; the conversation is created already waiting in its queue (see routing/arrival.ts)
// with its automated "started" and "queued" messages, in one request.
import { type PreChatAnswer, identifyByPreChat, isOpen } from '@switchboard/core';
import type { RoutingTriggerPort } from '@switchboard/core';
import { ChannelType, ConversationState, type ConversationRow } from '@switchboard/solution';
import { createHash, randomUUID } from 'node:crypto';
import { identificationColumns } from '../conversations/identification.mapper';
import type { ConversationStore, InlineMessage } from '../dataverse/repositories/conversation.repository';
import type { CustomerFinder } from '../dataverse/repositories/customer.repository';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { bind, iso, ms } from '../dataverse/repositories/odata';
import type { AutomatedMessenger } from '../outbound/automated-messages';
import type { ArrivalPlacer } from '../routing/arrival';
import { BotService } from '../bots/bot.service';
import { ChatError } from './chat-error';
import type { Answer, ContextValues, StartRequest } from './chat-request.validator';
import { type TokenSigner, tokenHash } from './customer-token';
import { publicStatus } from './public-message.mapper';
import { closedMessage } from './widget-config.use-case';
import type { WidgetRecord } from './widget.repository';

export interface StartChatDeps {
  conversations: ConversationStore;
  customers: CustomerFinder;
  routing: RoutingTriggerPort;
  automated?: AutomatedMessenger;
  placer?: ArrivalPlacer;
  /** A bot may answer first: then the chat is not placed in a queue until it hands off. */
  bots?: BotService;
  waitingCount?: (queueId: string) => Promise<number>;
  signer: TokenSigner;
  now: () => number;
  tokenLifetimeSeconds: number;
  startReplayWindowSeconds: number;
}

export interface StartedChat {
  /** False when a retried start got its conversation back. */
  created: boolean;
  conversationId: string;
  token: string;
  expiresAt: number;
  status: 'waiting' | 'active' | 'ended';
}

/** What makes two starts the same request: the answers, the context and the locale, in a stable order. */
export function startFingerprint(answers: readonly { question: { id: string }; value: string }[], context: Record<string, string | number | boolean>, locale: string): string {
  const sorted = (entries: [string, unknown][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([sorted(answers.map((a) => [a.question.id, a.value])), sorted(Object.entries(context)), locale]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * A retried start gets the conversation back only if it is the same request. The
 * clientRequestId alone is not proof: anyone who learns it (a shared link, a log) could
 * otherwise take the conversation over with answers of their own and revoke the customer.
 */
function sameStart(row: ConversationRow, fingerprint: string): void {
  if (row.swb_startfingerprint !== fingerprint) throw new ChatError(400, 'bad_request', 'This clientRequestId was already used for another chat.');
}

export async function startChat(widget: WidgetRecord, start: StartRequest, deps: StartChatDeps, warn?: (line: string) => void): Promise<StartedChat> {
  const { locale, answers, context } = start;
  const now = deps.now();
  if (widget.hours && !isOpen(widget.hours, now)) {
    throw new ChatError(409, 'outside_hours', (await closedMessage(widget, locale, deps.automated)) ?? 'Chat is closed now.');
  }
  const conversationId = deterministicId('chat-start', widget.row.swb_chatwidgetid, start.clientRequestId);
  const expiresAt = now + deps.tokenLifetimeSeconds * 1000;
  const token = deps.signer.issue(conversationId, expiresAt, randomUUID());
  const fingerprint = startFingerprint(answers, context, locale);
  const data = await newConversation(widget, answers, context, locale, start.pageUrl, now, deps.customers);
  data['swb_customertokenhash'] = tokenHash(token);
  data['swb_startfingerprint'] = fingerprint;
  const workstreamId = widget.row._swb_workstreamid_value ?? null;
  const row = {
    activityid: conversationId,
    subject: data['subject'],
    swb_channeltype: ChannelType.LiveChat,
    swb_language: data['swb_language'],
    swb_context: data['swb_context'],
    swb_prechatanswers: data['swb_prechatanswers'],
    swb_identificationresult: data['swb_identificationresult'] ?? null,
    swb_customername: data['swb_customername'] ?? null,
    _swb_customerid_value: customerIdOf(data),
    _swb_workstreamid_value: workstreamId,
  } as unknown as ConversationRow;
  const bot = deps.bots ? await deps.bots.choose(conversationId, row, workstreamId) : null;
  const placement = !bot && deps.placer ? await deps.placer.place(conversationId, row, workstreamId) : null;
  if (bot) Object.assign(data, bot.columns);
  if (placement) Object.assign(data, placement.columns);
  const placed = { ...row, swb_language: (data['swb_language'] as string | undefined) ?? null };
  // The bot greets: "an agent will be with you" would be wrong while it answers.
  const texts = deps.automated && !bot ? await automatedTexts(deps, placed, placement?.queueId, String(data['swb_customername'] ?? ''), warn) : [];
  const created = await deps.conversations.createWithMessages(conversationId, data, texts, ['activityid', 'swb_state']);
  if (created === 'exists') {
    // The same start retried after a lost response (or a concurrent twin of it): hand the
    // conversation back with a fresh token — only the hash is stored, so the first token
    // cannot be re-sent, and ours must not be handed out unless its hash is the stored one.
    const existing = await deps.conversations.get(conversationId);
    if (!existing) throw new Error(`Conversation ${conversationId} exists but cannot be read.`);
    const age = now - (ms(existing.row.swb_openedon) ?? ms(existing.row.createdon) ?? 0);
    if (age > deps.startReplayWindowSeconds * 1000) throw new ChatError(400, 'bad_request', 'This clientRequestId was already used.');
    sameStart(existing.row, fingerprint);
    await deps.conversations.update(conversationId, { swb_customertokenhash: tokenHash(token) }, existing.etag);
    // An instance that died after the create may never have sent the routing (or bot) item.
    if (existing.row.swb_state === ConversationState.Open) {
      if (deps.bots && BotService.holds(existing.row) && !existing.row.swb_botconversationid) await deps.bots.opened(conversationId, existing.row._swb_botid_value!);
      else await deps.routing.enqueue({ kind: 'route-conversation', conversationId, queueId: null, reason: 'chat start retried' });
    }
    return { created: false, conversationId, token, expiresAt, status: publicStatus(existing.row.swb_state, BotService.holds(existing.row)) };
  }
  if (bot) await deps.bots!.opened(conversationId, bot.bot.id);
  else
    await deps.routing.enqueue(
      placement
        ? { kind: 'route-queue', queueId: placement.queueId, reason: 'chat started', at: deps.now() }
        : { kind: 'route-conversation', conversationId, queueId: null, reason: 'chat started' },
    );
  return { created: true, conversationId, token, expiresAt, status: bot ? 'active' : 'waiting' };
}

/** The "started" message, and "queued" with the position in line when the chat was placed: created with the conversation. */
async function automatedTexts(deps: StartChatDeps, conversation: ConversationRow, queueId: string | undefined, name: string, warn?: (line: string) => void): Promise<InlineMessage[]> {
  const automated = deps.automated!;
  const texts: InlineMessage[] = [];
  try {
    const started = await automated.prepare('started', conversation, { customer: { name } });
    if (started) texts.push(started);
    if (queueId && deps.waitingCount && (await automated.render('queued', conversation, {})) !== null) {
      const queued = await automated.prepare('queued', conversation, { queue: { position: (await deps.waitingCount(queueId)) + 1 } });
      if (queued) texts.push(queued);
    }
  } catch (e) {
    // A customer is never refused a chat because a greeting could not be rendered.
    warn?.(`automated messages for ${conversation.activityid} failed: ${(e as Error).message}`);
  }
  return texts;
}

/** The identified customer's id, from the lookup bind identificationColumns wrote. */
function customerIdOf(data: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith('swb_customerid') && key.endsWith('@odata.bind') && typeof value === 'string') return /\(([^)]+)\)/.exec(value)?.[1] ?? null;
  }
  return null;
}

async function newConversation(
  widget: WidgetRecord,
  answers: Answer[],
  contextValues: ContextValues,
  locale: string,
  pageUrl: string,
  now: number,
  customers: CustomerFinder,
): Promise<Record<string, unknown>> {
  const mapped: PreChatAnswer[] = answers
    .filter((a) => a.question.contactField)
    .map((a) => ({ field: a.question.contactField!, value: a.value, kind: a.question.kind === 'email' ? 'email' : a.question.kind === 'phone' ? 'phone' : 'text' }));
  const data: Record<string, unknown> = {
    subject: 'Chat',
    swb_state: ConversationState.Open,
    swb_channeltype: ChannelType.LiveChat,
    'swb_chatwidgetid@odata.bind': bind('swb_chatwidgets', widget.row.swb_chatwidgetid),
    swb_prechatanswers: JSON.stringify(Object.fromEntries(answers.map((a) => [a.question.id, a.value]))),
    swb_context: JSON.stringify({ ...contextValues, pageUrl }),
    swb_language: locale.slice(0, 20),
    swb_openedon: iso(now),
    swb_queuedon: iso(now),
  };
  if (widget.row._swb_workstreamid_value) data['swb_workstreamid@odata.bind'] = bind('swb_workstreams', widget.row._swb_workstreamid_value);
  const name = answers.find((a) => a.question.contactField === 'fullname' || a.question.id === 'name')?.value;
  if (name) data['swb_customername'] = name.slice(0, 200);
  const identified = mapped.length === 0 ? null : identifyByPreChat(mapped, await customers.byAnswers(mapped));
  return { ...data, ...identificationColumns(identified) };
}
