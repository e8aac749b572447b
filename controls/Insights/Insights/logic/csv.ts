// The CSV exports: headers in the user's language (from the .resx), values a program can read
// whatever the language: ISO 8601 UTC instants, '.' decimals without grouping, durations in
// seconds, rates as fractions (0.25, not "25 %"), ids as GUIDs, channel and sentiment as their
// stable codes. RFC 4180 quoting, CRLF, and a UTF-8 byte order mark so spreadsheet programs read
// the accents of French headers and names.
import { SENTIMENT_LEVELS, contribution, derive, type Measures } from '@switchboard/core';
import { ChannelType, Sentiment, nameOf, type Translate } from '../../../shared/src';
import type { BucketRow } from './aggregate';
import type { Grain } from './range';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

type Cell = string | number | null | undefined;

/** A text cell a spreadsheet would read as a formula (=, +, -, @) is prefixed with an apostrophe. */
function text(v: string | null | undefined): string {
  if (!v) return '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `\ufeff${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Rounded to a fixed number of decimals, without trailing zeros or exponent; null stays empty. */
export function decimal(x: number | null, digits: number): number | null {
  return x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits));
}

const seconds = (ms: number | null) => decimal(ms === null ? null : ms / 1000, 3);

/** A channel choice value as its code (LiveChat, Sms), or the number when it is unknown. */
export function channelCode(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(nameOf(ChannelType, value) ?? value);
}

/** A sentiment choice value as core's level code (veryNegative … veryPositive). */
export function sentimentCode(value: number | null | undefined): string {
  const name = nameOf(Sentiment, value);
  return name ? `${name.charAt(0).toLowerCase()}${name.slice(1)}` : '';
}

/** One row per bucket read (period × queue × channel × agent): the sums and what derives from them. */
export function aggregateCsv(rows: readonly BucketRow[], grain: Grain, t: Translate): string {
  const header = [
    t('Csv_PeriodStart'), t('Csv_Grain'), t('Csv_QueueId'), t('Csv_Queue'), t('Csv_Channel'), t('Csv_AgentId'), t('Csv_Agent'),
    t('Csv_Incoming'), t('Csv_Answered'), t('Csv_Abandoned'), t('Csv_AbandonRate'),
    t('Csv_WaitTotal'), t('Csv_AverageSpeedToAnswer'), t('Csv_AnsweredWithin20s'), t('Csv_AnsweredWithin60s'), t('Csv_ServiceLevel20s'), t('Csv_ServiceLevel60s'),
    t('Csv_Handled'), t('Csv_HandleTotal'), t('Csv_AverageHandle'), t('Csv_WrapUps'), t('Csv_WrapUpTotal'), t('Csv_AverageWrapUp'),
    t('Csv_Transfers'), t('Csv_TransferRate'), t('Csv_Consults'), t('Csv_Declines'), t('Csv_Timeouts'),
    t('Csv_Surveys'), t('Csv_SurveySum'), t('Csv_SurveyAverage'),
    ...SENTIMENT_LEVELS.map((l) => t('Csv_Sentiment', t(`Sentiment_${l}`))),
  ];
  const sorted = [...rows].sort((a, b) => a.period - b.period || (a.queueName || '').localeCompare(b.queueName || '') || (a.channel ?? 0) - (b.channel ?? 0) || (a.agentName || '').localeCompare(b.agentName || ''));
  return toCsv(header, sorted.map((r) => aggregateCells(r, grain)));
}

function aggregateCells(r: BucketRow, grain: Grain): Cell[] {
  const m: Measures = r.measures;
  const d = derive(m);
  return [
    new Date(r.period).toISOString(), grain, r.queueId ?? '', text(r.queueName), channelCode(r.channel), r.agentId ?? '', text(r.agentName),
    m.incoming, m.answered, m.abandoned, decimal(d.abandonRate, 4),
    seconds(m.waitMs), seconds(d.averageSpeedToAnswerMs), m.answeredWithin20s, m.answeredWithin60s, decimal(d.serviceLevel20s, 4), decimal(d.serviceLevel60s, 4),
    m.handled, seconds(m.handleMs), seconds(d.averageHandleMs), m.wrapUps, seconds(m.wrapUpMs), seconds(d.averageWrapUpMs),
    m.transfers, decimal(d.transferRate, 4), m.consults, m.declines, m.timeouts,
    m.surveys, m.surveySum, decimal(d.surveyAverage, 2),
    ...SENTIMENT_LEVELS.map((l) => m.sentiment[l]),
  ];
}

export interface ConversationLine {
  id: string;
  openedOn: string | null;
  channel: number | null;
  queueId: string | null;
  queueName: string;
  agentId: string | null;
  agentName: string;
  firstWaitMs: number | null;
  handleMs: number | null;
  survey: number | null;
  sentiment: number | null;
}

const instant = (v: unknown): number | null => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : null;
};

/**
 * One conversation as the export shows it. First wait and handle time are core's (the same
 * measures the buckets sum): wait from queued (or opened) to first assigned, handle from first
 * assigned to wrap-up (or close). A conversation that was never answered has the first wait
 * Dataverse stamped when it left (swb_waitseconds), or none.
 */
export function conversationLineOf(e: ComponentFramework.WebApi.Entity): ConversationLine {
  const openedAt = instant(e['swb_openedon']) ?? instant(e['createdon']) ?? 0;
  const firstAssignedAt = instant(e['swb_firstassignedon']);
  const c = contribution({
    id: String(e['activityid']),
    channel: String(e['swb_channeltype'] ?? ''),
    queueId: null,
    agentId: null,
    openedAt,
    queuedAt: instant(e['swb_queuedon']),
    firstAssignedAt,
    wrapUpAt: instant(e['swb_wrapupon']),
    closedAt: instant(e['swb_closedon']),
  });
  const stamped = typeof e['swb_waitseconds'] === 'number' ? (e['swb_waitseconds'] as number) * 1000 : null;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    id: String(e['activityid']),
    openedOn: typeof e['swb_openedon'] === 'string' ? (e['swb_openedon'] as string) : ((e['createdon'] as string | undefined) ?? null),
    channel: num(e['swb_channeltype']),
    queueId: lower(e['_swb_queueid_value']),
    queueName: String(e[`_swb_queueid_value${FORMATTED}`] ?? ''),
    agentId: firstAssignedAt === null ? null : lower(e['_swb_primaryagentid_value']),
    agentName: firstAssignedAt === null ? '' : String(e[`_swb_primaryagentid_value${FORMATTED}`] ?? ''),
    firstWaitMs: c.measures.answered ? c.measures.waitMs : stamped,
    handleMs: c.measures.handled ? c.measures.handleMs : null,
    survey: num(e['swb_csatrating']),
    sentiment: num(e['swb_sentiment']),
  };
}

const lower = (v: unknown): string | null => (typeof v === 'string' && v ? v.toLowerCase() : null);

export function conversationCsv(lines: readonly ConversationLine[], t: Translate): string {
  const header = [t('Csv_ConversationId'), t('Csv_OpenedOn'), t('Csv_Channel'), t('Csv_QueueId'), t('Csv_Queue'), t('Csv_AgentId'), t('Csv_Agent'), t('Csv_FirstWait'), t('Csv_HandleTime'), t('Csv_SurveyRating'), t('Csv_SentimentLevel')];
  return toCsv(
    header,
    lines.map((l) => [
      l.id, l.openedOn ? new Date(l.openedOn).toISOString() : '', channelCode(l.channel), l.queueId ?? '', text(l.queueName), l.agentId ?? '', text(l.agentName),
      seconds(l.firstWaitMs), seconds(l.handleMs), l.survey, sentimentCode(l.sentiment),
    ]),
  );
}
