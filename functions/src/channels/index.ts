// SMS channel adapters: the provider layer the functions app's triggers, routing
// pipeline and outbound plugin step call. See functions/README.md, "Channels".
export type {
  SmsProvider,
  InboundHttpRequest,
  ResolvedSecrets,
  VerifyFailureReason,
  VerifyResult,
  DeliveryStatus,
  InboundMessage,
  InboundStatus,
  HttpReply,
  ValidationHandshake,
  IgnoredEvent,
  InboundEvent,
  ParseErrorCode,
  ParseError,
  ParseResult,
  OutboundSms,
  SendFailureCode,
  SendFailure,
  SendResult,
  SmsChannelAdapter,
  SecretResolver,
  SmsChannelConfig,
  ChannelDirectory,
  OptOutLookup,
  ChannelDelivery,
} from './channel';
export { SMS_PROVIDERS, SEND_FAILURE_CODES, httpStatusForVerify, httpStatusForParseError, errorReply, headerOf, queryOf } from './channel';

export type { SmsAdapters, SmsAdapterOptions } from './registry';
export { createSmsAdapters } from './registry';

export type { ChannelDeliveryDeps, DeliverOptions } from './delivery';
export { createChannelDelivery, sendOnChannel } from './delivery';

export type { ValidationCode, ValidationReport } from './validation';
export { VALIDATION_CODES, validateChannel, validationReportFor, validationMessage, channelStrings } from './validation';

export type { MissingSecret, SecretResolution } from './secrets';
export { appSettingsSecretResolver, resolveChannelSecrets } from './secrets';

export type { KeywordIntent } from './opt-out';
export { recogniseKeyword, foldKeyword, OPT_OUT_KEYWORDS, OPT_IN_KEYWORDS } from './opt-out';

export { shouldApplyStatus, publicUrlFor } from './status';
export { fromProviderDigits, toProviderDigits, isShortCode } from './numbers';

export type { HttpClient, HttpRequest, HttpOutcome } from './http';
export { fetchHttpClient } from './http';

export type { TwilioAdapterOptions } from './twilio/twilio.adapter';
export { createTwilioAdapter, TWILIO_API_BASE_URL } from './twilio/twilio.adapter';
export type { TelesignAdapterOptions } from './telesign/telesign.adapter';
export { createTelesignAdapter, TELESIGN_API_BASE_URL } from './telesign/telesign.adapter';
export type { AcsAdapterOptions, AcsSmsSender, AcsSendRequest, AcsSendOutcome, AcsSenderFactory } from './acs/acs.adapter';
export { createAcsAdapter, sdkAcsSenderFactory, ACS_KEY_QUERY_PARAMETER, ACS_KEY_HEADER } from './acs/acs.adapter';

export type { InboundOutcome, InboundArgs } from './inbound';
export { receiveInbound } from './inbound';
