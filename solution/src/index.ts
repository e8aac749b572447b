export * from './model/types';
export * from './metadata/types';
export { model } from './model/model';
export { metadata } from './generated/metadata';
export * from './generated/rows';
// Types only: the packer itself uses node:fs and child_process and must never end up in a
// PCF or widget bundle; run it through `npm run pack`.
export type { PluginRegistrations, ServiceEndpointRegistration, StepRegistration, StepImageRegistration, StepMessage } from './pack/plugin-steps';
export { processingStepRow, serviceEndpointRow, stepImageRow } from './pack/plugin-steps';
export type { PacConfig } from './pack/pac-config';
