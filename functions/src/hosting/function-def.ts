import type {
  HttpFunctionOptions,
  HttpHandler,
  HttpMethod,
  StorageQueueFunctionOptions,
  StorageQueueHandler,
  TimerFunctionOptions,
  TimerHandler,
} from '@azure/functions';

export type AuthLevel = 'anonymous' | 'function' | 'admin';

export interface HttpFunctionDef {
  kind: 'http';
  name: string;
  // Azure route template relative to the /api prefix, e.g. "sms/twilio/{channelId}".
  route: string;
  methods: HttpMethod[];
  authLevel: AuthLevel;
  handler: HttpHandler;
}

export interface QueueFunctionDef {
  kind: 'queue';
  name: string;
  queueName: string;
  // Name of the app setting holding the storage connection (Azure binding semantics).
  connection: string;
  handler: StorageQueueHandler<unknown>;
}

export interface TimerFunctionDef {
  kind: 'timer';
  name: string;
  // Six-field NCRONTAB: second minute hour day month day-of-week (UTC).
  schedule: string;
  runOnStartup?: boolean;
  handler: TimerHandler;
}

export type FunctionDef = HttpFunctionDef | QueueFunctionDef | TimerFunctionDef;

// The subset of the @azure/functions `app` namespace that register() uses. The real `app`
// satisfies it, and so does the dev host's recorder: one code path for both hosts.
export interface FunctionsAppLike {
  http(name: string, options: HttpFunctionOptions): void;
  storageQueue(name: string, options: StorageQueueFunctionOptions<unknown>): void;
  timer(name: string, options: TimerFunctionOptions): void;
}

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

export function validateTable(table: readonly FunctionDef[]): void {
  const problems: string[] = [];
  const names = new Set<string>();
  const routes = new Map<string, string>();
  for (const def of table) {
    if (!NAME_PATTERN.test(def.name)) problems.push(`invalid function name "${def.name}"`);
    const lower = def.name.toLowerCase();
    // Function names are case-insensitive in the Azure host.
    if (names.has(lower)) problems.push(`duplicate function name "${def.name}"`);
    names.add(lower);
    if (def.kind === 'http') {
      if (def.route.startsWith('/') || def.route.startsWith('api/')) {
        problems.push(`route of "${def.name}" must be relative to /api: "${def.route}"`);
      }
      if (def.methods.length === 0) problems.push(`"${def.name}" has no methods`);
      const shape = def.route.toLowerCase().replace(/\{[^}]+\}/g, '{}');
      for (const method of def.methods) {
        const key = `${method} ${shape}`;
        const other = routes.get(key);
        if (other) problems.push(`"${def.name}" and "${other}" both answer ${method} ${def.route}`);
        routes.set(key, def.name);
      }
    } else if (def.kind === 'queue') {
      // Storage queue names: 3-63 chars, lowercase letters, digits, single hyphens.
      if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(def.queueName)) {
        problems.push(`invalid queue name "${def.queueName}" for "${def.name}"`);
      }
    } else if (def.kind === 'timer') {
      if (def.schedule.trim().split(/\s+/).length !== 6 && !/^\d+:\d{2}:\d{2}$/.test(def.schedule)) {
        problems.push(`schedule of "${def.name}" is not six-field NCRONTAB: "${def.schedule}"`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`Invalid functions table:\n- ${problems.join('\n- ')}`);
}

export function register(app: FunctionsAppLike, table: readonly FunctionDef[]): void {
  validateTable(table);
  for (const def of table) {
    switch (def.kind) {
      case 'http':
        app.http(def.name, {
          route: def.route,
          methods: def.methods,
          authLevel: def.authLevel,
          handler: def.handler,
        });
        break;
      case 'queue':
        app.storageQueue(def.name, {
          queueName: def.queueName,
          connection: def.connection,
          handler: def.handler,
        });
        break;
      case 'timer':
        app.timer(def.name, {
          schedule: def.schedule,
          runOnStartup: def.runOnStartup ?? false,
          handler: def.handler,
        });
        break;
    }
  }
}
