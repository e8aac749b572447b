// An agent may consult a bot (the commercial product cannot): an internal note that starts with
// "@bot" — written by anyone taking part, primary or consultant, since the message guard has
// already let them write in the conversation — is a question for the conversation's bot. The
// functions app asks the bot in a conversation of its own (the customer never sees it) and
// stores the answer as an internal note from the bot. Post-operation, async: the note is saved
// at once; the answer follows.
import { MessageDirection, AuthorKind, Visibility } from '@switchboard/solution';
import { numberValue, refId, textValue } from '../context/execution-context';
import type { StepDefinition } from '../step';
import { ok } from '../step';

const ASK = /^\s*@bot\b[\s:,]*/i;

/** The question in an internal note addressed to the bot, or null. */
export function botQuestion(body: string | null): string | null {
  if (!body || !ASK.test(body)) return null;
  const question = body.replace(ASK, '').trim();
  return question === '' ? null : question.slice(0, 4000);
}

export const botConsultStep: StepDefinition = {
  name: 'bot-consult',
  description: 'Asks the conversation\'s bot an agent\'s "@bot" question; the answer comes back as an internal note.',
  triggers: [
    {
      message: 'Create',
      table: 'swb_message',
      stage: 40,
      mode: 'async',
      rank: 2,
      description: 'swb_message Create: an agent\'s "@bot" note asks the bot',
    },
  ],
  async handler(ctx, deps) {
    const t = ctx.target?.attributes ?? {};
    if (numberValue(t['swb_visibility']) !== Visibility.Internal) return ok('not an internal note');
    if (numberValue(t['swb_authorkind']) !== AuthorKind.Agent || numberValue(t['swb_direction']) === MessageDirection.Inbound) return ok('not written by an agent');
    const question = botQuestion(textValue(t['swb_body']));
    if (!question) return ok('not addressed to the bot');
    const conversationId = refId(t['swb_conversationid']);
    if (!conversationId) return ok('no conversation');
    await deps.routingTrigger.enqueue({ kind: 'bot-consult', conversationId, messageId: ctx.primaryEntityId, question, agentId: ctx.initiatingUserId, reason: 'an agent asked the bot' });
    return ok('question sent to the bot');
  },
};
