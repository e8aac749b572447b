// What the chat API accepts from a browser, checked before anything is read or written:
// the start body (locale, clientRequestId, pre-chat answers, context variables, page URL), a
// message, and the customer's bearer token. A refusal is a ChatError naming the fields.
import { isSurveyRating, normalizePhoneNumber, type SurveyAnswer } from '@switchboard/core';
import { ContextVariableType } from '@switchboard/solution';
import type { ApiRequest } from '../hosting/http';
import { ChatError } from './chat-error';
import { parseQuestions, type Question } from './pre-chat-questions.mapper';
import type { WidgetRecord } from './widget.repository';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,100}$/;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export type Answer = { question: Question; value: string };
export type ContextValues = Record<string, string | number | boolean>;

export interface StartRequest {
  locale: string;
  clientRequestId: string;
  answers: Answer[];
  context: ContextValues;
  pageUrl: string;
}

function objectBody(request: ApiRequest, allowArray: boolean): Record<string, unknown> {
  const body = request.body as Record<string, unknown> | null;
  if (!body || typeof body !== 'object' || (!allowArray && Array.isArray(body))) throw new ChatError(400, 'bad_request', 'The body must be a JSON object.');
  return body;
}

export function validateStart(widget: WidgetRecord, request: ApiRequest): StartRequest {
  const body = objectBody(request, false);
  const locale = typeof body.locale === 'string' && LOCALE.test(body.locale) ? body.locale : (widget.row.swb_defaultlocale ?? 'en');
  const clientRequestId = body.clientRequestId;
  if (typeof clientRequestId !== 'string' || !CLIENT_ID.test(clientRequestId)) throw new ChatError(400, 'bad_request', 'clientRequestId must be 8-100 letters, digits, - or _.');
  const answers = validateAnswers(widget, body.answers, locale);
  const context = validateContext(widget, body.context);
  return { locale, clientRequestId, answers, context, pageUrl: typeof body.pageUrl === 'string' ? body.pageUrl.slice(0, 2000) : '' };
}

function validateAnswers(widget: WidgetRecord, raw: unknown, locale: string): Answer[] {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw new ChatError(400, 'bad_request', 'answers must be an object.');
  const given = (raw ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const out: Answer[] = [];
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

function validateContext(widget: WidgetRecord, raw: unknown): ContextValues {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw new ChatError(400, 'bad_request', 'context must be an object.');
  const given = (raw ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const out: ContextValues = {};
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

export interface SendRequest {
  clientMessageId: string;
  text: string;
}

export function validateSend(request: ApiRequest, maxMessageLength: number): SendRequest {
  const body = objectBody(request, true);
  const clientMessageId = body.clientMessageId;
  if (typeof clientMessageId !== 'string' || !CLIENT_ID.test(clientMessageId)) throw new ChatError(400, 'validation_failed', 'clientMessageId is required.', { clientMessageId: 'required' });
  const text = typeof body.body === 'string' ? body.body.trim() : '';
  if (text === '') throw new ChatError(400, 'validation_failed', 'The message is empty.', { body: 'required' });
  if ([...text].length > maxMessageLength) throw new ChatError(400, 'message_too_long', `Messages are limited to ${maxMessageLength} characters.`, { body: 'too long' });
  return { clientMessageId, text };
}

/** The longest comment the widget may send with a rating (the column holds more, for SMS replies). */
export const SURVEY_COMMENT_LIMIT = 1000;

/** `{ rating: 1..5, comment?: text }`: the customer's answer to the post-conversation survey. */
export function validateSurveyAnswer(request: ApiRequest): SurveyAnswer {
  const body = objectBody(request, false);
  const fields: Record<string, string> = {};
  if (!isSurveyRating(body.rating)) fields['rating'] = 'must be a whole number from 1 to 5';
  const raw = body.comment;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') fields['comment'] = 'must be text';
  const comment = typeof raw === 'string' ? raw.trim() : '';
  if ([...comment].length > SURVEY_COMMENT_LIMIT) fields['comment'] = `longer than ${SURVEY_COMMENT_LIMIT} characters`;
  if (Object.keys(fields).length > 0) throw new ChatError(400, 'validation_failed', 'The rating is not valid.', fields);
  return { rating: body.rating as SurveyAnswer['rating'], comment: comment || null };
}

/** The customer token from `Authorization: Bearer …`; its signature and conversation are checked by the caller. */
export function bearerToken(request: ApiRequest): string {
  const m = /^Bearer\s+(\S+)$/i.exec(request.headers['authorization'] ?? '');
  if (!m) throw new ChatError(401, 'unauthorized', 'A customer token is required.');
  return m[1]!;
}
