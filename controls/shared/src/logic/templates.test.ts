import { languageOf, templatesFor } from './templates';

const tpl = (name: string, locale: string | null, channel: number | null = null) => ({ name, swb_locale: locale, swb_channeltype: channel });

describe('templates offered to an agent', () => {
  test('locales compare by language, whatever their spelling', () => {
    expect([languageOf('fr-FR'), languageOf('FR'), languageOf('1036'), languageOf('en_GB'), languageOf(null)]).toEqual(['fr', 'fr', 'fr', 'en', '']);
  });

  test('those in the agent\'s language or in none; never another language\'s', () => {
    const all = [tpl('Greeting', 'en'), tpl('Salutation', 'fr'), tpl('Thanks', null), tpl('Hola', 'es')];
    expect(templatesFor(all, null, 'en-US').map((x) => x.name)).toEqual(['Greeting', 'Thanks']);
    expect(templatesFor(all, null, 'fr-FR').map((x) => x.name)).toEqual(['Salutation', 'Thanks']);
  });

  test('those of the conversation\'s channel or of every channel', () => {
    const all = [tpl('Shipped (SMS)', 'en', 2), tpl('Shipped (chat)', 'en', 1), tpl('Any', 'en', null)];
    expect(templatesFor(all, 2, 'en-US').map((x) => x.name)).toEqual(['Shipped (SMS)', 'Any']);
  });
});
