import { ChannelType, OfferResponse, type ConversationRow, type OfferRow } from '../../../shared/src';
import { needsQuestions, offerView } from './offer-view';

const F = '@OData.Community.Display.V1.FormattedValue';
const NOW = Date.parse('2026-11-24T10:30:00Z');
const offer = (extra: Partial<OfferRow> = {}): OfferRow => ({
  swb_offerid: 'o1',
  _swb_conversationid_value: 'c1',
  _swb_agentid_value: 'a1',
  swb_response: OfferResponse.Pending,
  swb_expireson: '2026-11-24T10:31:45Z',
  [`_swb_queueid_value${F}`]: 'Web support',
  ...extra,
});
const conversation = (extra: Partial<ConversationRow> = {}): ConversationRow => ({ activityid: 'c1', swb_state: 612400001, ...extra }) as ConversationRow;

describe('an offer card', () => {
  test('names the customer, the channel and the queue, and counts the wait since queued and the time left', () => {
    const view = offerView(offer(), conversation({ swb_channeltype: ChannelType.LiveChat, swb_customername: 'Camille', swb_queuedon: '2026-11-24T10:29:18Z', swb_openedon: '2026-11-24T10:29:00Z' }), [], NOW);
    expect(view).toEqual({ customer: { name: 'Camille', source: 'given' }, channel: 'LiveChat', queue: 'Web support', waitedMs: 42_000, leftMs: 105_000 });
  });

  test('without a queued time the wait counts from when the conversation opened', () => {
    expect(offerView(offer(), conversation({ swb_openedon: '2026-11-24T10:28:00Z' }), [], NOW).waitedMs).toBe(120_000);
  });

  test('an expired offer has no time left; one not read yet names nobody and no channel', () => {
    const view = offerView(offer({ swb_expireson: '2026-11-24T10:00:00Z' }), undefined, [], NOW);
    expect(view).toMatchObject({ customer: { name: '', source: 'none' }, channel: '', waitedMs: null, leftMs: 0 });
  });

  test('the widget\'s questions are read only for a chat whose name can come from nowhere else', () => {
    expect(needsQuestions(conversation({ swb_prechatanswers: '{"q1":"Camille"}', _swb_chatwidgetid_value: 'w1' }))).toBe(true);
    expect(needsQuestions(conversation({ swb_prechatanswers: '{"q1":"Camille"}', _swb_chatwidgetid_value: 'w1', swb_customername: 'Camille' }))).toBe(false);
    expect(needsQuestions(conversation({ swb_prechatanswers: '{"q1":"Camille"}', _swb_chatwidgetid_value: 'w1', _swb_customerid_value: 'x' }))).toBe(false);
    expect(needsQuestions(conversation({ swb_customerphone: '+33611223344' }))).toBe(false);
  });
});
