// Condition errors are shown to admins in the rule editor, so their text comes from this
// catalogue in English and French; the parser only records a message id and its arguments.

export type ConditionMessageId =
  | 'unterminatedText'
  | 'unexpectedAfterNumber'
  | 'unexpectedCharacter'
  | 'tooLong'
  | 'tooDeep'
  | 'empty'
  | 'expectedValue'
  | 'expectedNumberAfterMinus'
  | 'expectedFieldName'
  | 'expectedClosing'
  | 'expectedOperatorOrEnd'
  | 'expectedDot'
  | 'unknownFunction'
  | 'wrongArity'
  | 'unknownName';

/** `found` is the offending token's text, or null for the end of the condition. */
export type ConditionMessageArgs = Record<string, string | number | null>;

export type ConditionLocale = 'en' | 'fr';

type Catalogue = Record<ConditionMessageId, (a: ConditionMessageArgs) => string>;

const q = (s: unknown) => `'${s}'`;

const en: Catalogue = {
  unterminatedText: () => 'Unterminated text: a closing quote is missing',
  unexpectedAfterNumber: (a) => `Unexpected ${q(a.char)} after a number`,
  unexpectedCharacter: (a) => `Unexpected character ${q(a.char)}`,
  tooLong: (a) => `Condition is longer than ${a.max} characters`,
  tooDeep: () => 'Condition is nested too deeply',
  empty: () => 'Condition is empty',
  expectedValue: (a) => `Expected a value but found ${foundEn(a)}`,
  expectedNumberAfterMinus: (a) => `Expected a number after '-' but found ${foundEn(a)}`,
  expectedFieldName: (a) => `Expected a field name after '.' but found ${foundEn(a)}`,
  expectedClosing: (a) => `Expected ${alternatives(a, ' or ')} but found ${foundEn(a)}`,
  expectedOperatorOrEnd: (a) => `Expected 'and', 'or' or the end of the condition but found ${foundEn(a)}`,
  expectedDot: (a) => `Expected '.' and a field name after ${q(a.name)}`,
  unknownFunction: (a) => `Unknown function ${q(a.name)} (known: ${a.known})`,
  wrongArity: (a) => `Function ${q(a.name)} takes ${a.expected} argument${a.expected === 1 ? '' : 's'}, got ${a.got}`,
  unknownName: (a) => `Unknown name ${q(a.name)}: a field starts with ${a.roots}`,
};

const fr: Catalogue = {
  unterminatedText: () => 'Texte non terminé : il manque le guillemet fermant',
  unexpectedAfterNumber: (a) => `${q(a.char)} inattendu après un nombre`,
  unexpectedCharacter: (a) => `Caractère inattendu ${q(a.char)}`,
  tooLong: (a) => `La condition dépasse ${a.max} caractères`,
  tooDeep: () => 'La condition est trop imbriquée',
  empty: () => 'La condition est vide',
  expectedValue: (a) => `Valeur attendue, mais ${foundFr(a)} trouvé`,
  expectedNumberAfterMinus: (a) => `Nombre attendu après '-', mais ${foundFr(a)} trouvé`,
  expectedFieldName: (a) => `Nom de champ attendu après '.', mais ${foundFr(a)} trouvé`,
  expectedClosing: (a) => `${alternatives(a, ' ou ')} attendu, mais ${foundFr(a)} trouvé`,
  expectedOperatorOrEnd: (a) => `'and', 'or' ou la fin de la condition attendus, mais ${foundFr(a)} trouvé`,
  expectedDot: (a) => `'.' et un nom de champ attendus après ${q(a.name)}`,
  unknownFunction: (a) => `Fonction inconnue ${q(a.name)} (connues : ${a.known})`,
  wrongArity: (a) => `La fonction ${q(a.name)} prend ${a.expected} argument${a.expected === 1 ? '' : 's'}, reçu ${a.got}`,
  unknownName: (a) => `Nom inconnu ${q(a.name)} : un champ commence par ${a.roots}`,
};

function alternatives(a: ConditionMessageArgs, or: string): string {
  return String(a.expected ?? '')
    .split('|')
    .map(q)
    .join(or);
}

// A text token already carries its quotes ('chat'); anything else gets quoted.
const token = (s: unknown) => (/^['"]/.test(String(s)) ? String(s) : q(s));

function foundEn(a: ConditionMessageArgs): string {
  return a.found === null || a.found === undefined ? 'the end of the condition' : token(a.found);
}
function foundFr(a: ConditionMessageArgs): string {
  return a.found === null || a.found === undefined ? 'la fin de la condition' : token(a.found);
}

const catalogues: Record<ConditionLocale, Catalogue> = { en, fr };

/** 'fr-CA' and 'fr' read French; anything else reads English. */
export function conditionLocale(locale: string | null | undefined): ConditionLocale {
  return locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function conditionReason(id: ConditionMessageId, args: ConditionMessageArgs, locale: string | null | undefined = 'en'): string {
  return catalogues[conditionLocale(locale)][id](args);
}

export function conditionMessage(
  error: { messageId: ConditionMessageId; args: ConditionMessageArgs; line: number; column: number },
  locale: string | null | undefined = 'en',
): string {
  const reason = conditionReason(error.messageId, error.args, locale);
  return conditionLocale(locale) === 'fr'
    ? `${reason} à la ligne ${error.line}, colonne ${error.column}`
    : `${reason} at line ${error.line}, column ${error.column}`;
}
