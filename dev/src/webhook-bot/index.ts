// What the rest of the dev stack uses to run the sample webhook bot in-process, and the signature rule.
export { EVENTS_PATH, createWebhookBot, type WebhookBotOptions, type WebhookBotStandIn, type WebhookBotStats } from './webhook-bot.stand-in';
export { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, verifyWebhookSignature, webhookSignature, type SignatureCheck, type SignedRequest } from './webhook-signature';
export { callbackPath, parseBotEvent, type BotEvent, type CallbackAction, type CallbackBody, type EndCallback, type HandoffCallback, type MessageCallback } from './webhook-contract';
