import { ChannelType, ConversationState, FORMATTED, Presence, Sentiment, type AgentStatusRow, type ConversationRow } from '../../../shared/src';
import { AgentConnectionState, WaitOutcome } from './choices';
import {
  ALL_STATES,
  agentFigures,
  emptyFloor,
  filterRows,
  handleMs,
  isUpset,
  mergeRows,
  ongoingRows,
  queueFigures,
  sinceCustomerMs,
  sortRows,
  waitMs,
  watermarkOf,
  type Floor,
} from './floor';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const Q1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const Q2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const ALICE = 'bbbbbbbb-0000-4000-8000-000000000001';
const BRUNO = 'bbbbbbbb-0000-4000-8000-000000000002';
const SAM = 'bbbbbbbb-0000-4000-8000-000000000003';

let n = 0;
function conversation(extra: Partial<ConversationRow> & Record<string, unknown>): ConversationRow {
  n++;
  return { activityid: `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`, swb_state: ConversationState.Waiting, swb_channeltype: ChannelType.LiveChat, _swb_queueid_value: Q1, ...extra } as ConversationRow;
}

function status(agent: string, presence: number, used: number, max: number, extra: Partial<AgentStatusRow> = {}): AgentStatusRow {
  return { swb_agentstatusid: `dddddddd-${agent.slice(9)}`, _swb_agentid_value: agent, swb_basepresence: presence as AgentStatusRow['swb_basepresence'], swb_capacityused: used, swb_capacitymax: max, ...extra } as AgentStatusRow;
}

function floorOf(conversations: ConversationRow[], extra: Partial<Floor> = {}): Floor {
  return {
    ...emptyFloor(),
    queues: [
      { id: Q1, name: 'Web support', members: [ALICE, BRUNO, SAM] },
      { id: Q2, name: 'Billing', members: [BRUNO] },
    ],
    agents: new Map([
      [ALICE, { id: ALICE, name: 'Alice Martin', queues: [Q1] }],
      [BRUNO, { id: BRUNO, name: 'Bruno Petit', queues: [Q1, Q2] }],
      [SAM, { id: SAM, name: 'Sam Leroy', queues: [Q1] }],
    ]),
    conversations: new Map(conversations.map((c) => [c.activityid, c])),
    ...extra,
  };
}

describe('the ongoing list', () => {
  it('shows each conversation with its customer, queue, state, agent and consultants, and never a closed one', () => {
    const active = conversation({ swb_state: ConversationState.Active, swb_customername: 'Camille', _swb_primaryagentid_value: ALICE, swb_queuedon: ago(300), swb_firstassignedon: ago(290), swb_activeon: ago(290) });
    const closed = conversation({ swb_state: ConversationState.Closed });
    const named = conversation({ [`_swb_customerid_value${FORMATTED}`]: 'Dana Whitfield', _swb_customerid_value: 'eeeeeeee-0000-4000-8000-000000000001' });
    const rows = ongoingRows(floorOf([active, closed, named], { consults: new Map([['s1', { conversationId: active.activityid, agentId: SAM }]]) }));
    expect(rows.map((r) => [r.customer, r.queueName, r.state, r.agentName, r.consultants])).toEqual([
      ['Camille', 'Web support', 'active', 'Alice Martin', ['Sam Leroy']],
      ['Dana Whitfield', 'Web support', 'waiting', '', []],
    ]);
  });

  it('counts the wait of a waiting conversation up from when it entered the queue; an answered one keeps its first wait', () => {
    const [waiting, answered, stamped] = ongoingRows(floorOf([
      conversation({ swb_queuedon: ago(95) }),
      conversation({ swb_state: ConversationState.Active, swb_queuedon: ago(300), swb_firstassignedon: ago(288), swb_activeon: ago(100) }),
      conversation({ swb_state: ConversationState.WrapUp, swb_queuedon: ago(300), swb_firstassignedon: ago(288), swb_waitseconds: 11, swb_activeon: ago(200), swb_lastcustomermessageon: ago(42) }),
    ]));
    expect(waitMs(waiting!, NOW)).toBe(95_000);
    expect(handleMs(waiting!, NOW)).toBeNull();
    expect(waitMs(answered!, NOW)).toBe(12_000);
    expect(handleMs(answered!, NOW)).toBe(100_000);
    // The server's stamp wins over arithmetic on two secured times.
    expect(waitMs(stamped!, NOW)).toBe(11_000);
    expect(sinceCustomerMs(stamped!, NOW)).toBe(42_000);
    expect(sinceCustomerMs(waiting!, NOW)).toBeNull();
  });

  it('filters by state, channel, queue and by text in customer, agent, consultant or queue', () => {
    const rows = ongoingRows(floorOf([
      conversation({ swb_customername: 'Camille', swb_state: ConversationState.Active, _swb_primaryagentid_value: ALICE }),
      conversation({ swb_customername: 'Dana', swb_channeltype: ChannelType.Sms, _swb_queueid_value: Q2 }),
      conversation({ swb_customername: 'Émile', swb_state: ConversationState.WrapUp, _swb_primaryagentid_value: BRUNO }),
    ]));
    const names = (f: Partial<Parameters<typeof filterRows>[1]>) => filterRows(rows, { text: '', states: ALL_STATES, channel: null, queueId: null, ...f }).map((r) => r.customer);
    expect(names({})).toEqual(['Camille', 'Dana', 'Émile']);
    expect(names({ states: new Set(['waiting']) })).toEqual(['Dana']);
    expect(names({ channel: ChannelType.Sms })).toEqual(['Dana']);
    expect(names({ queueId: Q1 })).toEqual(['Camille', 'Émile']);
    expect(names({ text: 'bruno' })).toEqual(['Émile']);
    expect(names({ text: 'BILL' })).toEqual(['Dana']);
  });

  it('an upset customer is a negative or very negative one, and the filter can list them alone', () => {
    const rows = ongoingRows(floorOf([
      conversation({ swb_customername: 'Vera', swb_sentiment: Sentiment.VeryNegative }),
      conversation({ swb_customername: 'Nina', swb_sentiment: Sentiment.Negative }),
      conversation({ swb_customername: 'Sly', swb_sentiment: Sentiment.SlightlyNegative }),
      conversation({ swb_customername: 'Una' }),
      conversation({ swb_customername: 'Viv', swb_sentiment: Sentiment.VeryPositive }),
    ]));
    expect(rows.filter(isUpset).map((r) => r.customer)).toEqual(['Vera', 'Nina']);
    expect(filterRows(rows, { text: '', states: ALL_STATES, channel: null, queueId: null, upsetOnly: true }).map((r) => r.customer)).toEqual(['Vera', 'Nina']);
  });

  it('sorts by any column, either way, with rows lacking the figure last and the longest waiting first on ties', () => {
    const rows = ongoingRows(floorOf([
      conversation({ swb_customername: 'b', swb_queuedon: ago(10), swb_sentiment: Sentiment.Positive }),
      conversation({ swb_customername: 'a', swb_queuedon: ago(50), swb_state: ConversationState.Active, swb_waitseconds: 20, swb_activeon: ago(30) }),
      conversation({ swb_customername: 'c', swb_queuedon: ago(30), swb_sentiment: Sentiment.Negative }),
    ]));
    const order = (key: Parameters<typeof sortRows>[1], desc = false) => sortRows(rows, key, desc, NOW).map((r) => r.customer).join('');
    expect(order('customer')).toBe('abc');
    expect(order('customer', true)).toBe('cba');
    expect(order('wait', true)).toBe('cab');
    expect(order('handle')).toBe('acb');
    expect(order('handle', true)).toBe('acb');
    expect(order('sentiment')).toBe('cba');
    expect(order('state')).toBe('cba');
  });

  it('merges a refresh: changed rows replace old ones, rows that no longer belong leave', () => {
    const a = conversation({ swb_customername: 'a' });
    const b = conversation({ swb_customername: 'b' });
    const current = new Map([[a.activityid, a], [b.activityid, b]]);
    const closedB = { ...b, swb_state: ConversationState.Closed };
    const movedIn = conversation({ swb_customername: 'c' });
    const elsewhere = conversation({ swb_customername: 'd', _swb_queueid_value: 'ffffffff-0000-4000-8000-000000000009' });
    const next = mergeRows(current, [closedB, movedIn, elsewhere], (c) => c.activityid, (c) => c.swb_state !== ConversationState.Closed && c._swb_queueid_value === Q1);
    expect([...next.values()].map((c) => c.swb_customername)).toEqual(['a', 'c']);
    expect(current.size).toBe(2);
  });

  it('the next delta starts at the newest change seen, never earlier than the last one', () => {
    expect(watermarkOf([{ modifiedon: '2026-11-24T09:00:05Z' }, { modifiedon: '2026-11-24T09:00:09Z' }, { modifiedon: null }], null)).toBe('2026-11-24T09:00:09.000Z');
    expect(watermarkOf([], '2026-11-24T09:00:09.000Z')).toBe('2026-11-24T09:00:09.000Z');
    expect(watermarkOf([{ modifiedon: '2026-11-24T08:00:00Z' }], '2026-11-24T09:00:09.000Z')).toBe('2026-11-24T09:00:09.000Z');
    expect(watermarkOf([], null)).toBeNull();
  });
});

describe('queue figures', () => {
  it('waiting now and since when, and today: answered, average speed to answer, service level at 20 s and 60 s, abandoned and abandon rate', () => {
    const floor = floorOf(
      [
        conversation({ swb_queuedon: ago(30) }),
        conversation({ swb_queuedon: ago(125) }),
        conversation({ swb_state: ConversationState.Active, swb_queuedon: ago(600) }),
        conversation({ _swb_queueid_value: Q2, swb_queuedon: ago(5) }),
      ],
      {
        today: [
          { queueId: Q1, outcome: WaitOutcome.AnsweredWithin20s, count: 6, seconds: 60 },
          { queueId: Q1, outcome: WaitOutcome.AnsweredWithin60s, count: 3, seconds: 120 },
          { queueId: Q1, outcome: WaitOutcome.AnsweredLater, count: 1, seconds: 220 },
          { queueId: Q1, outcome: WaitOutcome.Abandoned, count: 2, seconds: 300 },
        ],
        statuses: new Map([
          [ALICE, status(ALICE, Presence.Available, 1, 2)],
          [BRUNO, status(BRUNO, Presence.Available, 3, 3)],
          [SAM, status(SAM, Presence.Available, 0, 5, { swb_connectionstate: AgentConnectionState.SignedOut })],
        ]),
      },
    );
    const [web, billing] = queueFigures(floor, ongoingRows(floor));
    expect(web).toEqual({
      id: Q1, name: 'Web support', waiting: 2, longestWaitSince: NOW - 125_000,
      answered: 10, abandoned: 2, averageSpeedToAnswerMs: 40_000, serviceLevel20s: 0.6, serviceLevel60s: 0.9, abandonRate: 2 / 12,
      // Bruno is full and Sam signed out: only Alice could take one now.
      agentsAvailable: 1, members: 3,
    });
    expect(billing).toMatchObject({ waiting: 1, answered: 0, averageSpeedToAnswerMs: null, serviceLevel20s: null, abandonRate: null, agentsAvailable: 0 });
  });
});

describe('agent figures', () => {
  it('every agent of the queues, alphabetically, with presence since, capacity by profile, conversations held and offers pending', () => {
    const PROFILE = '99999999-0000-4000-8000-000000000001';
    const floor = floorOf([], {
      statuses: new Map([
        [BRUNO, status(BRUNO, Presence.Busy, 3, 3, { swb_presencesince: ago(600), swb_profileusage: JSON.stringify({ [PROFILE]: 2 }) })],
        [ALICE, status(ALICE, Presence.Away, 0, 2, { swb_manualoverride: true, swb_overridesetton: ago(60) })],
      ]),
      held: new Map([[BRUNO, 3]]),
      offers: new Map([[ALICE, 1]]),
      profiles: new Map([[PROFILE, { id: PROFILE, name: 'Chat', maxItems: 2 }]]),
    });
    const [alice, bruno, sam] = agentFigures(floor);
    expect(alice).toMatchObject({ name: 'Alice Martin', presence: Presence.Away, presenceSince: NOW - 60_000, manual: true, held: 0, offers: 1, full: false });
    expect(bruno).toMatchObject({ name: 'Bruno Petit', presenceSince: NOW - 600_000, usedUnits: 3, maxUnits: 3, full: true, held: 3, profiles: [{ id: PROFILE, name: 'Chat', used: 2, max: 2 }], queues: [Q1, Q2] });
    // No status row yet: nothing to change, nothing full.
    expect(sam).toMatchObject({ name: 'Sam Leroy', statusId: null, presence: null, full: false });
  });
});
