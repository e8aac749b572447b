// What one step file exports: where it is registered in Dataverse and what it does.
import type { StepImageRegistration, StepMessage } from '@switchboard/solution/pack/plugin-steps';
import type { StepContext } from './context/execution-context';
import type { StepDeps } from './ports';

export type StepResult =
  /** Done (or nothing to do); `note` is for logs and tests. */
  | { kind: 'ok'; note: string }
  /** Pre-operation only: columns to change on the row before it is written. */
  | { kind: 'target'; attributes: Record<string, unknown>; note: string }
  /** Sync only: veto the operation; Dataverse shows `message` to the user. */
  | { kind: 'refuse'; code: string; message: string }
  /** Async only: a transient failure; a non-2xx makes Dataverse's async service try again. */
  | { kind: 'retry'; message: string };

export type StepHandler = (ctx: StepContext, deps: StepDeps) => Promise<StepResult>;

export interface StepTrigger {
  message: StepMessage;
  /** Absent for Associate/Disassociate: Dataverse registers them on no table. */
  table?: string;
  stage: 10 | 20 | 40;
  mode: 'sync' | 'async';
  rank?: number;
  filteringAttributes?: string[];
  images?: StepImageRegistration[];
  description: string;
}

export interface StepDefinition {
  /** URL segment: POST /api/dataverse/{name}; also the service endpoint's identity. */
  name: string;
  description: string;
  triggers: StepTrigger[];
  handler: StepHandler;
}

export const ok = (note: string): StepResult => ({ kind: 'ok', note });
