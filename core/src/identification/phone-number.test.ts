import { languageOfPhoneNumber } from './phone-number';

describe('the language a number suggests', () => {
  it('a French mobile is answered in French, a US or UK one in English, whatever way it was typed', () => {
    expect(languageOfPhoneNumber('+33 6 98 76 54 32')).toBe('fr');
    expect(languageOfPhoneNumber('06 98 76 54 32', { defaultRegion: 'FR' })).toBe('fr');
    expect(languageOfPhoneNumber('+1 317 555 0147')).toBe('en');
    expect(languageOfPhoneNumber('+44 7911 123456')).toBe('en');
  });

  it('a country of several languages, or a number that does not parse, suggests none', () => {
    expect(languageOfPhoneNumber('+32 470 12 34 56')).toBeNull();
    expect(languageOfPhoneNumber('+41 79 123 45 67')).toBeNull();
    expect(languageOfPhoneNumber('not a number')).toBeNull();
    expect(languageOfPhoneNumber('')).toBeNull();
  });
});
