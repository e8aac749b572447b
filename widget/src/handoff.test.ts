import { decodeTicket, encodeTicket, takeTicket, withTicket } from './handoff';

const ticket = {
  widgetId: 'boutique-é',
  conversationId: '5f0c2a4e-0000-4000-8000-000000000001',
  token: 'tok+/=_-',
  expiresOn: '2026-11-25T10:00:00.000Z',
};

describe('cross-site hand-off ticket', () => {
  it('round-trips through a URL fragment, keeping the page anchor', () => {
    const href = withTicket('https://partner.test/track?id=9#details', ticket);
    const url = new URL(href);
    expect(url.search).toBe('?id=9');
    const taken = takeTicket(url.hash, 'boutique-é');
    expect(taken.ticket).toEqual(ticket);
    expect(taken.rest).toBe('#details');
  });

  it('the encoded ticket is URL-safe: no character needs escaping in a fragment', () => {
    expect(encodeTicket(ticket)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('a ticket for another widget stays in the fragment for that widget', () => {
    const hash = new URL(withTicket('https://partner.test/', ticket)).hash;
    expect(takeTicket(hash, 'other')).toEqual({ ticket: undefined, rest: hash });
  });

  it('garbage is not a ticket', () => {
    expect(decodeTicket('%%%')).toBeUndefined();
    expect(decodeTicket(btoa('[1,2]'))).toBeUndefined();
    expect(takeTicket('#swb=nonsense', 'x')).toEqual({ ticket: undefined, rest: '#swb=nonsense' });
  });

  it('linking twice replaces the earlier ticket instead of stacking them', () => {
    const once = withTicket('https://partner.test/', ticket);
    const twice = withTicket(once, { ...ticket, token: 'newer' });
    expect(new URL(twice).hash.match(/swb=/g)).toHaveLength(1);
    expect(takeTicket(new URL(twice).hash, ticket.widgetId).ticket?.token).toBe('newer');
  });
});
