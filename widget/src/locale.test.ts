import { announcementOf, format, pickLocale, resolveStrings } from './locale';
import en from './locales/en.json';
import fr from './locales/fr.json';

describe('locale selection', () => {
  it('a French browser gets French whatever the region', () => {
    expect(pickLocale(['fr-CA'])).toBe('fr');
    expect(pickLocale(['FR'])).toBe('fr');
    expect(pickLocale(['fr_BE'])).toBe('fr');
  });

  it('the first shipped language in the preference list wins', () => {
    expect(pickLocale(['de-CH', 'fr-CH', 'en'])).toBe('fr');
    expect(pickLocale(['de-CH', 'en-GB', 'fr'])).toBe('en');
  });

  it('an unsupported or missing language falls back to English', () => {
    expect(pickLocale(['de-DE', 'ja'])).toBe('en');
    expect(pickLocale(undefined)).toBe('en');
    expect(pickLocale([], 'fr-FR')).toBe('fr');
  });

  it('English and French define exactly the same keys, none blank', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const bundle of [en, fr]) {
      for (const value of Object.values(bundle)) expect(value.trim()).not.toBe('');
    }
  });

  it('French strings differ from English ones for the visible labels', () => {
    const s = resolveStrings('fr');
    expect(s.startChat).toBe('Commencer la discussion');
    expect(s.send).toBe('Envoyer');
  });

  it('config overrides replace single strings and ignore blanks and unknown keys', () => {
    const s = resolveStrings('en', { title: 'Contoso help', send: '  ', ...({ bogus: 'x' } as object) });
    expect(s.title).toBe('Contoso help');
    expect(s.send).toBe('Send');
    expect((s as unknown as Record<string, unknown>).bogus).toBeUndefined();
  });

  it('placeholders are filled and unknown ones left visible', () => {
    expect(format('We open again {when}.', { when: 'tomorrow' })).toBe('We open again tomorrow.');
    expect(format('{x} {y}', { x: 'a' })).toBe('a {y}');
  });
});

describe('what a screen reader hears when a message arrives', () => {
  it('who wrote what, as a sentence, in English and in French', () => {
    expect(announcementOf({ authorKind: 'agent', authorName: 'Alice Martin', body: 'It ships tomorrow.' }, resolveStrings('en'))).toBe('Alice Martin says: It ships tomorrow.');
    expect(announcementOf({ authorKind: 'agent', authorName: 'Alice Martin', body: 'Elle part demain.' }, resolveStrings('fr'))).toBe('Alice Martin écrit : Elle part demain.');
  });

  it('an automated line is a notice, not somebody writing it', () => {
    expect(announcementOf({ authorKind: 'system', body: 'Thanks!' }, resolveStrings('en'))).toBe('Notice: Thanks!');
    expect(announcementOf({ authorKind: 'system', body: 'Merci !' }, resolveStrings('fr'))).toBe('Information : Merci !');
  });

  it('an agent or bot without a name is called by their role', () => {
    expect(announcementOf({ authorKind: 'bot', body: 'Hi' }, resolveStrings('fr'))).toBe('Assistant écrit : Hi');
    expect(announcementOf({ authorKind: 'agent', body: 'Hi' }, resolveStrings('en'))).toBe('Agent says: Hi');
  });
});
