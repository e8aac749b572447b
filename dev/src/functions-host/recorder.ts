import type { HttpFunctionOptions, StorageQueueFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import type { FunctionsAppLike } from '@switchboard/functions';

export type Recorded =
  | { kind: 'http'; name: string; options: HttpFunctionOptions }
  | { kind: 'queue'; name: string; options: StorageQueueFunctionOptions<unknown> }
  | { kind: 'timer'; name: string; options: TimerFunctionOptions };

// Stands in for the @azure/functions `app` object: the functions workspace's own register()
// runs unchanged and the dev host serves exactly what it registered.
export class RegistrationRecorder implements FunctionsAppLike {
  readonly registrations: Recorded[] = [];

  http(name: string, options: HttpFunctionOptions): void {
    this.registrations.push({ kind: 'http', name, options });
  }

  storageQueue(name: string, options: StorageQueueFunctionOptions<unknown>): void {
    this.registrations.push({ kind: 'queue', name, options });
  }

  timer(name: string, options: TimerFunctionOptions): void {
    this.registrations.push({ kind: 'timer', name, options });
  }
}
