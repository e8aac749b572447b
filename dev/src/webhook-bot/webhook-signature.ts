// The signature rule is Switchboard's own (functions/src/bots/webhook): the sample bot uses the
// very code the product signs events and checks callbacks with.
export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhook,
  verifyWebhookSignature,
  webhookSignature,
  type SignatureCheck,
  type SignedRequest,
} from '@switchboard/functions/bots/webhook/webhook-signature';
