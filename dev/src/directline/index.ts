// What the rest of the dev stack uses to run the Direct Line stand-in and its bots in-process.
export { API_PREFIX, HOOKS_PREFIX, createDirectLineStandIn, type DirectLineStandIn, type DirectLineStandInOptions, type DirectLineStats } from './directline.stand-in';
export { parseBotMode, type BotConversation, type BotMode, type BotRegistration, type DirectLineBot } from './bot';
export type { Activity, ActivitySet, Attachment, ChannelAccount, ReplyActivity } from './activity';
export { createFaqBot, HANDOFF_INITIATE, TRANSCRIPT_ATTACHMENT, type FaqBotOptions, type HandoffShape } from './faq.bot';
export * as faqBrain from './faq-brain';
