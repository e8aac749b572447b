// Library surface of the functions workspace (for the dev host and other parts of the app).
// The Azure entry point is main.ts.
export * from './hosting/function-def';
export * from './hosting/errors';
export * from './hosting/http';
export * from './config';
export * from './composition';
export * from './registrations';
export * from './services/contracts';
export { notImplementedServices } from './services/not-implemented';
export * from './dataverse/errors';
export * from './dataverse/retry';
export * from './dataverse/token-source';
export * from './dataverse/dataverse-client';
export * from './queue/work-queue';
export * from './queue/storage-work-queue.adapter';
