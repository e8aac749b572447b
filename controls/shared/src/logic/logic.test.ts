import { AuthorKind, DeliveryStatus, MessageDirection, Presence, Visibility } from '../model/choices';
import type { AgentStatusRow, MessageRow } from '../model/rows';
import { consultCandidates } from './consult-eligibility';
import { parseJsonObject } from './json-field';
import { mergeMessages, newArrivals, pollFrom } from './message-merge';
import { fillTemplate, paneTemplateData } from './template-fill';

function msg(seq: number, over: Partial<MessageRow> = {}): MessageRow {
  return {
    swb_messageid: `m${seq}`,
    swb_sequence: seq,
    swb_direction: MessageDirection.Inbound,
    swb_authorkind: AuthorKind.Customer,
    swb_visibility: Visibility.Public,
    swb_body: `hello ${seq}`,
    swb_deliverystatus: DeliveryStatus.Received,
    ...over,
  };
}

describe('transcript merging', () => {
  test('polled messages join in sequence order without duplicates', () => {
    const merged = mergeMessages([msg(1), msg(3)], [msg(3), msg(2), msg(4)]);
    expect(merged.map((m) => m.swb_sequence)).toEqual([1, 2, 3, 4]);
  });

  test('a message seen again with a new delivery status replaces the old copy', () => {
    const sent = msg(2, { swb_direction: MessageDirection.Outbound, swb_deliverystatus: DeliveryStatus.Sent });
    const merged = mergeMessages([msg(1), sent], [{ ...sent, swb_deliverystatus: DeliveryStatus.Delivered }]);
    expect(merged[1].swb_deliverystatus).toBe(DeliveryStatus.Delivered);
  });

  test('an unchanged poll keeps the same array so nothing re-renders', () => {
    const current = [msg(1), msg(2)];
    expect(mergeMessages(current, [msg(2)])).toBe(current);
  });

  test('polling resumes after the newest message, or at an outbound one still in flight', () => {
    expect(pollFrom([])).toBe(1);
    expect(pollFrom([msg(1), msg(2)])).toBe(3);
    const inFlight = msg(2, { swb_direction: MessageDirection.Outbound, swb_deliverystatus: DeliveryStatus.Sent });
    expect(pollFrom([msg(1), inFlight, msg(3)])).toBe(2);
    const notes = msg(2, { swb_direction: MessageDirection.Outbound, swb_deliverystatus: null, swb_visibility: Visibility.Internal });
    expect(pollFrom([msg(1), notes])).toBe(3);
  });

  test('only messages past the old newest count as arrivals', () => {
    expect(newArrivals([msg(1), msg(2)], [msg(1), msg(2), msg(3)]).map((m) => m.swb_sequence)).toEqual([3]);
  });
});

describe('templates', () => {
  test('placeholders are filled from what the pane knows, fallbacks apply, and unknown ones are reported', () => {
    const data = paneTemplateData('Ana Ruiz', 'Avery Martin', undefined);
    const r = fillTemplate('Hi {customer.firstname}, I am {agent.name}. Queue {queue.name|support}. Ref {case.number}', data);
    expect(r.text).toBe('Hi Ana, I am Avery Martin. Queue support. Ref ');
    expect(r.missing).toEqual(['case.number']);
  });
});

describe('consult candidates', () => {
  const status = (id: string, presence: number, used: number, max: number): AgentStatusRow => ({
    swb_agentstatusid: `s-${id}`,
    _swb_agentid_value: id,
    swb_basepresence: presence as AgentStatusRow['swb_basepresence'],
    swb_capacityused: used,
    swb_capacitymax: max,
  });

  test('only available queue members with capacity left, never the asker, most capacity first', () => {
    const names = new Map([['a', 'Ann'], ['b', 'Bob'], ['c', 'Cat'], ['d', 'Dan'], ['me', 'Me']]);
    const got = consultCandidates(
      ['a', 'b', 'c', 'me'],
      [status('a', Presence.Available, 1, 3), status('b', Presence.Busy, 0, 3), status('c', Presence.Available, 3, 3), status('d', Presence.Available, 0, 5), status('me', Presence.Available, 0, 9), status('x', Presence.Available, 0, 1)],
      names,
      ['me'],
    );
    expect(got).toEqual([{ agentId: 'a', name: 'Ann', capacityLeft: 2 }]);
  });
});

test('a malformed JSON column reads as empty rather than failing', () => {
  expect(parseJsonObject('{oops')).toEqual({});
  expect(parseJsonObject('[1]')).toEqual({});
  expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
});
