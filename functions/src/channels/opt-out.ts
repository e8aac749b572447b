// STOP / START keywords, honoured by us on every provider (Twilio does it on long codes
// only, TeleSign and ACS not by default). Whole message only: "please stop calling me"
// is a conversation, not an opt-out — carriers' rules (CTIA, and the French SMS+ code
// of conduct for STOP) are about a message that *is* the keyword.

export type KeywordIntent = 'opt-out' | 'opt-in' | 'help';

// Stored already folded (upper case, no accents, single spaces).
const OPT_OUT = [
  'STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'OPT OUT',
  'STOP SMS',
  // French: ARRÊT / ARRET is the operators' standard; the rest are what people actually type.
  'ARRET', 'ARRETER', 'ARRETE', 'DESABONNER', 'DESABONNEMENT', 'DESINSCRIRE', 'DESINSCRIPTION', 'STOPPER',
] as const;

const OPT_IN = [
  'START', 'UNSTOP', 'YES', 'SUBSCRIBE',
  'DEMARRER', 'DEMARRE', 'REPRENDRE', 'OUI', 'ABONNER', 'REABONNER',
] as const;

const HELP = ['HELP', 'INFO', 'AIDE'] as const;

const byKeyword = new Map<string, KeywordIntent>([
  ...OPT_OUT.map((k) => [k, 'opt-out'] as const),
  ...OPT_IN.map((k) => [k, 'opt-in'] as const),
  ...HELP.map((k) => [k, 'help'] as const),
]);

/** Folds case, accents, width and surrounding punctuation so "  Arrêt ! " reads "ARRET". */
export function foldKeyword(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/ +/g, ' ');
}

/** The keyword's intent when the whole message is one of the keywords, else undefined. */
export function recogniseKeyword(text: string): KeywordIntent | undefined {
  // A long message cannot be a keyword; skip folding a whole essay.
  if (text.length > 40) return undefined;
  return byKeyword.get(foldKeyword(text));
}

export const OPT_OUT_KEYWORDS: readonly string[] = OPT_OUT;
export const OPT_IN_KEYWORDS: readonly string[] = OPT_IN;
