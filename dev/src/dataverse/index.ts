// What the rest of the dev stack uses to run the emulator in-process.
export { createEmulator, DEFAULT_APP_TOKEN, STATS_PATH, parseFaults, type Emulator, type EmulatorOptions, type Fault, type SeedUser } from './emulator';
export { diffStats, type CallerStats, type EmulatorStats, type WebhookStats } from './request-stats';
export { parseBudget, type Budget } from './service-protection';
export { choiceLabelsFromModel, type ChoiceLabels } from './choice-labels';
export { registerWebhookStep, type WebhookStep } from './testing/register-step';
export type { FetchLike } from './plugin-dispatcher';
export { APP_USER_ID, ORGANIZATION_ID, ROOT_BUSINESS_UNIT_ID } from './system-metadata';
