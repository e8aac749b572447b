import { BasePresence, ConversationState, IdentificationResult } from '@switchboard/solution';
import { agentInputsOf, arrivalOf, conversationSnapshotOf, declinesOf, parseSkills, storedCapacityOf } from './routing-snapshot.mapper';

const NOW = Date.parse('2026-11-24T10:00:00Z');

describe('routing snapshot from rows', () => {
  test('who declined a conversation (or let an offer of it expire) is read from the conversation itself, leniently', () => {
    expect(declinesOf({ swb_declinedby: '{"A1":2,"a2":1}' })).toEqual({ a1: 2, a2: 1 });
    for (const bad of [null, '', 'nope', '[1]', '{"a1":"x"}']) expect(declinesOf({ swb_declinedby: bad })).toEqual({});
  });

  test('members become agents with their presence, skills, what is left of their capacity and their round-robin place; members without a status row are left out', () => {
    const agents = agentInputsOf(
      'q1',
      [
        {
          systemuserid: 'A1',
          status: { swb_agentstatusid: 's1', swb_basepresence: BasePresence.Busy, swb_capacitymax: 3, swb_capacityused: 1, swb_profileusage: '{"voice":1}', swb_lastreleaseon: '2026-11-24T09:00:00Z', swb_lastofferstamps: '{"Q1":17,"q2":99}' },
          skills: [{ swb_skillname: 'French', swb_proficiency: 4 }, { swb_skillname: 'Billing' }],
        },
        { systemuserid: 'a2', status: { swb_agentstatusid: 's2', swb_basepresence: null, swb_capacitymax: 2, swb_capacityused: 5 }, skills: [{ swb_skillname: null }] },
        { systemuserid: 'a3', status: null, skills: [] },
      ],
      new Map([['voice', 2]]),
      NOW,
    );
    expect(agents.map((a) => a.id)).toEqual(['A1', 'a2']);
    expect(agents[0]).toMatchObject({
      queueIds: ['q1'],
      skills: { french: 4, billing: 5 },
      capacity: { maxUnits: 2, profileLimits: { voice: 1 } },
      presence: { statusId: 'Busy', signedIn: true, lastActivityAt: NOW },
      lastReleaseAt: Date.parse('2026-11-24T09:00:00Z'),
      lastOfferStampByQueue: { q1: 17 },
    });
    expect(agents[1]).toMatchObject({ skills: {}, capacity: { maxUnits: 0 }, presence: { statusId: 'Offline', signedIn: false } });
    expect(agents[1]).not.toHaveProperty('lastReleaseAt');
    expect(agents[1]).not.toHaveProperty('lastOfferStampByQueue');
  });

  test('a waiting conversation keeps its priority, required skills, language, queue times and the declines counted from its offers', () => {
    const snap = conversationSnapshotOf(
      { activityid: 'c1', _swb_workstreamid_value: 'w1', swb_state: ConversationState.Waiting, swb_priority: 5, swb_requiredskills: '["French"]', swb_language: 'fr', swb_openedon: '2026-11-24T09:50:00Z', swb_queuedon: '2026-11-24T09:55:00Z', swb_declinedby: '{"a1":1}' },
      'q1',
      NOW,
    );
    expect(snap).toEqual({
      id: 'c1',
      workstreamId: 'w1',
      queueId: 'q1',
      record: { id: 'c1', state: 'Waiting', timestamps: { openedOn: Date.parse('2026-11-24T09:50:00Z') }, participants: [], reopenCount: 0 },
      priority: 5,
      skills: [{ skillId: 'french' }],
      enqueuedAt: Date.parse('2026-11-24T09:55:00Z'),
      arrivedAt: Date.parse('2026-11-24T09:50:00Z'),
      declines: { a1: 1 },
      language: 'fr',
    });
  });

  test('a conversation without times is taken as opened (and queued) when it was created, or now', () => {
    expect(conversationSnapshotOf({ activityid: 'c1', _swb_workstreamid_value: 'w1', createdon: '2026-11-24T09:00:00Z' }, 'q1', NOW)).toMatchObject({ arrivedAt: Date.parse('2026-11-24T09:00:00Z'), enqueuedAt: Date.parse('2026-11-24T09:00:00Z') });
    const bare = conversationSnapshotOf({ activityid: 'c2', _swb_workstreamid_value: 'w1' }, 'q1', NOW);
    expect(bare).toMatchObject({ arrivedAt: NOW, enqueuedAt: NOW, skills: [], declines: {} });
    expect(bare).not.toHaveProperty('priority');
    expect(bare).not.toHaveProperty('language');
  });

  test('required skills are names or { skillId, minRating }, compared in lower case; anything unreadable requires nothing', () => {
    expect(parseSkills('["French", {"skillId": "Billing", "minRating": 3}, 7, null]')).toEqual([{ skillId: 'french' }, { skillId: 'billing', minRating: 3 }]);
    for (const bad of [null, '', 'nope', '{"skillId":"x"}']) expect(parseSkills(bad)).toEqual([]);
  });

  test('a new conversation arrives with what rules read: subject, language, identification, phone, the customer and its context', () => {
    expect(
      arrivalOf(
        'c1',
        { activityid: 'c1', subject: 'Refund', swb_language: 'fr', swb_identificationresult: IdentificationResult.Identified, swb_customerphone: '+33612345678', _swb_customerid_value: 'k1', swb_customername: 'Camille', swb_context: '{"orderTotal":150}', swb_priority: 3 },
        'w1',
      ),
    ).toEqual({
      conversationId: 'c1',
      workstreamId: 'w1',
      conversation: { subject: 'Refund', language: 'fr', identified: IdentificationResult.Identified, phone: '+33612345678' },
      customer: { id: 'k1', name: 'Camille' },
      context: { orderTotal: 150 },
      priority: 3,
    });
    expect(arrivalOf('c2', { activityid: 'c2', swb_context: '[1]' }, 'w1')).toEqual({
      conversationId: 'c2',
      workstreamId: 'w1',
      conversation: { subject: '', language: '', identified: null, phone: '' },
      customer: null,
      context: {},
    });
  });

  test("the status row's capacity reads as units used of the maximum and counts per profile", () => {
    expect(storedCapacityOf({ swb_capacityused: 2, swb_capacitymax: 4, swb_profileusage: '{"Voice":1}' })).toEqual({ usedUnits: 2, maxUnits: 4, profileUsed: { voice: 1 } });
    expect(storedCapacityOf({})).toEqual({ usedUnits: 0, maxUnits: 0, profileUsed: {} });
  });

  test("a chat's pre-chat answers are context to routing rules (the survey's topic routes), and a context variable the page set wins over an answer of the same name", () => {
    const arrival = arrivalOf('c3', { activityid: 'c3', swb_prechatanswers: '{"firstname":"Nadia","topic":"billing","page":"survey"}', swb_context: '{"cartTotal":249,"page":"cart"}' }, 'w1');
    expect(arrival.context).toEqual({ firstname: 'Nadia', topic: 'billing', cartTotal: 249, page: 'cart' });
  });
});
