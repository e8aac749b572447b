// GET config: what the widget shows before a chat starts, in the asked language: pre-chat
// questions, whether chat is open now (and when it opens next, with the admin's closed
// message), the context variables it may pass, the widget's own strings, and whether the
// widget's workstream asks for a rating when the chat ends (with the admin's question).
// Everything comes from cached reads: the widget row (widget.repository.ts) and the routing
// configuration (the survey), so a page load costs no Dataverse request most of the time.
import { isOpen } from '@switchboard/core';
import { ChannelType } from '@switchboard/solution';
import { iso } from '../dataverse/repositories/odata';
import type { AutomatedMessenger } from '../outbound/automated-messages';
import { adminQuestion, type SurveyLookup } from '../survey/survey-settings';
import { nextOpening } from './next-opening';
import { parseQuestions } from './pre-chat-questions.mapper';
import type { WidgetRecord } from './widget.repository';

export interface WidgetConfigDeps {
  automated?: AutomatedMessenger;
  now: () => number;
  maxMessageLength: number;
  surveys?: SurveyLookup;
}

/** The "outside hours" automated message of the widget's workstream, when one is configured. */
export async function closedMessage(widget: WidgetRecord, locale: string, automated: AutomatedMessenger | undefined): Promise<string | null> {
  if (!automated) return null;
  return automated.render('outside-hours', { swb_channeltype: ChannelType.LiveChat, _swb_workstreamid_value: widget.row._swb_workstreamid_value ?? null, swb_language: locale }, {});
}

export async function widgetConfig(widget: WidgetRecord, requestedLocale: string | null, deps: WidgetConfigDeps) {
  const locale = requestedLocale || widget.row.swb_defaultlocale || 'en';
  const questions = parseQuestions(widget.row.swb_prechatquestions, locale);
  const open = !widget.hours || isOpen(widget.hours, deps.now());
  const closed = open ? null : await closedMessage(widget, locale, deps.automated);
  const nextOpenOn = open || !widget.hours ? null : nextOpening(widget.hours, deps.now());
  let strings: Record<string, string> | undefined;
  try {
    const all = JSON.parse(widget.row.swb_localestrings ?? '{}') as Record<string, Record<string, string>>;
    const lang = locale.toLowerCase().split('-')[0]!;
    strings = all[locale] ?? all[lang] ?? all[lang === 'fr' ? '1036' : '1033'];
  } catch {
    strings = undefined;
  }
  const survey = await deps.surveys?.of(widget.row._swb_workstreamid_value);
  // The question only when the admin wrote one for this language: the widget has its own wording.
  const question = survey ? adminQuestion(survey.texts, locale) : null;
  return {
    widgetId: widget.row.swb_chatwidgetid,
    preChatQuestions: questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      label: q.label,
      required: q.required,
      maxLength: q.maxLength,
      ...(q.choices ? { choices: q.choices } : {}),
      ...(q.hint ? { hint: q.hint } : {}),
    })),
    hours: { open, ...(nextOpenOn !== null ? { nextOpenOn: iso(nextOpenOn) } : {}), ...(closed ? { closedMessage: closed } : {}) },
    allowedOrigins: widget.allowedOrigins,
    contextVariables: widget.contextVariables.map((v) => v.swb_name ?? '').filter(Boolean),
    ...(strings && typeof strings === 'object' ? { strings } : {}),
    maxMessageLength: deps.maxMessageLength,
    ...(survey ? { survey: question ? { question } : {} } : {}),
  };
}
