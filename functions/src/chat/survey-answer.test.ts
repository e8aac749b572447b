import { ConversationState, type ConversationRow } from '@switchboard/solution';
import type { ApiRequest } from '../hosting/http';
import { ChatError } from './chat-error';
import { validateSurveyAnswer } from './chat-request.validator';
import { answerSurvey } from './survey-answer.use-case';

const request = (body: unknown): ApiRequest => ({ method: 'POST', url: 'http://h/api/chat/conversations/c/csat', params: {}, query: new URLSearchParams(), headers: {}, body });

function refusal(run: () => unknown): { status: number; code: string; fields?: Record<string, string> } {
  try {
    run();
  } catch (err) {
    if (err instanceof ChatError) return { status: err.status, code: err.code, ...(err.fields ? { fields: err.fields } : {}) };
    throw err;
  }
  throw new Error('not refused');
}

describe('a survey answer from the widget', () => {
  it('is a whole rating from 1 to 5 with an optional comment, trimmed, an empty one left out', () => {
    expect(validateSurveyAnswer(request({ rating: 4, comment: '  Quick and kind.  ' }))).toEqual({ rating: 4, comment: 'Quick and kind.' });
    expect(validateSurveyAnswer(request({ rating: 1 }))).toEqual({ rating: 1, comment: null });
    expect(validateSurveyAnswer(request({ rating: 5, comment: '   ' }))).toEqual({ rating: 5, comment: null });
    expect(validateSurveyAnswer(request({ rating: 5, comment: 'é'.repeat(1000) })).comment).toHaveLength(1000);
  });

  it.each([
    [{ rating: 0 }, { rating: 'must be a whole number from 1 to 5' }],
    [{ rating: 6 }, { rating: 'must be a whole number from 1 to 5' }],
    [{ rating: 4.5 }, { rating: 'must be a whole number from 1 to 5' }],
    [{ rating: '4' }, { rating: 'must be a whole number from 1 to 5' }],
    [{}, { rating: 'must be a whole number from 1 to 5' }],
    [{ rating: 3, comment: 42 }, { comment: 'must be text' }],
    [{ rating: 3, comment: 'x'.repeat(1001) }, { comment: 'longer than 1000 characters' }],
  ])('%j is refused with 400 naming what is wrong', (body, fields) => {
    expect(refusal(() => validateSurveyAnswer(request(body)))).toEqual({ status: 400, code: 'validation_failed', fields });
  });

  it('a body that is not an object is a bad request', () => {
    expect(refusal(() => validateSurveyAnswer(request([4])))).toMatchObject({ status: 400, code: 'bad_request' });
  });
});

describe('storing a survey answer', () => {
  const ended = Date.parse('2026-11-24T10:00:00Z');
  const conv = (extra: Partial<ConversationRow>): ConversationRow =>
    ({ activityid: 'c1', swb_state: ConversationState.WrapUp, swb_wrapupon: new Date(ended).toISOString(), _swb_workstreamid_value: 'ws-on', ...extra }) as ConversationRow;
  function deps(now = ended + 60_000) {
    const writes: Record<string, unknown>[] = [];
    return {
      writes,
      conversations: { update: async (_id: string, patch: Record<string, unknown>) => void writes.push(patch) },
      surveys: { of: async (id: string | null | undefined) => (id === 'ws-on' ? { workstreamId: 'ws-on', channel: 'livechat', texts: {} } : null) },
      now: () => now,
    };
  }
  async function refused(run: () => Promise<unknown>): Promise<{ status: number; code: string }> {
    try {
      await run();
    } catch (err) {
      if (err instanceof ChatError) return { status: err.status, code: err.code };
      throw err;
    }
    throw new Error('not refused');
  }

  it('an ended conversation whose workstream asks for it stores the rating, the comment and when', async () => {
    const d = deps();
    expect(await answerSurvey('c1', conv({}), { rating: 4, comment: 'Thanks' }, d)).toEqual({ rating: 4, comment: 'Thanks', respondedOn: '2026-11-24T10:01:00.000Z' });
    expect(d.writes).toEqual([{ swb_csatrating: 4, swb_csatcomment: 'Thanks', swb_csatrespondedon: '2026-11-24T10:01:00.000Z' }]);
  });

  it('answering again within 24 h replaces the answer, a comment left out clears the old one', async () => {
    const d = deps(ended + 23 * 3600_000);
    await answerSurvey('c1', conv({ swb_state: ConversationState.Closed, swb_csatrating: 4, swb_csatcomment: 'Thanks' }), { rating: 2, comment: null }, d);
    expect(d.writes).toEqual([{ swb_csatrating: 2, swb_csatcomment: null, swb_csatrespondedon: expect.any(String) }]);
  });

  it('a conversation still going on, one whose workstream has no survey, and an answer after 24 h are refused with 409 and write nothing', async () => {
    const d = deps();
    expect(await refused(() => answerSurvey('c1', conv({ swb_state: ConversationState.Active }), { rating: 5, comment: null }, d))).toEqual({ status: 409, code: 'conversation_not_ended' });
    expect(await refused(() => answerSurvey('c1', conv({ _swb_workstreamid_value: 'ws-off' }), { rating: 5, comment: null }, d))).toEqual({ status: 409, code: 'survey_not_offered' });
    const late = deps(ended + 24 * 3600_000 + 1000);
    expect(await refused(() => answerSurvey('c1', conv({}), { rating: 5, comment: null }, late))).toEqual({ status: 409, code: 'survey_closed' });
    expect([...d.writes, ...late.writes]).toEqual([]);
  });

  it('a conversation without a workstream of its own is asked about through its widget\'s', async () => {
    const d = deps();
    await answerSurvey('c1', conv({ _swb_workstreamid_value: null }), { rating: 3, comment: null }, d, 'ws-on');
    expect(d.writes).toHaveLength(1);
  });
});
