// "Validate API key": send a real test SMS to the channel's test number and say, in the
// admin's language, what went wrong. The provider-specific error mapping lives in each
// mapper; this turns a SendResult into a stable, localisable result code.
import type { SendResult } from './channel';
import { SEND_FAILURE_CODES } from './channel';
import type { ChannelDeliveryDeps } from './delivery';
import { sendOnChannel } from './delivery';
import en from './resources/channels.en.json';
import fr from './resources/channels.fr.json';

export const VALIDATION_CODES = ['ok', 'no-test-number', ...SEND_FAILURE_CODES] as const;

export type ValidationCode = (typeof VALIDATION_CODES)[number];

export interface ValidationReport {
  readonly ok: boolean;
  readonly code: ValidationCode;
  /** Worth pressing "validate" again later without changing anything. */
  readonly retryable: boolean;
  readonly providerMessageId?: string;
  readonly providerCode?: string;
  readonly httpStatus?: number;
  /** The provider's own words, shown under the localised message. */
  readonly detail?: string;
}

export function validationReportFor(result: SendResult): ValidationReport {
  if (result.ok) return { ok: true, code: 'ok', retryable: false, providerMessageId: result.providerMessageId };
  const f = result.failure;
  return {
    ok: false,
    code: f.code,
    retryable: f.retryable,
    detail: f.message,
    ...(f.providerCode ? { providerCode: f.providerCode } : {}),
    ...(f.httpStatus !== undefined ? { httpStatus: f.httpStatus } : {}),
  };
}

type Bundle = Readonly<Record<string, string>>;
const bundles: Readonly<Record<string, Bundle>> = { en, fr };

/** Picks the bundle for a language tag or LCID ("fr-CA", "fr", 1036); English otherwise. */
export function channelStrings(locale: string | number): Bundle {
  const tag = typeof locale === 'number' ? ({ 1033: 'en', 1036: 'fr' } as Record<number, string>)[locale] ?? 'en' : locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return bundles[tag] ?? en;
}

export function validationMessage(code: ValidationCode, locale: string | number): string {
  const key = `validation.${code}`;
  return channelStrings(locale)[key] ?? (en as Bundle)[key] ?? code;
}

export async function validateChannel(deps: ChannelDeliveryDeps, channelId: string, locale: string | number): Promise<ValidationReport> {
  const channel = await deps.channels.getChannel(channelId);
  if (!channel) return { ok: false, code: 'unknown-channel', retryable: false };
  if (!channel.testNumber) return { ok: false, code: 'no-test-number', retryable: false };
  const result = await sendOnChannel(deps, channel, channel.testNumber, channelStrings(locale).testMessage ?? en.testMessage, { clientReference: `validate:${channelId}` });
  return validationReportFor(result);
}
