import { AuthorKind, ChannelType, ConversationState, DeliveryStatus, MessageDirection, Visibility, type MessageRow } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { executionContext, option, ref } from '../testing/contexts';
import { fakeDeps } from '../testing/fakes';

const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const MSG = '7d0c1e2f-0000-4000-8000-0000000000a1';
const CHANNEL = 'c4a9e0b1-0000-4000-8000-0000000000c1';
const AGENT = '22222222-2222-4222-8222-222222222222';

function setup(message: Partial<MessageRow> = {}, channelType = ChannelType.Sms) {
  const f = fakeDeps();
  f.data.seed(f.data.conversations, CONV, {
    activityid: CONV, swb_state: ConversationState.Active, swb_channeltype: channelType, _swb_channelid_value: CHANNEL, swb_customerphone: '+33612345678',
  });
  const row: MessageRow = {
    swb_messageid: MSG, _swb_conversationid_value: CONV, swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent,
    swb_visibility: Visibility.Public, swb_body: 'Bonjour, je regarde votre dossier.', swb_deliverystatus: DeliveryStatus.Pending, ...message,
  };
  f.data.seed(f.data.messages, MSG, row);
  const body = executionContext({
    message: 'Create', table: 'swb_message', id: MSG, stage: 40, mode: 'async', userId: AGENT,
    target: {
      swb_conversationid: ref('swb_conversation', CONV), swb_authoragentid: ref('systemuser', AGENT),
      swb_direction: option(row.swb_direction!), swb_authorkind: option(row.swb_authorkind!), swb_visibility: option(row.swb_visibility!),
      swb_body: row.swb_body!, ...(row.swb_deliverystatus != null ? { swb_deliverystatus: option(row.swb_deliverystatus) } : {}),
    },
  });
  return { ...f, body };
}

describe('outbound delivery step', () => {
  it("an agent's public reply reaches the conversation's channel and the row records the provider id", async () => {
    const { deps, delivery, data, body } = setup();
    const res = await handleStepWebhook('message-created', body, deps);
    expect(res.status).toBe(200);
    expect(delivery.sent).toEqual([{ channelId: CHANNEL, to: '+33612345678', body: 'Bonjour, je regarde votre dossier.', clientReference: MSG }]);
    const row = data.messages.get(MSG)!.row;
    expect(row.swb_deliverystatus).toBe(DeliveryStatus.Sent);
    expect(row.swb_providermessageid).toBe('SM0001');
    expect(row._swb_channelid_value).toBe(CHANNEL);
  });

  it("a bot's public answer on an SMS conversation is texted to the customer like an agent's reply, and its hand-off note is not", async () => {
    const answer = setup({ swb_authorkind: AuthorKind.Bot, swb_body: 'Nous sommes ouverts du lundi au vendredi.' });
    await handleStepWebhook('message-created', answer.body, answer.deps);
    expect(answer.delivery.sent).toEqual([{ channelId: CHANNEL, to: '+33612345678', body: 'Nous sommes ouverts du lundi au vendredi.', clientReference: MSG }]);
    const note = setup({ swb_authorkind: AuthorKind.Bot, swb_visibility: Visibility.Internal, swb_deliverystatus: null });
    await handleStepWebhook('message-created', note.body, note.deps);
    expect(note.delivery.sent).toHaveLength(0);
  });

  it('a retried webhook for the same message never sends twice', async () => {
    const { deps, delivery, body } = setup();
    await handleStepWebhook('message-created', body, deps);
    const again = await handleStepWebhook('message-created', body, deps);
    expect(again.status).toBe(200);
    expect(delivery.sent).toHaveLength(1);
  });

  it('two deliveries racing for the same message: the one that loses the If-Match claim does not send', async () => {
    const { deps, delivery, data, body } = setup();
    // Another instance claims the row between our read and our claim.
    data.beforeConditionalWrite = (table, id) => {
      if (table === 'swb_message') data.touch(data.messages, id, { swb_deliverystatus: DeliveryStatus.Queued });
      data.beforeConditionalWrite = undefined;
    };
    const res = await handleStepWebhook('message-created', body, deps);
    expect((res.body as { note: string }).note).toMatch(/another delivery claimed/);
    expect(delivery.sent).toHaveLength(0);
  });

  it('an internal note is never handed to a channel', async () => {
    const { deps, delivery, data, body } = setup({ swb_visibility: Visibility.Internal, swb_deliverystatus: null });
    await handleStepWebhook('message-created', body, deps);
    expect(delivery.sent).toHaveLength(0);
    expect(data.writes).toHaveLength(0);
  });

  it('a note made internal after the webhook was queued is not sent either', async () => {
    const { deps, delivery, data, body } = setup();
    data.touch(data.messages, MSG, { swb_visibility: Visibility.Internal });
    await handleStepWebhook('message-created', body, deps);
    expect(delivery.sent).toHaveLength(0);
  });

  it.each([
    ['customer', { swb_authorkind: AuthorKind.Customer, swb_direction: MessageDirection.Inbound }],
    ['system', { swb_authorkind: AuthorKind.System }],
  ])('a %s message is not echoed back to the customer', async (_kind, message) => {
    const { deps, delivery, body } = setup(message);
    await handleStepWebhook('message-created', body, deps);
    expect(delivery.sent).toHaveLength(0);
  });

  it('a live chat reply is left for the widget to read', async () => {
    const { deps, delivery, body } = setup({}, ChannelType.LiveChat);
    const res = await handleStepWebhook('message-created', body, deps);
    expect(delivery.sent).toHaveLength(0);
    expect((res.body as { note: string }).note).toMatch(/widget/);
  });

  it('a throttled provider releases the claim and asks Dataverse to retry; the retry sends once', async () => {
    const { deps, delivery, data, body } = setup();
    delivery.next = { ok: false, failure: { code: 'rate-limited', retryable: true, message: 'Too many requests' } };
    const first = await handleStepWebhook('message-created', body, deps);
    expect(first.status).toBe(503);
    expect(data.messages.get(MSG)!.row.swb_deliverystatus).toBe(DeliveryStatus.Pending);
    delivery.next = { ok: true, providerMessageId: 'SM0002', status: 'queued' };
    await handleStepWebhook('message-created', body, deps);
    expect(delivery.attempts).toBe(2);
    expect(delivery.sent).toHaveLength(1);
    expect(data.messages.get(MSG)!.row.swb_deliverystatus).toBe(DeliveryStatus.Queued);
  });

  it('a permanent refusal (opted out) marks the message failed with the reason, and is not retried', async () => {
    const { deps, delivery, data, body } = setup();
    delivery.next = { ok: false, failure: { code: 'recipient-opted-out', retryable: false, message: 'The recipient has opted out (STOP).' } };
    const res = await handleStepWebhook('message-created', body, deps);
    expect(res.status).toBe(200);
    expect(data.messages.get(MSG)!.row).toMatchObject({ swb_deliverystatus: DeliveryStatus.Failed, swb_error: 'recipient-opted-out: The recipient has opted out (STOP).' });
  });

  it('a delivery that throws leaves the message queued rather than risk a second text', async () => {
    const { deps, delivery, data, body } = setup();
    delivery.next = new Error('socket hang up');
    const res = await handleStepWebhook('message-created', body, deps);
    expect(res.status).toBe(200);
    expect(data.messages.get(MSG)!.row.swb_deliverystatus).toBe(DeliveryStatus.Queued);
    delivery.next = { ok: true, providerMessageId: 'SM0003', status: 'sent' };
    await handleStepWebhook('message-created', body, deps);
    expect(delivery.attempts).toBe(1);
  });
});
