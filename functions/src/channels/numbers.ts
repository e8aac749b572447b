// Provider number formats, not phone-number normalisation: core/ owns E.164 parsing
// (libphonenumber) and callers hand us E.164. What lives here is only the wire format each
// provider uses — TeleSign and ACS's docs write numbers as bare digits ("15555555555"),
// Twilio and ACS's SDK use "+15555555555" — and the rule that short codes and
// alphanumeric sender ids are never touched.

// Short codes are 3–6 digits almost everywhere (5–6 in North America); full international
// numbers with their country code are 8 digits or more in practice. A bare digit string of
// 7 or fewer is therefore taken as a short code and never grows a "+". (A handful of
// countries have 8-digit short codes; those would need the channel's number configured
// with an explicit "+" to be told apart, which is why we never guess on outbound.)
const SHORT_CODE_MAX_DIGITS = 7;

/** Bare international digits ("15555555555") → "+15555555555"; short codes and "+…" unchanged. */
export function fromProviderDigits(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('+')) return trimmed;
  if (/^\d+$/.test(trimmed) && trimmed.length > SHORT_CODE_MAX_DIGITS) return `+${trimmed}`;
  return trimmed;
}

/** "+1 555-555-5555" → "15555555555" (TeleSign's phone_number has no "+"); short codes unchanged. */
export function toProviderDigits(value: string): string {
  const trimmed = value.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return trimmed;
  return trimmed.replace(/[^\d]/g, '');
}

export function isShortCode(value: string): boolean {
  return /^\d+$/.test(value) && value.length <= SHORT_CODE_MAX_DIGITS;
}
