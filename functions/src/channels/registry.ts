// The explicit provider registry: one adapter per provider, built from what the
// composition root passes in. Nothing registers itself on import.
import type { SmsChannelAdapter, SmsProvider } from './channel';
import type { AcsSenderFactory } from './acs/acs.adapter';
import { createAcsAdapter, sdkAcsSenderFactory } from './acs/acs.adapter';
import type { HttpClient } from './http';
import { fetchHttpClient } from './http';
import { createTelesignAdapter } from './telesign/telesign.adapter';
import { createTwilioAdapter } from './twilio/twilio.adapter';

export type SmsAdapters = Readonly<Record<SmsProvider, SmsChannelAdapter>>;

export interface SmsAdapterOptions {
  readonly http?: HttpClient;
  /** REST API roots for Twilio and TeleSign; the local stack points them at its phone simulator. */
  readonly apiBaseUrls?: Partial<Record<'twilio' | 'telesign', string>>;
  /** ACS's endpoint comes from each channel's connection string; this only swaps the SDK. */
  readonly acsSenderFactory?: AcsSenderFactory;
}

export function createSmsAdapters(options: SmsAdapterOptions = {}): SmsAdapters {
  const http = options.http ?? fetchHttpClient();
  const twilioBase = options.apiBaseUrls?.twilio;
  const telesignBase = options.apiBaseUrls?.telesign;
  return {
    twilio: createTwilioAdapter({ http, ...(twilioBase ? { apiBaseUrl: twilioBase } : {}) }),
    telesign: createTelesignAdapter({ http, ...(telesignBase ? { apiBaseUrl: telesignBase } : {}) }),
    acs: createAcsAdapter({ senderFactory: options.acsSenderFactory ?? sdkAcsSenderFactory() }),
  };
}
