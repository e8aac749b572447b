// POST start: a customer starts a chat on a widget. The conversation's id is derived from
// (widget, clientRequestId), so a start retried after a lost response finds the same
// conversation instead of creating a second one; the customer is identified from the pre-chat
// answers; the conversation is queued for routing.
import { type PreChatAnswer, identifyByPreChat, isOpen } from '@switchboard/core';
import type { RoutingTriggerPort } from '@switchboard/core';
import { ChannelType, ConversationState, type ConversationRow } from '@switchboard/solution';
import { createHash, randomUUID } from 'node:crypto';
import { identificationColumns } from '../conversations/identification.mapper';
import type { ConversationStore } from '../dataverse/repositories/conversation.repository';
import type { CustomerFinder } from '../dataverse/repositories/customer.repository';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { bind, iso, ms } from '../dataverse/repositories/odata';
import type { AutomatedMessenger } from '../outbound/automated-messages';
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
  const existing = await deps.conversations.get(conversationId);
  if (existing) {
    // The same start retried after a lost response: hand the conversation back with a
    // fresh token (only the hash is stored, so the first token cannot be re-sent).
    const age = now - (ms(existing.row.swb_openedon) ?? ms(existing.row.createdon) ?? 0);
    if (age > deps.startReplayWindowSeconds * 1000) throw new ChatError(400, 'bad_request', 'This clientRequestId was already used.');
    sameStart(existing.row, fingerprint);
    await deps.conversations.update(conversationId, { swb_customertokenhash: tokenHash(token) }, existing.etag);
    return { created: false, conversationId, token, expiresAt, status: publicStatus(existing.row.swb_state) };
  }
  const data = await newConversation(widget, answers, context, locale, start.pageUrl, now, deps.customers);
  data['swb_customertokenhash'] = tokenHash(token);
  data['swb_startfingerprint'] = fingerprint;
  const outcome = await deps.conversations.createWithId(conversationId, data);
  if (outcome === 'exists') {
    // A concurrent twin of this start won the create: ours must not hand out a token whose hash is not stored.
    const row = await deps.conversations.get(conversationId);
    if (row) {
      sameStart(row.row, fingerprint);
      await deps.conversations.update(conversationId, { swb_customertokenhash: tokenHash(token) }, row.etag);
    }
  }
  await deps.routing.enqueue({ kind: 'route-conversation', conversationId, queueId: null, reason: 'chat started' });
  if (deps.automated) {
    const conv = await deps.conversations.get(conversationId);
    if (conv) await deps.automated.send('started', conv.row, { customer: { name: String(data['swb_customername'] ?? '') } }).catch((e: Error) => warn?.(`automated "started" failed: ${e.message}`));
  }
  return { created: true, conversationId, token, expiresAt, status: 'waiting' };
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
  };
  if (widget.row._swb_workstreamid_value) data['swb_workstreamid@odata.bind'] = bind('swb_workstreams', widget.row._swb_workstreamid_value);
  const name = answers.find((a) => a.question.contactField === 'fullname' || a.question.id === 'name')?.value;
  if (name) data['swb_customername'] = name.slice(0, 200);
  const identified = mapped.length === 0 ? null : identifyByPreChat(mapped, await customers.byAnswers(mapped));
  return { ...data, ...identificationColumns(identified) };
}
