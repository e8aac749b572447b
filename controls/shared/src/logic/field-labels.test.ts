import { contextRows, humanise, preChatRows } from './field-labels';

const known = (key: string, value?: string) => (value === undefined ? ({ to: 'Our number', cartTotal: 'Cart total' } as Record<string, string>)[key] : key === 'provider' && value === 'acs' ? 'Azure Communication Services' : undefined);

describe('labels for stored keys', () => {
  test('keys are written out as words, acronyms kept', () => {
    expect(humanise('loyaltyTier')).toBe('Loyalty tier');
    expect(humanise('page_url')).toBe('Page URL');
    expect(humanise('pageUrl')).toBe('Page URL');
    expect(humanise('orderID')).toBe('Order ID');
    expect(humanise('q7')).toBe('Q7');
  });

  test('a pre-chat answer takes its question\'s label and choice label; else a known key; else words', () => {
    const questions = [{ id: 'topic', label: { en: 'What is it about?' }, choices: [{ value: 'billing', label: { en: 'Billing' } }] }];
    expect(preChatRows({ topic: 'billing', cartTotal: 12, favouriteColour: 'green' }, questions, 'en-US', known)).toEqual([
      { key: 'topic', label: 'What is it about?', value: 'Billing' },
      { key: 'cartTotal', label: 'Cart total', value: '12' },
      { key: 'favouriteColour', label: 'Favourite colour', value: 'green' },
    ]);
  });

  test('a context value the control knows is named (the provider), others shown as stored', () => {
    expect(contextRows({ to: '+447400900100', provider: 'acs', flags: { vip: true } }, known)).toEqual([
      { key: 'to', label: 'Our number', value: '+447400900100' },
      { key: 'provider', label: 'Provider', value: 'Azure Communication Services' },
      { key: 'flags', label: 'Flags', value: '{"vip":true}' },
    ]);
  });
});
