import { negativity, SENTIMENT_LEVELS, type SentimentLevel, type SentimentScore } from '@switchboard/core';
import { LexiconSentimentAdapter, packagedWordLists } from './lexicon-sentiment.adapter';

const provider = new LexiconSentimentAdapter();
const rank = (l: SentimentLevel): number => SENTIMENT_LEVELS.indexOf(l) - SENTIMENT_LEVELS.indexOf('neutral');

async function levels(messages: [language: string, text: string][]): Promise<SentimentLevel[]> {
  const scores = await provider.score(messages.map(([language, text], i) => ({ id: `m${i}`, language, text })));
  return scores.map((s: SentimentScore) => {
    if ('error' in s) throw new Error(s.error);
    return s.level;
  });
}

describe('LexiconSentimentAdapter (AFINN-165 and Pattern French)', () => {
  test('angry customers read negative or worse, in English and French', async () => {
    const found = await levels([
      ['en', 'This is ridiculous. I have been waiting three weeks for my refund and nobody answers!!'],
      ['en', 'This is the worst customer service I have ever had. Absolutely terrible.'],
      ['fr', "C'est inadmissible, ça fait trois semaines que j'attends mon remboursement et personne ne répond !"],
      ['fr', "C'est une arnaque, j'en ai marre."],
      ['fr-CA', 'Le produit est arrivé cassé et personne ne m’a répondu. Je suis furieux.'],
    ]);
    for (const l of found) expect(negativity(l)).toBeGreaterThanOrEqual(2);
  });

  test('polite thanks read positive, in English and French', async () => {
    const found = await levels([
      ['en', 'Thank you so much, that was really helpful!'],
      ['en-GB', 'Great, it works now. Thanks a lot!'],
      ['fr', "Merci beaucoup, c'était vraiment très utile !"],
      ['fr-FR', "J'adore votre application, elle est géniale !"],
    ]);
    for (const l of found) expect(rank(l)).toBeGreaterThanOrEqual(2);
  });

  test('neutral questions read neutral', async () => {
    expect(await levels([
      ['en', 'What are your opening hours on Saturday?'],
      ['fr', "Quels sont vos horaires d'ouverture le samedi ?"],
    ])).toEqual(['neutral', 'neutral']);
  });

  test('a mixed message leans the way of its clause after "but"/"mais"', async () => {
    const [en, fr] = await levels([
      ['en', 'The agent was nice, but my problem is still not fixed.'],
      ['fr', "Le conseiller était très aimable, mais mon problème n'est toujours pas résolu."],
    ]);
    expect(rank(en!)).toBeLessThan(0);
    expect(rank(fr!)).toBeLessThan(0);
  });

  test('negations turn the words they govern', async () => {
    const [dontLike, notBad, nePas, nAimePas, pasMauvais] = await levels([
      ['en', "I don't like this new update."],
      ['en', 'The new app is not bad at all.'],
      ['fr', 'Je ne suis pas satisfait du tout.'],
      ['fr', "Je n'aime pas cette mise à jour."],
      ['fr', "Ce n'est pas mauvais."],
    ]);
    expect(rank(dontLike!)).toBeLessThan(0);
    expect(rank(notBad!)).toBeGreaterThan(0);
    expect(rank(nePas!)).toBeLessThan(0);
    expect(rank(nAimePas!)).toBeLessThan(0);
    expect(rank(pasMauvais!)).toBeGreaterThan(0);
  });

  test('the same French message scores the same with or without accents (customers on phones drop them)', async () => {
    const scores = await provider.score([
      { id: 'a', language: 'fr', text: 'Je suis très déçu, le service est nul.' },
      { id: 'b', language: 'fr', text: 'je suis tres decu, le service est nul' },
    ]);
    expect(scores[0]).toMatchObject({ level: 'veryNegative' });
    expect(scores[1]).toEqual({ ...scores[0], id: 'b' });
  });

  test('answers come one per message, in order, with the message ids', async () => {
    const scores = await provider.score([
      { id: 'x', language: 'en', text: 'great' },
      { id: 'y', language: 'en', text: '' },
    ]);
    expect(scores).toEqual([
      { id: 'x', score: expect.any(Number), level: 'positive' },
      { id: 'y', score: 0, level: 'neutral' },
    ]);
    expect(await provider.score([])).toEqual([]);
  });

  test('the French list is Pattern on AFINN scale, with its misreadings corrected', () => {
    const { en, fr } = packagedWordLists();
    expect(Object.keys(en).length).toBeGreaterThan(3000);
    expect(Object.keys(fr).length).toBeGreaterThan(4000);
    expect(en['disappointed']).toBe(-2);
    expect(fr['déçu']).toBe(-4);
    expect(fr['inadmissible']).toBeLessThan(0);
  });
});
