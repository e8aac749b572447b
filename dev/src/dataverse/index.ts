// What the rest of the dev stack uses to run the emulator in-process.
export { createEmulator, DEFAULT_APP_TOKEN, parseFaults, type Emulator, type EmulatorOptions, type Fault, type SeedUser } from './emulator';
export { choiceLabelsFromModel, type ChoiceLabels } from './choice-labels';
export { registerWebhookStep, type WebhookStep } from './testing/register-step';
export type { FetchLike } from './plugin-dispatcher';
export { APP_USER_ID, ORGANIZATION_ID, ROOT_BUSINESS_UNIT_ID } from './system-metadata';
