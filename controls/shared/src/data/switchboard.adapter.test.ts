import { ConversationState, DeliveryStatus, Visibility } from '../model/choices';
import { InMemoryWebApi } from '../testing/in-memory-webapi';
import { SwitchboardData, guid } from './switchboard.adapter';

const CONV = 'aaaaaaaa-0000-4000-8000-000000000001';
const ME = '11111111-1111-4111-8111-111111111111';

function seeded(count: number): InMemoryWebApi {
  const api = new InMemoryWebApi({ swb_conversation: [{ activityid: CONV, swb_state: ConversationState.Active }] });
  for (let i = 1; i <= count; i++) api.put('swb_message', { _swb_conversationid_value: CONV, swb_sequence: i, swb_body: `m${i}` });
  api.put('swb_message', { _swb_conversationid_value: 'bbbbbbbb-0000-4000-8000-000000000002', swb_sequence: 1, swb_body: 'other' });
  return api;
}

describe('Switchboard data access', () => {
  test('a transcript longer than one page is read completely through nextLink', async () => {
    const api = seeded(12);
    const data = new SwitchboardData(api, ME);
    const original = api.retrieveMultipleRecords.bind(api);
    api.retrieveMultipleRecords = (t, o) => original(t, o, 5);
    const rows = await data.messagesFrom(CONV, 1);
    expect(rows.map((r) => r.swb_sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(api.calls.filter((c) => c.op === 'retrieveMultiple')).toHaveLength(3);
  });

  test('polling from a sequence returns only that conversation from there on', async () => {
    const rows = await new SwitchboardData(seeded(5), ME).messagesFrom(CONV, 4);
    expect(rows.map((r) => r.swb_body)).toEqual(['m4', 'm5']);
  });

  test('a reply takes the number after the conversation counter and never writes the conversation (a consultant may not)', async () => {
    const api = seeded(0);
    api.row('swb_conversation', CONV)!.swb_lastmessagesequence = 7;
    await new SwitchboardData(api, ME).sendMessage(CONV, 'hello', false);
    expect(api.rows('swb_message').find((r) => r.swb_body === 'hello')).toMatchObject({ swb_sequence: 8 });
    expect(api.calls.filter((c) => c.op === 'update')).toEqual([]);
  });

  test('a reply right after my own last one takes the number after it even though the counter has not caught up yet', async () => {
    const api = seeded(4);
    api.row('swb_conversation', CONV)!.swb_lastmessagesequence = 3;
    await new SwitchboardData(api, ME).sendMessage(CONV, 'next', false);
    expect(api.rows('swb_message').find((r) => r.swb_body === 'next')).toMatchObject({ swb_sequence: 5 });
  });

  test('a reply whose number another writer already used takes the next free one instead of failing or duplicating', async () => {
    // The functions app claimed 3 and stored it, but this pane read the counter at 2.
    const api = seeded(3);
    api.row('swb_conversation', CONV)!.swb_lastmessagesequence = 2;
    await new SwitchboardData(api, ME).sendMessage(CONV, 'late', false);
    const sequences = api.rows('swb_message').filter((r) => r._swb_conversationid_value === CONV).map((r) => r.swb_sequence);
    expect(sequences).toEqual([1, 2, 3, 4]);
    expect(api.rows('swb_message').find((r) => r.swb_body === 'late')).toMatchObject({ swb_sequence: 4 });
  });

  test('a reply numbered after what the pane shows and what it sent costs no read: the create is its one request', async () => {
    const api = seeded(5);
    api.row('swb_conversation', CONV)!.swb_lastmessagesequence = 3;
    const data = new SwitchboardData(api, ME);
    await data.sendMessage(CONV, 'after five', false, 5);
    await data.sendMessage(CONV, 'after six', false, 5);
    const mine = api.rows('swb_message').filter((r) => r._swb_conversationid_value === CONV && String(r.swb_body).startsWith('after'));
    expect(mine.map((r) => r.swb_sequence)).toEqual([6, 7]);
    expect(api.calls.map((c) => c.op)).toEqual(['create', 'create']);
  });

  test('a pane behind the transcript (a customer message it has not read took the number) reads, then takes the next free number', async () => {
    const api = seeded(6);
    api.row('swb_conversation', CONV)!.swb_lastmessagesequence = 6;
    await new SwitchboardData(api, ME).sendMessage(CONV, 'from a stale pane', false, 5);
    expect(api.rows('swb_message').find((r) => r.swb_body === 'from a stale pane')).toMatchObject({ swb_sequence: 7 });
    expect(api.rows('swb_message').filter((r) => r._swb_conversationid_value === CONV)).toHaveLength(7);
  });

  test('a failure other than a duplicate key is not retried', async () => {
    const api = seeded(0);
    api.failNext('create', new Error('privilege'));
    await expect(new SwitchboardData(api, ME).sendMessage(CONV, 'x', false)).rejects.toThrow('privilege');
    expect(api.calls.filter((c) => c.op === 'create')).toHaveLength(1);
  });

  test('an internal note is written as internal with no delivery status; a reply as pending', async () => {
    const api = seeded(0);
    const data = new SwitchboardData(api, `{${ME.toUpperCase()}}`);
    await data.sendMessage(CONV, 'note', true);
    await data.sendMessage(CONV, 'reply', false);
    const [note, reply] = api.rows('swb_message').filter((r) => r._swb_conversationid_value === CONV);
    expect(note).toMatchObject({ swb_visibility: Visibility.Internal, _swb_authoragentid_value: ME });
    expect(note.swb_deliverystatus).toBeUndefined();
    expect(reply).toMatchObject({ swb_visibility: Visibility.Public, swb_deliverystatus: DeliveryStatus.Pending });
  });

  test('ending sends only the new state: the wrap-up time is stamped by the server, never by the browser', async () => {
    const api = seeded(0);
    await new SwitchboardData(api, ME, () => new Date('2026-11-24T10:00:00Z')).endConversation(CONV);
    expect(api.calls.filter((c) => c.op === 'update').map((c) => c.data)).toEqual([{ swb_state: ConversationState.WrapUp }]);
  });

  test('anything but a GUID is refused before it reaches a filter', () => {
    expect(() => guid("x' or 1 eq 1")).toThrow(/not a GUID/);
    expect(guid('{AAAAAAAA-0000-4000-8000-000000000001}')).toBe(CONV);
  });
});
