// POST csat: the customer's answer to the post-conversation survey, a rating from 1 to 5 and an
// optional comment. Taken once the conversation has ended (wrap-up or closed) and only where its
// workstream asks for it; within 24 h of the end a new answer replaces the stored one (a resend
// after a lost response, or a change of mind), later it is refused. The conversation row the
// token check read decides, so an answer costs one write.
import { surveyOpen, type SurveyAnswer } from '@switchboard/core';
import { ConversationState, type ConversationRow } from '@switchboard/solution';
import type { ConversationStore } from '../dataverse/repositories/conversation.repository';
import { iso } from '../dataverse/repositories/odata';
import type { SurveyLookup } from '../survey/survey-settings';
import { ChatError } from './chat-error';

export interface SurveyAnswerDeps {
  conversations: Pick<ConversationStore, 'update'>;
  surveys?: SurveyLookup;
  now: () => number;
}

export interface StoredSurveyAnswer {
  rating: number;
  comment?: string;
  respondedOn: string;
}

/** When the conversation ended: wrap-up, or a close that skipped it. Absent while the state step has not stamped it yet. */
function endedAt(conv: ConversationRow): number {
  return Date.parse(conv.swb_wrapupon ?? conv.swb_closedon ?? '');
}

export async function answerSurvey(
  conversationId: string,
  conv: ConversationRow,
  answer: SurveyAnswer,
  deps: SurveyAnswerDeps,
  widgetWorkstreamId?: string | null,
): Promise<StoredSurveyAnswer> {
  if (conv.swb_state !== ConversationState.WrapUp && conv.swb_state !== ConversationState.Closed) {
    throw new ChatError(409, 'conversation_not_ended', 'The survey opens once the conversation has ended.');
  }
  const survey = await deps.surveys?.of(conv._swb_workstreamid_value ?? widgetWorkstreamId);
  if (!survey) throw new ChatError(409, 'survey_not_offered', "This conversation's workstream does not ask for a rating.");
  const now = deps.now();
  const ended = endedAt(conv);
  if (Number.isFinite(ended) && !surveyOpen(ended, now)) throw new ChatError(409, 'survey_closed', 'The survey closed 24 hours after the conversation ended.');
  const respondedOn = iso(now);
  await deps.conversations.update(conversationId, { swb_csatrating: answer.rating, swb_csatcomment: answer.comment, swb_csatrespondedon: respondedOn });
  return { rating: answer.rating, ...(answer.comment ? { comment: answer.comment } : {}), respondedOn };
}
