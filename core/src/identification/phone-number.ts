import { type CountryCode, ParseError, parsePhoneNumberWithError } from 'libphonenumber-js';
import { type Result, err, ok } from '../result';

export type PhoneErrorCode = 'phone.empty' | 'phone.notANumber' | 'phone.invalidCountry' | 'phone.tooShort' | 'phone.tooLong' | 'phone.invalid';

export interface PhoneError {
  code: PhoneErrorCode;
  message: string;
  input: string;
}

export interface PhoneOptions {
  /** Region for numbers typed without '+country' (ISO 3166 alpha-2, e.g. 'CA'). */
  defaultRegion?: string;
}

const PARSE_ERRORS: Record<string, [PhoneErrorCode, string]> = {
  NOT_A_NUMBER: ['phone.notANumber', 'is not a phone number'],
  INVALID_COUNTRY: ['phone.invalidCountry', 'has no country code and no default region applies'],
  TOO_SHORT: ['phone.tooShort', 'is too short to be a phone number'],
  TOO_LONG: ['phone.tooLong', 'is too long to be a phone number'],
};

/** Normalises to E.164 ('+15145550123'); an error says why the input is not a usable number. */
export function normalizePhoneNumber(input: string, options: PhoneOptions = {}): Result<string, PhoneError> {
  const trimmed = (input ?? '').trim();
  if (trimmed === '') return err({ code: 'phone.empty', message: 'No phone number was given', input });
  // Numbers from SMS providers sometimes arrive as '00' international prefix or with 'tel:'.
  const cleaned = trimmed.replace(/^tel:/i, '').replace(/^00(?=[1-9])/, '+');
  try {
    const region = options.defaultRegion?.toUpperCase() as CountryCode | undefined;
    const parsed = parsePhoneNumberWithError(cleaned, region ? { defaultCountry: region } : undefined);
    if (!parsed.isValid()) {
      return err({ code: 'phone.invalid', message: `'${trimmed}' is not a valid phone number${parsed.country ? ` for ${parsed.country}` : ''}`, input });
    }
    return ok(parsed.number);
  } catch (e) {
    if (e instanceof ParseError) {
      const [code, text] = PARSE_ERRORS[e.message] ?? ['phone.invalid', 'is not a valid phone number'];
      return err({ code, message: `'${trimmed}' ${text}`, input });
    }
    throw e;
  }
}

/** True when both inputs are the same number once normalised; unusable input never matches. */
export function samePhoneNumber(a: string | null | undefined, b: string | null | undefined, options: PhoneOptions = {}): boolean {
  if (!a || !b) return false;
  const x = normalizePhoneNumber(a, options);
  const y = normalizePhoneNumber(b, options);
  return x.ok && y.ok && x.value === y.value;
}

/**
 * The one language a first automatic reply can assume for a number's country (ISO 639-1), for
 * countries with one main language; none for countries with several (Belgium, Switzerland,
 * Canada…) or a number that does not parse.
 */
const REGION_LANGUAGE: Readonly<Record<string, string>> = {
  FR: 'fr', MC: 'fr', RE: 'fr', GP: 'fr', MQ: 'fr', GF: 'fr', YT: 'fr', PM: 'fr', NC: 'fr', PF: 'fr',
  US: 'en', GB: 'en', GG: 'en', JE: 'en', IM: 'en', IE: 'en', AU: 'en', NZ: 'en',
  DE: 'de', AT: 'de', ES: 'es', MX: 'es', IT: 'it', PT: 'pt', BR: 'pt', NL: 'nl',
};

/** `defaultRegion`: the channel's region, for numbers typed without a country and numbers of no single country. */
export function languageOfPhoneNumber(input: string, options: PhoneOptions = {}): string | null {
  const normalized = normalizePhoneNumber(input, options);
  if (!normalized.ok) return null;
  try {
    // A number the library cannot place in one country (a fictional 555 line shared by the
    // North American plan) takes the channel's own region.
    const country = parsePhoneNumberWithError(normalized.value).country ?? options.defaultRegion?.toUpperCase();
    return (country && REGION_LANGUAGE[country]) ?? null;
  } catch {
    return null;
  }
}
