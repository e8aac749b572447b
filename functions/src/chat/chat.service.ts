// The chat API the widget calls (widget/src/contract.ts is the contract, matched exactly):
// config, start, read public messages after a sequence, send (idempotent by clientMessageId),
// end. CORS answers only the widget's allowed origins, preflights included; errors carry the
// CORS headers too, or the browser would hide them from the widget.
import type { InvocationContext } from '@azure/functions';
import { type PreChatAnswer, identifyByPreChat, isOpen, normalizePhoneNumber } from '@switchboard/core';
import type { RoutingTriggerPort } from '@switchboard/core';
import {
  AuthorKind,
  ChannelType,
  ContextVariableType,
  ConversationState,
  DeliveryStatus,
  IdentificationResult,
  MessageDirection,
  Visibility,
  type ConversationRow,
  type MessageRow,
} from '@switchboard/solution';
import { createHash, randomUUID } from 'node:crypto';
import { appendMessage } from '../conversations/transcript';
import { claim, type DataverseClient } from '../dataverse/dataverse-client';
import type { ConversationStore } from '../dataverse/repositories/conversation.repository';
import type { CustomerFinder } from '../dataverse/repositories/customer.repository';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import type { MessageStore } from '../dataverse/repositories/message.repository';
import { bind, isGuid, iso, ms } from '../dataverse/repositories/odata';
import type { ApiRequest, HttpResult } from '../hosting/http';
import type { AutomatedMessenger } from '../outbound/automated-messages';
import type { ChatApiService } from './chat-api';
import { TokenSigner, tokenHash } from './customer-token';
import type { RateLimiter, RateRule } from './rate-limiter';
import { WidgetRepository, type WidgetRecord } from './widget.repository';
import { nextOpening } from './next-opening';

export interface ChatSettings {
  tokenLifetimeSeconds: number;
  maxMessageLength: number;
  pageSize: number;
  /** A retried start (same clientRequestId) within this window gets the conversation back. */
  startReplayWindowSeconds: number;
  startRate: RateRule;
  sendRate: RateRule;
  readRate: RateRule;
  widgetCacheTtlMs: number;
  /** Proxies in front of the app that append to X-Forwarded-For (1: Azure's front end). */
  trustedProxyHops: number;
}

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  tokenLifetimeSeconds: 24 * 3600,
  maxMessageLength: 4000,
  pageSize: 100,
  startReplayWindowSeconds: 15 * 60,
  startRate: { burst: 5, perSecond: 5 / 60 },
  sendRate: { burst: 20, perSecond: 1 },
  readRate: { burst: 30, perSecond: 2 },
  widgetCacheTtlMs: 30_000,
  trustedProxyHops: 1,
};

export interface ChatDeps {
  client: DataverseClient;
  conversations: ConversationStore;
  messages: MessageStore;
  customers: CustomerFinder;
  routing: RoutingTriggerPort;
  automated?: AutomatedMessenger;
  signer: TokenSigner;
  limiter: RateLimiter;
  now: () => number;
  settings: Partial<ChatSettings>;
  widgets?: WidgetRepository;
}

type ErrorCode =
  | 'bad_request' | 'validation_failed' | 'message_too_long' | 'unknown_widget' | 'origin_not_allowed' | 'outside_hours'
  | 'unauthorized' | 'token_expired' | 'conversation_not_found' | 'conversation_ended' | 'rate_limited' | 'internal';

class ChatError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string, readonly fields?: Record<string, string>, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

interface Question {
  id: string;
  kind: 'text' | 'email' | 'phone' | 'choice';
  label: string;
  required: boolean;
  maxLength: number;
  choices?: { value: string; label: string }[];
  hint?: string;
  contactField?: string;
}

const AUTHOR_NAMES: Record<number, 'customer' | 'agent' | 'bot' | 'system'> = {
  [AuthorKind.Customer]: 'customer',
  [AuthorKind.Agent]: 'agent',
  [AuthorKind.Bot]: 'bot',
  [AuthorKind.System]: 'system',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FIELD = /^[a-z][a-z0-9_]{0,99}$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,100}$/;

/** Picks an admin-authored text for a locale: keys may be LCIDs ("1036") or tags ("fr", "fr-CA"). */
function localised(value: unknown, locale: string): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const map = value as Record<string, unknown>;
  const lang = locale.toLowerCase().split('-')[0];
  const lcid = lang === 'fr' ? '1036' : '1033';
  for (const k of [locale, locale.toLowerCase(), lang ?? '', lcid, 'en', '1033']) {
    const v = map[k];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  const first = Object.values(map).find((v) => typeof v === 'string');
  return typeof first === 'string' ? first : '';
}

function parseQuestions(text: string | null | undefined, locale: string): Question[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: Question[] = [];
  for (const q of raw as Record<string, unknown>[]) {
    if (!q || typeof q.id !== 'string') continue;
    const type = String(q.type ?? q.kind ?? 'text');
    const kind = (['text', 'email', 'phone', 'choice'] as const).find((k) => k === type) ?? 'text';
    const question: Question = {
      id: q.id,
      kind,
      label: localised(q.label, locale) || q.id,
      required: q.required === true,
      maxLength: typeof q.maxLength === 'number' ? q.maxLength : 200,
    };
    if (kind === 'choice' && Array.isArray(q.choices)) {
      question.choices = (q.choices as Record<string, unknown>[]).filter((c) => c && typeof c.value === 'string').map((c) => ({ value: String(c.value), label: localised(c.label, locale) || String(c.value) }));
    }
    const hint = localised(q.hint, locale);
    if (hint) question.hint = hint;
    if (typeof q.contactField === 'string' && FIELD.test(q.contactField)) question.contactField = q.contactField;
    out.push(question);
  }
  return out;
}

function publicStatus(state: ConversationState | null | undefined): 'waiting' | 'active' | 'ended' {
  if (state === ConversationState.Active) return 'active';
  if (state === ConversationState.WrapUp || state === ConversationState.Closed) return 'ended';
  return 'waiting';
}

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

/** What makes two starts the same request: the answers, the context and the locale, in a stable order. */
export function startFingerprint(answers: readonly { question: { id: string }; value: string }[], context: Record<string, string | number | boolean>, locale: string): string {
  const sorted = (entries: [string, unknown][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([sorted(answers.map((a) => [a.question.id, a.value])), sorted(Object.entries(context)), locale]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function toPublicMessage(row: MessageRow) {
  const authorKind = AUTHOR_NAMES[row.swb_authorkind ?? -1] ?? 'system';
  return {
    sequence: row.swb_sequence ?? 0,
    authorKind,
    body: row.swb_body ?? '',
    createdOn: new Date(ms(row.createdon) ?? 0).toISOString(),
    ...((authorKind === 'agent' || authorKind === 'bot') && row.swb_authorname ? { authorName: row.swb_authorname } : {}),
    ...(authorKind === 'customer' && row.swb_providermessageid ? { clientMessageId: row.swb_providermessageid } : {}),
  };
}

export class ChatService implements ChatApiService {
  private readonly settings: ChatSettings;
  private readonly widgets: WidgetRepository;

  constructor(private readonly deps: ChatDeps) {
    this.settings = { ...DEFAULT_CHAT_SETTINGS, ...deps.settings };
    this.widgets = deps.widgets ?? new WidgetRepository(deps.client, { ttlMs: this.settings.widgetCacheTtlMs, now: deps.now });
  }

  // ---- CORS ------------------------------------------------------------------------------

  private cors(widget: WidgetRecord, request: ApiRequest): Record<string, string> {
    const origin = request.headers['origin'];
    // No Origin: not a browser cross-origin call (server, curl); the token is still required.
    if (!origin) return { vary: 'Origin' };
    if (!widget.allowedOrigins.includes(origin.replace(/\/+$/, '').toLowerCase())) {
      throw new ChatError(403, 'origin_not_allowed', 'This origin may not use the widget.', undefined, { vary: 'Origin' });
    }
    return { 'access-control-allow-origin': origin, vary: 'Origin' };
  }

  private async guard(request: ApiRequest, work: (cors: Record<string, string>) => Promise<HttpResult>, corsFor: () => Promise<WidgetRecord | null>): Promise<HttpResult> {
    let cors: Record<string, string> = { vary: 'Origin' };
    try {
      const widget = await corsFor();
      if (widget) cors = this.cors(widget, request);
      return await work(cors);
    } catch (err) {
      if (err instanceof ChatError) {
        return {
          status: err.status,
          headers: { ...cors, ...err.headers },
          body: { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } },
        };
      }
      throw err;
    }
  }

  async preflight(request: ApiRequest): Promise<HttpResult> {
    const widgetId = request.params['widgetId'];
    const conversationId = request.params['id'];
    let widget: WidgetRecord | null = null;
    if (widgetId) widget = await this.widgets.get(widgetId);
    else if (conversationId && isGuid(conversationId)) {
      const conv = await this.deps.conversations.get(conversationId);
      widget = conv?.row._swb_chatwidgetid_value ? await this.widgets.get(conv.row._swb_chatwidgetid_value) : null;
    }
    const origin = request.headers['origin'];
    if (!widget || !origin || !widget.allowedOrigins.includes(origin.replace(/\/+$/, '').toLowerCase())) {
      return { status: 403, headers: { vary: 'Origin' }, body: { error: { code: 'origin_not_allowed', message: 'This origin may not use the widget.' } } };
    }
    return {
      status: 204,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'Authorization, Content-Type',
        'access-control-max-age': '600',
        vary: 'Origin',
      },
    };
  }

  private async widgetOr404(widgetId: string): Promise<WidgetRecord> {
    const widget = await this.widgets.get(widgetId);
    if (!widget || widget.row.swb_isenabled === false) throw new ChatError(404, 'unknown_widget', 'No such chat widget.');
    return widget;
  }

  private limit(key: string, rule: RateRule): void {
    const r = this.deps.limiter.take(key, rule);
    if (!r.ok) throw new ChatError(429, 'rate_limited', 'Too many requests; slow down.', undefined, { 'retry-after': String(r.retryAfterSeconds) });
  }

  // ---- config ----------------------------------------------------------------------------

  async widgetConfig(widgetId: string, request: ApiRequest, context?: InvocationContext): Promise<HttpResult> {
    void context;
    let widget: WidgetRecord | null = null;
    return this.guard(
      request,
      async (cors) => {
        const w = widget!;
        const locale = request.query.get('locale') || w.row.swb_defaultlocale || 'en';
        const questions = parseQuestions(w.row.swb_prechatquestions, locale);
        const open = !w.hours || isOpen(w.hours, this.deps.now());
        const closedMessage = open ? null : await this.closedMessage(w, locale);
        const nextOpenOn = open || !w.hours ? null : nextOpening(w.hours, this.deps.now());
        let strings: Record<string, string> | undefined;
        try {
          const all = JSON.parse(w.row.swb_localestrings ?? '{}') as Record<string, Record<string, string>>;
          const lang = locale.toLowerCase().split('-')[0]!;
          strings = all[locale] ?? all[lang] ?? all[lang === 'fr' ? '1036' : '1033'];
        } catch {
          strings = undefined;
        }
        return {
          status: 200,
          headers: { ...cors, 'cache-control': 'public, max-age=60' },
          body: {
            widgetId: w.row.swb_chatwidgetid,
            preChatQuestions: questions.map((q) => ({
              id: q.id,
              kind: q.kind,
              label: q.label,
              required: q.required,
              maxLength: q.maxLength,
              ...(q.choices ? { choices: q.choices } : {}),
              ...(q.hint ? { hint: q.hint } : {}),
            })),
            hours: { open, ...(nextOpenOn !== null ? { nextOpenOn: iso(nextOpenOn) } : {}), ...(closedMessage ? { closedMessage } : {}) },
            allowedOrigins: w.allowedOrigins,
            contextVariables: w.contextVariables.map((v) => v.swb_name ?? '').filter(Boolean),
            ...(strings && typeof strings === 'object' ? { strings } : {}),
            maxMessageLength: this.settings.maxMessageLength,
          },
        };
      },
      async () => (widget = await this.widgetOr404(widgetId)),
    );
  }

  private async closedMessage(widget: WidgetRecord, locale: string): Promise<string | null> {
    if (!this.deps.automated) return null;
    return this.deps.automated.render('outside-hours', { swb_channeltype: ChannelType.LiveChat, _swb_workstreamid_value: widget.row._swb_workstreamid_value ?? null, swb_language: locale }, {});
  }

  // ---- start -----------------------------------------------------------------------------

  async startConversation(widgetId: string, request: ApiRequest, context?: InvocationContext): Promise<HttpResult> {
    let widget: WidgetRecord | null = null;
    return this.guard(
      request,
      async (cors) => {
        const w = widget!;
        this.limit(`start:${clientIp(request, this.settings.trustedProxyHops)}`, this.settings.startRate);
        const body = request.body as Record<string, unknown> | null;
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ChatError(400, 'bad_request', 'The body must be a JSON object.');
        const locale = typeof body.locale === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(body.locale) ? body.locale : (w.row.swb_defaultlocale ?? 'en');
        const clientRequestId = body.clientRequestId;
        if (typeof clientRequestId !== 'string' || !CLIENT_ID.test(clientRequestId)) throw new ChatError(400, 'bad_request', 'clientRequestId must be 8-100 letters, digits, - or _.');
        const answers = this.validateAnswers(w, body.answers, locale);
        const contextValues = this.validateContext(w, body.context);
        const now = this.deps.now();
        if (w.hours && !isOpen(w.hours, now)) {
          throw new ChatError(409, 'outside_hours', (await this.closedMessage(w, locale)) ?? 'Chat is closed now.');
        }
        const conversationId = deterministicId('chat-start', w.row.swb_chatwidgetid, clientRequestId);
        const expiresAt = now + this.settings.tokenLifetimeSeconds * 1000;
        const token = this.deps.signer.issue(conversationId, expiresAt, randomUUID());
        const fingerprint = startFingerprint(answers, contextValues, locale);
        const existing = await this.deps.conversations.get(conversationId);
        if (existing) {
          // The same start retried after a lost response: hand the conversation back with a
          // fresh token (only the hash is stored, so the first token cannot be re-sent).
          const age = now - (ms(existing.row.swb_openedon) ?? ms(existing.row.createdon) ?? 0);
          if (age > this.settings.startReplayWindowSeconds * 1000) throw new ChatError(400, 'bad_request', 'This clientRequestId was already used.');
          this.sameStart(existing.row, fingerprint);
          await this.deps.conversations.update(conversationId, { swb_customertokenhash: tokenHash(token) }, existing.etag);
          return { status: 200, headers: cors, body: { conversationId, token, expiresOn: iso(expiresAt), status: publicStatus(existing.row.swb_state) } };
        }
        const data = await this.newConversation(w, answers, contextValues, locale, typeof body.pageUrl === 'string' ? body.pageUrl.slice(0, 2000) : '', now);
        data['swb_customertokenhash'] = tokenHash(token);
        data['swb_startfingerprint'] = fingerprint;
        const outcome = await this.deps.conversations.createWithId(conversationId, data);
        if (outcome === 'exists') {
          // A concurrent twin of this start won the create: ours must not hand out a token whose hash is not stored.
          const row = await this.deps.conversations.get(conversationId);
          if (row) {
            this.sameStart(row.row, fingerprint);
            await this.deps.conversations.update(conversationId, { swb_customertokenhash: tokenHash(token) }, row.etag);
          }
        }
        await this.deps.routing.enqueue({ kind: 'route-conversation', conversationId, queueId: null, reason: 'chat started' });
        if (this.deps.automated) {
          const conv = await this.deps.conversations.get(conversationId);
          if (conv) await this.deps.automated.send('started', conv.row, { customer: { name: String(data['swb_customername'] ?? '') } }).catch((e: Error) => context?.warn(`automated "started" failed: ${e.message}`));
        }
        return { status: 201, headers: cors, body: { conversationId, token, expiresOn: iso(expiresAt), status: 'waiting' } };
      },
      async () => (widget = await this.widgetOr404(widgetId)),
    );
  }

  /**
   * A retried start gets the conversation back only if it is the same request. The
   * clientRequestId alone is not proof: anyone who learns it (a shared link, a log) could
   * otherwise take the conversation over with answers of their own and revoke the customer.
   */
  private sameStart(row: ConversationRow, fingerprint: string): void {
    if (row.swb_startfingerprint !== fingerprint) throw new ChatError(400, 'bad_request', 'This clientRequestId was already used for another chat.');
  }

  private validateAnswers(widget: WidgetRecord, raw: unknown, locale: string): { question: Question; value: string }[] {
    if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw new ChatError(400, 'bad_request', 'answers must be an object.');
    const given = (raw ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    const out: { question: Question; value: string }[] = [];
    for (const q of parseQuestions(widget.row.swb_prechatquestions, locale)) {
      const v = given[q.id];
      const value = typeof v === 'string' ? v.trim() : '';
      if (v !== undefined && typeof v !== 'string') fields[q.id] = 'must be text';
      else if (value === '') {
        if (q.required) fields[q.id] = 'required';
      } else if (value.length > q.maxLength) fields[q.id] = `longer than ${q.maxLength} characters`;
      else if (q.kind === 'email' && !EMAIL.test(value)) fields[q.id] = 'not an email address';
      else if (q.kind === 'phone' && !normalizePhoneNumber(value).ok) fields[q.id] = 'not a phone number in international format';
      else if (q.kind === 'choice' && !(q.choices ?? []).some((c) => c.value === value)) fields[q.id] = 'not one of the choices';
      else out.push({ question: q, value });
    }
    if (Object.keys(fields).length > 0) throw new ChatError(400, 'validation_failed', 'Some answers are not valid.', fields);
    return out;
  }

  private validateContext(widget: WidgetRecord, raw: unknown): Record<string, string | number | boolean> {
    if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw new ChatError(400, 'bad_request', 'context must be an object.');
    const given = (raw ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    const out: Record<string, string | number | boolean> = {};
    // Only defined variables are kept: the host page cannot write arbitrary facts that routing rules read.
    for (const def of widget.contextVariables) {
      const name = def.swb_name ?? '';
      if (!name) continue;
      const v = given[name];
      if (v === undefined || v === null || v === '') {
        if (def.swb_isrequired) fields[name] = 'required';
        continue;
      }
      switch (def.swb_type ?? ContextVariableType.Text) {
        case ContextVariableType.Number:
          if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
          else if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) out[name] = Number(v);
          else fields[name] = 'must be a number';
          break;
        case ContextVariableType.Boolean:
          if (typeof v === 'boolean') out[name] = v;
          else if (v === 'true' || v === 'false') out[name] = v === 'true';
          else fields[name] = 'must be true or false';
          break;
        default:
          if (typeof v === 'string' && v.length <= 1000) out[name] = v;
          else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
          else fields[name] = 'must be text of at most 1000 characters';
      }
    }
    if (Object.keys(fields).length > 0) throw new ChatError(400, 'validation_failed', 'Some context variables are not valid.', fields);
    return out;
  }

  private async newConversation(
    widget: WidgetRecord,
    answers: { question: Question; value: string }[],
    contextValues: Record<string, string | number | boolean>,
    locale: string,
    pageUrl: string,
    now: number,
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
    if (mapped.length === 0) {
      data['swb_identificationresult'] = IdentificationResult.NotAttempted;
      return data;
    }
    const identified = identifyByPreChat(mapped, await this.deps.customers.byAnswers(mapped));
    if (identified.kind === 'matched') {
      data[`swb_customerid_${identified.record.entity}@odata.bind`] = bind(identified.record.entity === 'contact' ? 'contacts' : 'accounts', identified.record.id);
      data['swb_identificationresult'] = IdentificationResult.Identified;
    } else if (identified.kind === 'ambiguous') {
      data['swb_identificationresult'] = IdentificationResult.Ambiguous;
      data['swb_candidateids'] = JSON.stringify(identified.records.map((r) => ({ table: r.entity, id: r.id }))).slice(0, 4000);
    } else data['swb_identificationresult'] = IdentificationResult.NotFound;
    return data;
  }

  // ---- conversation routes -----------------------------------------------------------------

  // Loaded before the token is checked: the conversation's widget decides the CORS headers,
  // and an error the browser cannot read (no CORS headers) would leave the widget guessing.
  private async load(conversationId: string): Promise<{ conv: ConversationRow; etag: string; widget: WidgetRecord | null } | null> {
    const found = isGuid(conversationId) ? await this.deps.conversations.get(conversationId) : null;
    if (!found || found.row.swb_channeltype !== ChannelType.LiveChat) return null;
    const widget = found.row._swb_chatwidgetid_value ? await this.widgets.get(found.row._swb_chatwidgetid_value) : null;
    return { conv: found.row, etag: found.etag, widget };
  }

  private authorize(conversationId: string, loaded: { conv: ConversationRow } | null, request: ApiRequest): ConversationRow {
    const auth = request.headers['authorization'] ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new ChatError(401, 'unauthorized', 'A customer token is required.');
    const token = m[1]!;
    const check = this.deps.signer.check(token, this.deps.now());
    if (!check.ok) throw new ChatError(401, check.reason === 'expired' ? 'token_expired' : 'unauthorized', check.reason === 'expired' ? 'The token has expired.' : 'The token is not valid.');
    // A token names exactly one conversation: another conversation's token opens nothing here.
    if (check.conversationId !== conversationId) throw new ChatError(401, 'unauthorized', 'The token is not valid for this conversation.');
    if (!loaded) throw new ChatError(404, 'conversation_not_found', 'No such conversation.');
    // The stored hash is the revocation point (and retires the token a retried start replaced).
    if (loaded.conv.swb_customertokenhash !== tokenHash(token)) throw new ChatError(401, 'unauthorized', 'The token has been replaced or revoked.');
    return loaded.conv;
  }

  async readMessages(conversationId: string, after: number, request: ApiRequest, context?: InvocationContext): Promise<HttpResult> {
    let loaded: Awaited<ReturnType<ChatService['load']>> = null;
    return this.guard(
      request,
      async (cors) => {
        const conv = this.authorize(conversationId, loaded, request);
        this.limit(`read:${conversationId}`, this.settings.readRate);
        const rows = await this.deps.messages.listPublicAfter(conversationId, after, this.settings.pageSize + 1);
        const page = rows.slice(0, this.settings.pageSize);
        await this.markDelivered(page, context);
        return {
          status: 200,
          headers: { ...cors, 'cache-control': 'no-store' },
          // The query already asked for public rows only; filtering again costs nothing and keeps
          // an internal note out even if the query were ever changed.
          body: { messages: page.filter((r) => r.swb_visibility === Visibility.Public).map(toPublicMessage), status: publicStatus(conv.swb_state), ...(rows.length > page.length ? { hasMore: true } : {}) },
        };
      },
      async () => (loaded = await this.load(conversationId))?.widget ?? null,
    );
  }

  /**
   * A chat reply is delivered when the widget reads it: the agent's "Sending…" becomes
   * "Delivered". Once per message (a later read starts after it, and a re-read finds it
   * Delivered already). A failed status write is logged and left: the customer still gets
   * their messages, the agent keeps seeing the earlier status.
   */
  private async markDelivered(page: readonly MessageRow[], context?: InvocationContext): Promise<void> {
    const unconfirmed = new Set<number>([DeliveryStatus.Pending, DeliveryStatus.Queued, DeliveryStatus.Sent]);
    const arrived = page.filter((r) => r.swb_direction === MessageDirection.Outbound && r.swb_deliverystatus != null && unconfirmed.has(r.swb_deliverystatus));
    if (arrived.length === 0) return;
    const at = iso(this.deps.now());
    const results = await Promise.allSettled(arrived.map((r) => this.deps.messages.update(r.swb_messageid, { swb_deliverystatus: DeliveryStatus.Delivered, swb_deliveredon: at })));
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0) context?.log(`chat: ${failed} delivery status write(s) failed; those messages keep their earlier status`);
  }

  async sendMessage(conversationId: string, request: ApiRequest): Promise<HttpResult> {
    let loaded: Awaited<ReturnType<ChatService['load']>> = null;
    return this.guard(
      request,
      async (cors) => {
        const conv = this.authorize(conversationId, loaded, request);
        this.limit(`send:${conversationId}`, this.settings.sendRate);
        const body = request.body as Record<string, unknown> | null;
        if (!body || typeof body !== 'object') throw new ChatError(400, 'bad_request', 'The body must be a JSON object.');
        const clientMessageId = body.clientMessageId;
        if (typeof clientMessageId !== 'string' || !CLIENT_ID.test(clientMessageId)) throw new ChatError(400, 'validation_failed', 'clientMessageId is required.', { clientMessageId: 'required' });
        const text = typeof body.body === 'string' ? body.body.trim() : '';
        if (text === '') throw new ChatError(400, 'validation_failed', 'The message is empty.', { body: 'required' });
        if ([...text].length > this.settings.maxMessageLength) throw new ChatError(400, 'message_too_long', `Messages are limited to ${this.settings.maxMessageLength} characters.`, { body: 'too long' });
        const messageId = deterministicId('chat-message', conversationId, clientMessageId);
        const existing = await this.deps.messages.get(messageId);
        if (existing) return { status: 200, headers: cors, body: { message: toPublicMessage(existing.row) } };
        if (conv.swb_state === ConversationState.WrapUp || conv.swb_state === ConversationState.Closed) throw new ChatError(409, 'conversation_ended', 'The conversation has ended.');
        const appended = await appendMessage(this.deps, conversationId, messageId, {
          swb_body: text,
          swb_direction: MessageDirection.Inbound,
          swb_authorkind: AuthorKind.Customer,
          swb_visibility: Visibility.Public,
          swb_providermessageid: clientMessageId,
        });
        return { status: appended.created ? 201 : 200, headers: cors, body: { message: toPublicMessage(appended.message) } };
      },
      async () => (loaded = await this.load(conversationId))?.widget ?? null,
    );
  }

  async endConversation(conversationId: string, request: ApiRequest): Promise<HttpResult> {
    let loaded: Awaited<ReturnType<ChatService['load']>> = null;
    return this.guard(
      request,
      async (cors) => {
        this.authorize(conversationId, loaded, request);
        const now = iso(this.deps.now());
        // Assigned chats go to wrap-up for the agent; unassigned ones simply close.
        const result = await claim<ConversationRow, Record<string, unknown>>(this.deps.client, {
          collection: 'swb_conversations',
          key: conversationId,
          decide: (row) => {
            if (row.swb_state === ConversationState.WrapUp || row.swb_state === ConversationState.Closed) return { skip: 'already ended' };
            return row.swb_state === ConversationState.Active ? { patch: { swb_state: ConversationState.WrapUp, swb_wrapupon: now } } : { patch: { swb_state: ConversationState.Closed, swb_closedon: now } };
          },
        });
        if (result.outcome === 'claimed' && this.deps.automated && result.row) {
          await this.deps.automated.send('ended', result.row, {}).catch(() => undefined);
        }
        return { status: 200, headers: cors, body: { status: 'ended' } };
      },
      async () => (loaded = await this.load(conversationId))?.widget ?? null,
    );
  }
}
