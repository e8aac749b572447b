// The survey question texted when an SMS conversation someone served ends (the agent ends it:
// Active → wrap-up, or straight to closed) and its workstream asks for a rating. The question is
// stored as a public system message with the stamp that it was asked (swb_csatrequestedon) in
// the same write; the inbound SMS path then takes the customer's next text that starts with a
// rating as the answer (inbound/sms-inbound.service.ts). Runs from the conversation-state step's
// webhook once the step succeeded. The question's id comes from the conversation, so a retried
// webhook neither stores it nor texts it twice.
import { parseExecutionContext, type AttributeValue, type StepContext } from '@switchboard/plugins';
import { AuthorKind, ChannelType, ConversationState, DeliveryStatus, MessageDirection, Visibility } from '@switchboard/solution';
import { appendMessage, type TranscriptDeps } from '../conversations/transcript';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { iso } from '../dataverse/repositories/odata';
import { deliverFreshMessage, deliverStoredMessage, type DeliveryRecorderDeps } from '../outbound/delivery-recorder';
import { smsSurveyQuestion, type SurveyLookup } from './survey-settings';

const IMAGE = 'Image';

export interface SmsSurveyDeps extends TranscriptDeps, DeliveryRecorderDeps {
  surveys: SurveyLookup;
}

function refOf(v: AttributeValue | undefined): string | null {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !Array.isArray(v) && 'id' in v ? v.id.toLowerCase() : null;
}

/** The end of a conversation somebody served, from the step's images: its workstream, or null when this update is not that. */
export function servedConversationEnded(ctx: StepContext): { workstreamId: string | null } | null {
  if (ctx.primaryEntityName !== 'swb_conversation' || ctx.messageName !== 'Update') return null;
  const pre = ctx.preImages[IMAGE]?.attributes ?? {};
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  // Served: it was Active (an agent had it). One closed while waiting was never helped, and
  // a wrap-up being closed is the same end, asked about already.
  if (pre['swb_state'] !== ConversationState.Active) return null;
  if (post['swb_state'] !== ConversationState.WrapUp && post['swb_state'] !== ConversationState.Closed) return null;
  return { workstreamId: refOf(post['swb_workstreamid']) ?? refOf(pre['swb_workstreamid']) };
}

export class SmsSurvey {
  constructor(private readonly deps: SmsSurveyDeps) {}

  /** After a conversation-state step: asks the survey question when this update ended a served SMS conversation whose workstream has the survey on. */
  async afterStateChange(executionContext: unknown): Promise<'asked' | 'already-asked' | null> {
    const parsed = parseExecutionContext(executionContext);
    if (!parsed.ok) return null;
    const ended = servedConversationEnded(parsed.value);
    if (!ended) return null;
    // The configuration (cached) says no for most ends: nothing is read then.
    const survey = await this.deps.surveys.of(ended.workstreamId);
    if (!survey || survey.channel !== 'sms') return null;
    const found = await this.deps.conversations.get(parsed.value.primaryEntityId);
    const conv = found?.row;
    if (!found || !conv || conv.swb_channeltype !== ChannelType.Sms || !conv._swb_channelid_value || !conv.swb_customerphone) return null;
    const questionId = deterministicId('survey-question', conv.activityid);
    if (conv.swb_csatrequestedon) {
      // Stored by an earlier attempt that may have died before texting it: sent unless it was.
      await deliverStoredMessage(this.deps, questionId, conv._swb_channelid_value, conv.swb_customerphone);
      return 'already-asked';
    }
    const text = smsSurveyQuestion(survey.texts, conv.swb_language);
    const fields = {
      swb_name: text.slice(0, 100),
      swb_body: text,
      swb_direction: MessageDirection.Outbound,
      swb_authorkind: AuthorKind.System,
      swb_visibility: Visibility.Public,
      swb_deliverystatus: DeliveryStatus.Pending,
    };
    const appended = await appendMessage(this.deps, conv.activityid, questionId, fields, {
      cursor: { etag: found.etag, lastSequence: conv.swb_lastmessagesequence ?? 0 },
      readBack: false,
      alsoSet: { swb_csatrequestedon: iso(this.deps.now()) },
    });
    if (appended.created) await deliverFreshMessage(this.deps, questionId, text, conv._swb_channelid_value, conv.swb_customerphone);
    else await deliverStoredMessage(this.deps, questionId, conv._swb_channelid_value, conv.swb_customerphone);
    return 'asked';
  }
}
