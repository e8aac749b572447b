import { AuthorKind, BasePresence, ConversationState, MessageDirection, WaitOutcome } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { date, executionContext, option, ref } from '../testing/contexts';
import { fakeDeps, TEST_CONFIG } from '../testing/fakes';
import { waitOutcome } from './floor-stamps.step';

const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const STATUS = 'a5000000-0000-4000-8000-000000000001';
const AT = new Date('2026-11-24T10:00:00Z');

describe('floor stamps step', () => {
  it('a first wait answered within 20 s, 60 s or later, or never answered, has the outcome service level counts', () => {
    const start = new Date('2026-11-24T09:59:00Z');
    expect(waitOutcome(start, new Date(start.getTime() + 20_000), true)).toEqual({ seconds: 20, outcome: WaitOutcome.AnsweredWithin20s });
    expect(waitOutcome(start, new Date(start.getTime() + 21_000), true)).toEqual({ seconds: 21, outcome: WaitOutcome.AnsweredWithin60s });
    expect(waitOutcome(start, new Date(start.getTime() + 60_000), true).outcome).toBe(WaitOutcome.AnsweredWithin60s);
    expect(waitOutcome(start, new Date(start.getTime() + 61_000), true).outcome).toBe(WaitOutcome.AnsweredLater);
    expect(waitOutcome(start, new Date(start.getTime() + 5_000), false)).toEqual({ seconds: 5, outcome: WaitOutcome.Abandoned });
    // Clocks of two writers may disagree by a little: never a negative wait.
    expect(waitOutcome(start, new Date(start.getTime() - 2_000), true)).toEqual({ seconds: 0, outcome: WaitOutcome.AnsweredWithin20s });
  });

  const conversationUpdate = (post: Parameters<typeof executionContext>[0]['target']) =>
    executionContext({ message: 'Update', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async', target: {}, postImages: { Image: post! }, operationCreatedOn: AT });

  it('records how the first wait ended once, answered or abandoned, and never again', async () => {
    const { deps, data } = fakeDeps();
    data.seed(data.conversations, CONV, { activityid: CONV, swb_state: ConversationState.Active });
    await handleStepWebhook('floor-stamps', conversationUpdate({ swb_state: option(ConversationState.Active), swb_queuedon: date('2026-11-24T09:59:15Z'), swb_firstassignedon: date('2026-11-24T09:59:50Z') }), deps);
    expect(data.conversations.get(CONV)!.row).toMatchObject({ swb_waitseconds: 35, swb_waitoutcome: WaitOutcome.AnsweredWithin60s, swb_waitendedon: '2026-11-24T09:59:50.000Z' });
    // A later close, even one whose image predates the stamp, changes nothing.
    await handleStepWebhook('floor-stamps', conversationUpdate({ swb_state: option(ConversationState.Closed), swb_queuedon: date('2026-11-24T09:59:15Z'), swb_firstassignedon: date('2026-11-24T09:59:50Z') }), deps);
    expect(data.writes.filter((w) => w.table === 'swb_conversation')).toHaveLength(1);

    const abandoned = fakeDeps();
    abandoned.data.seed(abandoned.data.conversations, CONV, { activityid: CONV, swb_state: ConversationState.Closed });
    await handleStepWebhook('floor-stamps', conversationUpdate({ swb_state: option(ConversationState.Closed), swb_openedon: date('2026-11-24T09:58:00Z') }), abandoned.deps);
    expect(abandoned.data.conversations.get(CONV)!.row).toMatchObject({ swb_waitseconds: 120, swb_waitoutcome: WaitOutcome.Abandoned, swb_waitendedon: AT.toISOString() });
  });

  it('a conversation still waiting has no outcome yet', async () => {
    const { deps, data } = fakeDeps();
    data.seed(data.conversations, CONV, { activityid: CONV, swb_state: ConversationState.Waiting });
    await handleStepWebhook('floor-stamps', conversationUpdate({ swb_state: option(ConversationState.Waiting), swb_queuedon: date('2026-11-24T09:59:15Z') }), deps);
    expect(data.writes).toEqual([]);
  });

  const message = (direction: MessageDirection, author: AuthorKind, at: Date, userId?: string) =>
    executionContext({ message: 'Create', table: 'swb_message', id: 'e0000000-0000-4000-8000-000000000001', stage: 40, mode: 'async', operationCreatedOn: at, ...(userId ? { userId } : {}),
      target: { swb_conversationid: ref('swb_conversation', CONV), swb_direction: option(direction), swb_authorkind: option(author) } });

  it("stamps the customer's last message on the conversation, never an agent's, and never moves it back", async () => {
    const { deps, data } = fakeDeps();
    data.seed(data.conversations, CONV, { activityid: CONV, swb_state: ConversationState.Active });
    await handleStepWebhook('floor-stamps', message(MessageDirection.Outbound, AuthorKind.Agent, AT), deps);
    expect(data.writes).toEqual([]);
    await handleStepWebhook('floor-stamps', message(MessageDirection.Inbound, AuthorKind.Customer, AT), deps);
    expect(data.conversations.get(CONV)!.row.swb_lastcustomermessageon).toBe(AT.toISOString());
    // A retried job of an older message arrives late: the newer stamp stays.
    await handleStepWebhook('floor-stamps', message(MessageDirection.Inbound, AuthorKind.Customer, new Date(AT.getTime() - 30_000)), deps);
    expect(data.conversations.get(CONV)!.row.swb_lastcustomermessageon).toBe(AT.toISOString());
  });

  it('stamps when the presence changed, and only when it did', async () => {
    const { deps, data } = fakeDeps();
    data.seed(data.agentStatuses, STATUS, { swb_agentstatusid: STATUS, swb_basepresence: BasePresence.Away } as never);
    const change = (from: BasePresence, to: BasePresence) => executionContext({ message: 'Update', table: 'swb_agentstatus', id: STATUS, stage: 40, mode: 'async', operationCreatedOn: AT, target: {},
      preImages: { Image: { swb_basepresence: option(from) } }, postImages: { Image: { swb_basepresence: option(to) } } });
    await handleStepWebhook('floor-stamps', change(BasePresence.Away, BasePresence.Away), deps);
    expect(data.writes).toEqual([]);
    await handleStepWebhook('floor-stamps', change(BasePresence.Available, BasePresence.Away), deps);
    expect((data.agentStatuses.get(STATUS)!.row as { swb_presencesince?: string }).swb_presencesince).toBe(AT.toISOString());
  });

  it("spends no request on what the app stamped in its own write: a customer message the app created, a presence written with its time", async () => {
    const { deps, data } = fakeDeps();
    data.seed(data.conversations, CONV, { activityid: CONV, swb_state: ConversationState.Active });
    data.seed(data.agentStatuses, STATUS, { swb_agentstatusid: STATUS, swb_basepresence: BasePresence.Available } as never);
    const reads = jest.spyOn(deps.data, 'getRow');
    await handleStepWebhook('floor-stamps', message(MessageDirection.Inbound, AuthorKind.Customer, AT, TEST_CONFIG.trustedUserIds[0]), deps);
    await handleStepWebhook('floor-stamps', executionContext({ message: 'Update', table: 'swb_agentstatus', id: STATUS, stage: 40, mode: 'async', operationCreatedOn: AT,
      target: { swb_basepresence: option(BasePresence.DoNotDisturb), swb_presencesince: date(AT.toISOString()) },
      preImages: { Image: { swb_basepresence: option(BasePresence.Available) } }, postImages: { Image: { swb_basepresence: option(BasePresence.DoNotDisturb) } } }), deps);
    expect(reads).not.toHaveBeenCalled();
    expect(data.writes).toEqual([]);
  });
});
