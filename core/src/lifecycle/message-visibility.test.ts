import { canView, normaliseVisibility, shouldDeliverToCustomer, visibleTo } from './message-visibility';

describe('message visibility', () => {
  const note = { visibility: 'internal' as const, direction: 'outbound' as const, authorKind: 'agent' as const };
  const reply = { visibility: 'public' as const, direction: 'outbound' as const, authorKind: 'agent' as const };
  const inbound = { visibility: 'public' as const, direction: 'inbound' as const, authorKind: 'customer' as const };

  test('an internal note is never shown to the customer or a bot, and always to agents and supervisors', () => {
    expect(canView('customer', note)).toBe(false);
    expect(canView('bot', note)).toBe(false);
    expect(canView('agent', note)).toBe(true);
    expect(canView('supervisor', note)).toBe(true);
  });

  test('an internal note is never delivered to the customer channel', () => {
    expect(shouldDeliverToCustomer(note)).toBe(false);
    expect(shouldDeliverToCustomer(reply)).toBe(true);
    expect(shouldDeliverToCustomer(inbound)).toBe(false);
  });

  test('the customer transcript keeps only public messages, in order', () => {
    expect(visibleTo('customer', [inbound, note, reply])).toEqual([inbound, reply]);
  });

  test('a customer cannot write an internal message', () => {
    expect(normaliseVisibility('customer', 'internal')).toBe('public');
    expect(normaliseVisibility('agent', 'internal')).toBe('internal');
  });
});
