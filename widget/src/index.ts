// Package entry for other workspaces (types only: the functions app implements
// the contract). The browser script's entry is browser-entry.ts.
export * from './contract';
export type { SwitchboardApi } from './widget';
