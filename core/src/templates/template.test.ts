import { localeChain, pickLocalized, renderLocalizedTemplate, renderTemplate } from './template';

const data = {
  customer: { firstname: 'Zoé', lastname: '' },
  agent: { name: 'Alice' },
  conversation: { queue: 'Billing', number: 42 },
};

describe('templates', () => {
  test('placeholders are filled from customer, agent and conversation', () => {
    expect(renderTemplate('Hi {customer.firstname}, {agent.name} from {conversation.queue} here (#{conversation.number}).', data)).toEqual({
      text: 'Hi Zoé, Alice from Billing here (#42).',
      missing: [],
    });
  });

  test('a missing or empty value uses the fallback text after the bar', () => {
    expect(renderTemplate('Hello {customer.lastname|there} {customer.title|}!', data).text).toBe('Hello there !');
  });

  test('a missing value without fallback renders empty and is reported', () => {
    expect(renderTemplate('Dear {customer.title} {customer.firstname}', data)).toEqual({ text: 'Dear  Zoé', missing: ['customer.title'] });
  });

  test('doubled braces are literal braces, and odd shapes stay as typed', () => {
    expect(renderTemplate('{{customer.firstname}} {not a placeholder} {customer}', data).text).toBe('{customer.firstname} {not a placeholder} {customer}');
  });

  test('locale falls back from region to language to English', () => {
    expect(localeChain('fr-CA')).toEqual(['fr-ca', 'fr', 'en']);
    const t = { en: 'Hello {customer.firstname}', fr: 'Bonjour {customer.firstname}' };
    expect(pickLocalized(t, 'fr-CA')).toEqual({ locale: 'fr', value: 'Bonjour {customer.firstname}' });
    expect(pickLocalized(t, 'de-DE')?.locale).toBe('en');
    expect(pickLocalized({ 'fr-CA': 'Allô' }, 'fr-ca')?.value).toBe('Allô');
    expect(pickLocalized({ de: 'Hallo' }, 'fr')).toBeNull();
    expect(renderLocalizedTemplate(t, 'fr-CA', data)).toEqual({ text: 'Bonjour Zoé', missing: [], locale: 'fr' });
  });
});
