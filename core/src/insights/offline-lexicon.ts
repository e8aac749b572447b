// The offline sentiment scorer: word lists passed in (core ships none and has no dependencies),
// English and French rules here. It follows VADER's heuristics (Hutto & Gilbert, 2014) on AFINN's
// scale: a word's valence, turned by a negation up to three words before it, raised by an
// intensifier just before it or by ALL CAPS, the clause after "but"/"mais" weighing more than the
// one before, exclamation marks strengthening the sentence, and the sum squashed into [-1, 1].
// It reads words, not meaning: sarcasm, idioms and domain words outside the lists pass unseen —
// the reason Azure AI Language is the other provider.
import { sentimentLevel, type SentimentLevel } from './sentiment';

export type LexiconLanguage = 'en' | 'fr';

/**
 * Word (or phrase of words separated by single spaces, e.g. AFINN's "does not work") → valence
 * on AFINN's scale, -5 … +5. Keys are matched lower-case with accents folded.
 */
export type WordList = Readonly<Record<string, number>>;

export interface OfflineLexiconOptions {
  /**
   * score = sum / sqrt(sum² + alpha). VADER uses 15 on its ±4 scale; on AFINN's ±5, 40 keeps one
   * mild word ("please", +1) slightly positive and needs two strong ones for "very".
   */
  alpha?: number;
}

export interface LexiconSentence {
  text: string;
  /** UTF-16 code units into the analysed text. */
  offset: number;
  length: number;
  score: number;
}

export interface LexiconAnalysis {
  score: number;
  level: SentimentLevel;
  sentences: LexiconSentence[];
}

/** The word list a BCP 47 tag uses: fr, fr-FR, fr-CA… → French; anything else → English. */
export function lexiconLanguage(tag: string): LexiconLanguage {
  return /^fr(?:[-_]|$)/i.test(tag.trim()) ? 'fr' : 'en';
}

/** Lower case, accents folded, typographic apostrophes made straight: how every key is compared. */
export function foldWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2019\u2018\u02bc]/g, "'")
    .toLowerCase();
}

// VADER's constants, on AFINN's scale where they differ.
const NEGATION = -0.74;
const BOOST = 0.3; // per intensifier, as a factor: "very bad" = 1.3 × "bad"
const CAPS = 1.25;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const EXCLAMATION = 0.3; // added per "!" in the sentence's direction, at most four
const QUESTION = 0.5;
const DEFAULT_ALPHA = 40;

interface Grammar {
  /** Negate a sentiment word up to three words after them. */
  negators: ReadonlySet<string>;
  /** French "plus", "rien"...: negators only after "ne" in the same clause ("plus rapide" is not). */
  negatorsAfterNe: ReadonlySet<string>;
  /** French "ne"/"n'": negates the word between it and a closing "pas"/"jamais"... ("je n'aime pas"). */
  ne: ReadonlySet<string>;
  boosters: ReadonlySet<string>;
  contrasts: ReadonlySet<string>;
  /** French elided articles and pronouns split off the word they lean on: "j'adore" → "j'" "adore". */
  elision: RegExp | null;
  /** Forms to try when a word is not listed: French plural and feminine endings ("décevantes" → "décevant"). */
  baseForms(key: string): string[];
}

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean).map(foldWord));

const GRAMMARS: Record<LexiconLanguage, Grammar> = {
  en: {
    // plus the apostrophe-less forms people type in chat; any word ending in n't is one too
    negators: set(`not no never none nobody nothing neither nor nowhere without cannot
      dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt shouldnt havent hasnt hadnt aint`),
    negatorsAfterNe: set(''),
    ne: set(''),
    boosters: set('very really so extremely absolutely totally completely incredibly truly'),
    contrasts: set('but however'),
    elision: null,
    // AFINN lists inflected forms itself
    baseForms: () => [],
  },
  fr: {
    negators: set('pas jamais aucun aucune sans ni guère'),
    negatorsAfterNe: set('plus rien personne'),
    ne: set("ne n'"),
    boosters: set('très vraiment trop tellement extrêmement absolument complètement totalement vachement'),
    contrasts: set('mais cependant pourtant toutefois'),
    elision: /^(j|l|d|n|m|t|s|c|qu|jusqu|lorsqu|puisqu|quoiqu)'(.+)$/,
    baseForms: (key) => {
      if (key.length < 5) return [];
      const singular = /[sx]$/.test(key) ? key.slice(0, -1) : key;
      const forms = singular !== key ? [singular] : [];
      if (singular.endsWith('e')) forms.push(singular.slice(0, -1));
      return forms;
    },
  },
};

interface Word {
  key: string;
  raw: string;
  /** Clause number: commas, semicolons, brackets, sentence ends and contrast words bound negation and phrases. */
  clause: number;
  sentence: number;
}

interface CompiledList {
  words: Map<string, number>;
  longestPhrase: number;
}

function compile(list: WordList): CompiledList {
  const words = new Map<string, number>();
  let longestPhrase = 1;
  for (const [entry, valence] of Object.entries(list)) {
    if (!Number.isFinite(valence)) continue;
    const key = foldWord(entry).trim().replace(/\s+/g, ' ');
    // folding can make two entries one (French "fermé"/"ferme"): the first listed stays
    if (!key || words.has(key)) continue;
    words.set(key, valence);
    longestPhrase = Math.max(longestPhrase, key.split(' ').length);
  }
  return { words, longestPhrase };
}

const TOKEN = /([\p{L}\p{M}\p{N}]+(?:['\u2019\u2018\u02bc-][\p{L}\p{M}\p{N}]+)*'?)|([,;:()[\]\u2013\u2014]|\s-\s)/gu;
const SENTENCE_END = /[.!?\u2026]+(?=\s|$)|\n/g;

function splitSentences(text: string): { offset: number; length: number; text: string }[] {
  const out: { offset: number; length: number; text: string }[] = [];
  const push = (from: number, to: number): void => {
    while (from < to && /\s/.test(text[from]!)) from++;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    if (to > from) out.push({ offset: from, length: to - from, text: text.slice(from, to) });
  };
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(text); m; m = SENTENCE_END.exec(text)) {
    push(start, m.index + m[0].length);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return out;
}

function isAllCaps(raw: string): boolean {
  const letters = raw.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

export class OfflineLexicon {
  private readonly lists: Record<LexiconLanguage, CompiledList>;
  private readonly alpha: number;

  constructor(lists: Readonly<Record<LexiconLanguage, WordList>>, options: OfflineLexiconOptions = {}) {
    this.lists = { en: compile(lists.en), fr: compile(lists.fr) };
    this.alpha = options.alpha ?? DEFAULT_ALPHA;
    if (!(this.alpha > 0)) throw new Error('OfflineLexicon: alpha must be a positive number');
  }

  /** The message's score in [-1, 1]; `language` is a BCP 47 tag. */
  score(text: string, language: string): number {
    return this.analyse(text, language).score;
  }

  /** The message's score and level, and each sentence's score (how Azure AI Language reports them too). */
  analyse(text: string, language: string): LexiconAnalysis {
    const lang = lexiconLanguage(language);
    const grammar = GRAMMARS[lang];
    // offsets stay those of the text as given (the service reports them so); folding copes with NFD
    const sentences = splitSentences(text);
    const words = this.words(sentences.map((s) => s.text), grammar);
    const sums = sentences.map(() => 0);
    for (const { sentence, valence } of this.valences(words, grammar, this.lists[lang])) sums[sentence]! += valence;
    // exclamation marks strengthen whatever the sentence already says, never create a sentiment;
    // "?!" is no question
    for (const [i, s] of sentences.entries()) {
      const bangs = Math.min(4, (s.text.match(/!/g) ?? []).length);
      if (sums[i] !== 0) sums[i]! += Math.sign(sums[i]!) * EXCLAMATION * bangs;
      if (bangs === 0 && /\?\s*$/.test(s.text)) sums[i]! *= QUESTION;
    }
    const total = sums.reduce((a, b) => a + b, 0);
    const score = this.normalise(total);
    return {
      score,
      level: sentimentLevel(score),
      sentences: sentences.map((s, i) => ({ ...s, score: this.normalise(sums[i]!) })),
    };
  }

  private normalise(sum: number): number {
    return sum === 0 ? 0 : sum / Math.sqrt(sum * sum + this.alpha);
  }

  private words(sentences: string[], grammar: Grammar): Word[] {
    const words: Word[] = [];
    let clause = 0;
    for (const [sentence, text] of sentences.entries()) {
      clause++;
      TOKEN.lastIndex = 0;
      for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
        if (m[2] !== undefined) {
          clause++;
          continue;
        }
        const raw = m[1]!;
        const key = foldWord(raw);
        const elided = grammar.elision?.exec(key);
        const parts = elided ? [`${elided[1]}'`, elided[2]!] : [key.replace(/'$/, '')];
        for (const part of parts) {
          // a contrast word ends the clause before it and starts the one after
          if (grammar.contrasts.has(part)) clause++;
          words.push({ key: part, raw, clause, sentence });
          if (grammar.contrasts.has(part)) clause++;
        }
      }
    }
    return words;
  }

  private isFunctionWord(key: string, grammar: Grammar): boolean {
    return (
      grammar.negators.has(key) ||
      grammar.negatorsAfterNe.has(key) ||
      grammar.ne.has(key) ||
      grammar.boosters.has(key) ||
      grammar.contrasts.has(key) ||
      key.endsWith("n't")
    );
  }

  private lookUp(key: string, grammar: Grammar, list: CompiledList): number | undefined {
    const listed = list.words.get(key);
    if (listed !== undefined) return listed;
    for (const form of grammar.baseForms(key)) {
      const found = list.words.get(form);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private isNegatorAt(words: Word[], j: number, grammar: Grammar): boolean {
    const key = words[j]!.key;
    if (grammar.negators.has(key) || key.endsWith("n't")) return true;
    if (!grammar.negatorsAfterNe.has(key)) return false;
    for (let k = j - 1; k >= 0 && words[k]!.clause === words[j]!.clause; k--) if (grammar.ne.has(words[k]!.key)) return true;
    return false;
  }

  private *valences(words: Word[], grammar: Grammar, list: CompiledList): Generator<{ sentence: number; valence: number }> {
    let contrast = -1;
    for (const [i, w] of words.entries()) if (grammar.contrasts.has(w.key)) contrast = i;

    for (let i = 0; i < words.length; ) {
      const clause = words[i]!.clause;
      // the longest phrase first: AFINN's "does not work" and "not good" carry their own negation
      let length = 0;
      let valence = 0;
      for (let n = Math.min(list.longestPhrase, words.length - i); n >= 1; n--) {
        if (words[i + n - 1]!.clause !== clause) continue;
        if (n === 1 && this.isFunctionWord(words[i]!.key, grammar)) break;
        const found =
          n === 1 ? this.lookUp(words[i]!.key, grammar, list) : list.words.get(words.slice(i, i + n).map((w) => w.key).join(' '));
        if (found !== undefined) {
          length = n;
          valence = found;
          break;
        }
      }
      if (length === 0 || valence === 0) {
        i += Math.max(1, length);
        continue;
      }
      const inClause = (j: number): boolean => j >= 0 && j < words.length && words[j]!.clause === clause;

      let boosters = 0;
      for (let j = i - 2; j < i; j++) if (inClause(j) && grammar.boosters.has(words[j]!.key)) boosters++;
      valence *= 1 + BOOST * boosters;

      let negated = false;
      for (let j = i - 3; j < i; j++) if (inClause(j) && this.isNegatorAt(words, j, grammar)) negated = true;
      if (!negated && grammar.ne.size > 0) {
        const opened = [i - 3, i - 2, i - 1].some((j) => inClause(j) && grammar.ne.has(words[j]!.key));
        const closed = [i + length, i + length + 1].some(
          (j) => inClause(j) && (grammar.negators.has(words[j]!.key) || grammar.negatorsAfterNe.has(words[j]!.key)),
        );
        negated = opened && closed;
      }
      if (negated) valence *= NEGATION;

      if (words.slice(i, i + length).some((w) => isAllCaps(w.raw))) valence *= CAPS;
      if (contrast >= 0) valence *= i < contrast ? BEFORE_CONTRAST : AFTER_CONTRAST;

      yield { sentence: words[i]!.sentence, valence };
      i += length;
    }
  }
}
