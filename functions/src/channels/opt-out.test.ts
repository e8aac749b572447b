import fc from 'fast-check';
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, foldKeyword, recogniseKeyword } from './opt-out';

describe('opt-out keywords', () => {
  it.each([
    'STOP', 'stop', 'Stop', ' stop ', 'STOP.', 'Stop!', 'stopall', 'STOP ALL', 'Unsubscribe', 'cancel', 'END', 'quit',
    'ARRET', 'ARRÊT', 'arrêt', 'Arrêt !', 'désabonner', 'DESABONNER', 'Désinscrire', 'ｓｔｏｐ',
  ])('"%s" on its own opts the number out', (text) => {
    expect(recogniseKeyword(text)).toBe('opt-out');
  });

  it.each(['START', 'start', 'unstop', 'Yes', 'YES!', 'démarrer', 'DEMARRER', 'Démarrer.'])('"%s" on its own opts the number back in', (text) => {
    expect(recogniseKeyword(text)).toBe('opt-in');
  });

  it.each(['HELP', 'aide', 'Info?'])('"%s" asks for help', (text) => {
    expect(recogniseKeyword(text)).toBe('help');
  });

  it.each([
    'please stop calling me',
    'stop it, I already paid',
    'I want to cancel my order',
    'STOPPING BY LATER',
    'start over with my claim',
    'yes please',
    'the end',
    '',
    '   ',
  ])('a keyword inside a longer message is conversation, not a command: "%s"', (text) => {
    expect(recogniseKeyword(text)).toBeUndefined();
  });

  it('no word is both an opt-out and an opt-in keyword', () => {
    const out = new Set(OPT_OUT_KEYWORDS);
    expect(OPT_IN_KEYWORDS.filter((k) => out.has(k))).toEqual([]);
  });

  it('every keyword is recognised whatever its case and accents, with surrounding spaces and punctuation', () => {
    const keyword = fc.constantFrom(...OPT_OUT_KEYWORDS.map((k) => [k, 'opt-out'] as const), ...OPT_IN_KEYWORDS.map((k) => [k, 'opt-in'] as const));
    const casing = fc.array(fc.boolean(), { minLength: 20, maxLength: 20 });
    const before = fc.constantFrom('', ' ', '  ', '\n', '"');
    const after = fc.constantFrom('', ' ', '.', '!', ' !', '...', '\n');
    fc.assert(
      fc.property(keyword, casing, before, after, ([word, intent], upper, lead, trail) => {
        const cased = [...word].map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch.toLowerCase())).join('');
        const accented = cased.replace(/E/, 'É').replace(/e/, 'é');
        expect(recogniseKeyword(`${lead}${accented}${trail}`)).toBe(intent);
      }),
      { numRuns: 200 },
    );
  });

  it('folding removes accents and case but keeps letters', () => {
    expect(foldKeyword('  Arrêt,  désabonner ! ')).toBe('ARRET DESABONNER');
  });
});
