import { INSIGHTS_CHANNEL_CHOICE, INSIGHTS_GRAIN_CHOICE } from '@switchboard/core';
import { ChannelType, OfferResponse, Period, Sentiment, SessionRole } from '@switchboard/solution';
import { insightsFacts } from './insights-facts.mapper';
import { activityOf } from './insights-fold.repository';

const C = 'CCCCCCCC-0000-4000-8000-000000000001';
const Q = 'AAAAAAAA-0000-4000-8000-000000000001';
const ANA = 'bbbbbbbb-0000-4000-8000-000000000001';
const BRUNO = 'bbbbbbbb-0000-4000-8000-000000000002';
const at = (s: number) => new Date(Date.UTC(2026, 2, 10, 9, 0, s)).toISOString();
const ms = (s: number) => Date.UTC(2026, 2, 10, 9, 0, s);

describe('insights facts from conversation rows', () => {
  test('a closed, answered SMS conversation gives its times, survey and sentiment, with ids in lower case', () => {
    const facts = insightsFacts({
      activityid: C,
      createdon: at(0),
      swb_channeltype: ChannelType.Sms,
      _swb_queueid_value: Q,
      _swb_primaryagentid_value: ANA,
      swb_openedon: at(1),
      swb_queuedon: at(2),
      swb_firstassignedon: at(20),
      swb_wrapupon: at(50),
      swb_closedon: at(59),
      swb_csatrating: 4,
      swb_sentiment: Sentiment.SlightlyNegative,
    });
    expect(facts).toEqual({
      id: C.toLowerCase(), channel: 'sms', queueId: Q.toLowerCase(), agentId: ANA, openedAt: ms(1), queuedAt: ms(2), firstAssignedAt: ms(20), wrapUpAt: ms(50), closedAt: ms(59),
      transfers: 0, consults: 0, declines: 0, timeouts: 0, survey: 4, sentiment: 'slightlyNegative',
    });
  });

  test('the first wait comes from the stamped wait, and a queued time after the answer (a later transfer to a queue) is not the first wait', () => {
    const base = { activityid: C, swb_channeltype: ChannelType.LiveChat, swb_openedon: at(0), swb_firstassignedon: at(30) };
    expect(insightsFacts({ ...base, swb_queuedon: at(40), swb_waitseconds: 25 }).queuedAt).toBe(ms(5));
    expect(insightsFacts({ ...base, swb_queuedon: at(40) }).queuedAt).toBeNull();
    expect(insightsFacts({ ...base, swb_queuedon: at(10) }).queuedAt).toBe(ms(10));
  });

  test('a conversation not stamped yet opens at its creation, and unknown choices read as nothing', () => {
    const facts = insightsFacts({ activityid: C, createdon: at(7), swb_channeltype: null, swb_sentiment: 42 as Sentiment, swb_csatrating: 9 });
    expect(facts).toMatchObject({ openedAt: ms(7), channel: 'unknown', sentiment: null, survey: null, queueId: null, agentId: null });
  });

  test('sessions and offers say who answered first and count transfers, consults, declines and timeouts', () => {
    const activity = activityOf(
      [
        { _swb_conversationid_value: C, _swb_agentid_value: BRUNO, swb_role: SessionRole.Primary, firstjoined: at(40), sessions: 1 },
        { _swb_conversationid_value: C, _swb_agentid_value: ANA, swb_role: SessionRole.Primary, firstjoined: at(20), sessions: 1 },
        { _swb_conversationid_value: C, _swb_agentid_value: BRUNO, swb_role: SessionRole.Consult, firstjoined: at(30), sessions: 2 },
      ],
      [
        { _swb_conversationid_value: C, swb_response: OfferResponse.Declined, offers: 2 },
        { _swb_conversationid_value: C, swb_response: OfferResponse.TimedOut, offers: 1 },
      ],
    ).get(C.toLowerCase())!;
    expect(activity).toEqual({ primarySessions: 2, consultSessions: 2, firstAgentId: ANA, declined: 2, timedOut: 1 });
    const facts = insightsFacts({ activityid: C, swb_channeltype: ChannelType.LiveChat, _swb_primaryagentid_value: BRUNO, swb_openedon: at(0), swb_firstassignedon: at(20) }, activity);
    expect(facts).toMatchObject({ agentId: ANA, transfers: 1, consults: 2, declines: 2, timeouts: 1 });
  });

  test("core's grain and channel values are the solution's choices", () => {
    expect(INSIGHTS_GRAIN_CHOICE).toEqual({ hour: Period.Hour, day: Period.Day, month: Period.Month });
    expect(INSIGHTS_CHANNEL_CHOICE).toEqual({ livechat: ChannelType.LiveChat, sms: ChannelType.Sms });
  });
});
