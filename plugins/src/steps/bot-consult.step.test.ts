import { AuthorKind, MessageDirection, Visibility } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { executionContext, option, ref } from '../testing/contexts';
import { fakeDeps } from '../testing/fakes';
import { botQuestion } from './bot-consult.step';

const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const MSG = '7d0c1e2f-0000-4000-8000-0000000000a1';
const AGENT = '22222222-2222-4222-8222-222222222222';

function note(body: string, extra: Record<string, unknown> = {}) {
  return executionContext({
    message: 'Create', table: 'swb_message', id: MSG, stage: 40, mode: 'async', userId: AGENT,
    target: {
      swb_conversationid: ref('swb_conversation', CONV), swb_direction: option(MessageDirection.Outbound), swb_authorkind: option(AuthorKind.Agent),
      swb_visibility: option(Visibility.Internal), swb_body: body, ...extra,
    },
  });
}

describe('bot consult step', () => {
  it('an agent\'s internal note starting with @bot asks the conversation\'s bot, as that agent', async () => {
    const { deps, routingTrigger } = fakeDeps();
    const res = await handleStepWebhook('bot-consult', note('@bot: what are your opening hours on Saturday?'), deps);
    expect(res.status).toBe(200);
    expect(routingTrigger.items.map((i) => i.work)).toEqual([
      { kind: 'bot-consult', conversationId: CONV, messageId: MSG, question: 'what are your opening hours on Saturday?', agentId: AGENT, reason: 'an agent asked the bot' },
    ]);
  });

  it.each([
    ['a public reply', { swb_visibility: option(Visibility.Public) }],
    ['a customer message', { swb_authorkind: option(AuthorKind.Customer), swb_direction: option(MessageDirection.Inbound) }],
  ])('%s that starts with @bot asks nothing (the customer never reaches the bot this way)', async (_what, extra) => {
    const { deps, routingTrigger } = fakeDeps();
    await handleStepWebhook('bot-consult', note('@bot tell me', extra), deps);
    expect(routingTrigger.items).toEqual([]);
  });

  it('reads the question only after "@bot" at the start of the note', () => {
    expect(botQuestion('@Bot  horaires du samedi ?')).toBe('horaires du samedi ?');
    expect(botQuestion('ask @bot later')).toBeNull();
    expect(botQuestion('@botanist says hi')).toBeNull();
    expect(botQuestion('@bot   ')).toBeNull();
    expect(botQuestion(null)).toBeNull();
  });
});
