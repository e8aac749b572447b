import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { InvocationContext, type HttpFunctionOptions, type LogLevel, type StorageQueueFunctionOptions, type Timer, type TimerFunctionOptions } from '@azure/functions';
import { queueServiceClient, StorageWorkQueue, type WorkItem } from '@switchboard/functions';
import { DEFAULT_QUEUE_SETTINGS, type QueueHostSettings } from './host-settings';
import { toFunctionsRequest, writeFunctionsResponse } from './http-bridge';
import { nextOccurrence, parseSchedule, type Schedule } from './ncrontab';
import type { Recorded } from './recorder';
import { compareRoutes, compileRoute, matchRoute, type CompiledRoute } from './route-template';
import { listenOn } from '../listen';

export interface DevHostOptions {
  registrations: Recorded[];
  hostname?: string;
  port?: number;
  // App settings: queue triggers resolve their `connection` setting name here, like Azure.
  settings?: Readonly<Record<string, string | undefined>>;
  // Stands in for function and master keys on authLevel function/admin routes.
  functionKey?: string;
  queue?: Partial<QueueHostSettings>;
  // Shortest wait between polls of an empty queue; doubles up to maxPollingInterval.
  minPollIntervalMs?: number;
  enableQueues?: boolean;
  enableTimers?: boolean;
  maxRequestBytes?: number;
  log?: (line: string) => void;
}

interface HttpRoute {
  name: string;
  options: HttpFunctionOptions;
  compiled: CompiledRoute;
  methods: string[];
}

export interface ServedRoute {
  name: string;
  methods: string[];
  url: string;
  authLevel: string;
}

const HTTP_METHODS_DEFAULT = ['GET', 'POST'];

export class FunctionsDevHost {
  private server: http.Server | undefined;
  private baseUrl = '';
  private readonly httpRoutes: HttpRoute[];
  private readonly log: (line: string) => void;
  private readonly stops: (() => Promise<void>)[] = [];
  private stopping = false;
  private readonly queueSettings: QueueHostSettings;
  /** Timer functions by lower-case name: what `POST /admin/functions/{name}` runs. */
  private readonly manualRuns = new Map<string, () => Promise<void>>();

  constructor(private readonly options: DevHostOptions) {
    this.log = options.log ?? ((line) => console.log(line));
    this.queueSettings = { ...DEFAULT_QUEUE_SETTINGS, ...options.queue };
    this.httpRoutes = options.registrations
      .filter((r): r is Extract<Recorded, { kind: 'http' }> => r.kind === 'http')
      .map((r) => ({
        name: r.name,
        options: r.options,
        compiled: compileRoute(r.options.route ?? r.name),
        methods: (r.options.methods ?? HTTP_METHODS_DEFAULT).map((m) => m.toUpperCase()),
      }))
      .sort((a, b) => compareRoutes(a.compiled, b.compiled));
    // Fail at start, not at first tick, on a schedule the real host would also reject.
    for (const r of options.registrations) if (r.kind === 'timer') parseSchedule(r.options.schedule);
  }

  get url(): string {
    return this.baseUrl;
  }

  routes(): ServedRoute[] {
    return this.httpRoutes.map((r) => ({
      name: r.name,
      methods: r.methods,
      url: `${this.baseUrl}/api/${r.compiled.template}`,
      authLevel: r.options.authLevel ?? 'function',
    }));
  }

  async start(): Promise<string> {
    const server = http.createServer((req, res) => {
      this.serveHttp(req, res).catch((err: unknown) => {
        this.log(`[functions] host error: ${String(err)}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    const listening = await listenOn(server, this.options.port ?? 7071, this.options.hostname ?? '127.0.0.1');
    this.server = server;
    this.baseUrl = listening.origin;
    for (const r of this.options.registrations) {
      if (r.kind === 'queue' && this.options.enableQueues !== false) this.startQueue(r.name, r.options);
      if (r.kind === 'timer' && this.options.enableTimers !== false) this.startTimer(r.name, r.options);
    }
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.stops.map((s) => s()));
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private context(functionName: string, trigger: Record<string, unknown>, triggerMetadata?: Record<string, unknown>): InvocationContext {
    const invocationId = randomUUID();
    return new InvocationContext({
      invocationId,
      functionName,
      logHandler: (level: LogLevel, ...args: unknown[]) =>
        this.log(`[${functionName}] ${level}: ${args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
      options: { trigger: { name: `${functionName}Trigger`, type: 'unknown', ...trigger }, extraInputs: [], extraOutputs: [] },
      ...(triggerMetadata ? { triggerMetadata } : {}),
    });
  }

  private async serveHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const admin = /^\/admin\/functions\/([^/]+)$/i.exec(path);
    if (admin && method === 'POST') {
      this.runManually(decodeURIComponent(admin[1]!), req, res);
      return;
    }
    if (!/^\/api(\/|$)/i.test(path)) {
      res.writeHead(404).end();
      return;
    }
    const rest = path.replace(/^\/api\/?/i, '');
    let route: HttpRoute | undefined;
    let params: Record<string, string> | null = null;
    let pathMatched = false;
    for (const candidate of this.httpRoutes) {
      const p = matchRoute(candidate.compiled, rest);
      if (!p) continue;
      pathMatched = true;
      if (!candidate.methods.includes(method)) continue;
      route = candidate;
      params = p;
      break;
    }
    if (!route || !params) {
      // The Functions host answers 404 both for unknown paths and for a method a route does not list.
      res.writeHead(404).end();
      this.log(`[functions] ${method} ${path} → 404${pathMatched ? ' (method not registered)' : ''}`);
      return;
    }
    const authLevel = route.options.authLevel ?? 'function';
    if (authLevel !== 'anonymous' && !this.keyOk(url.searchParams.get('code') ?? headerOf(req, 'x-functions-key'))) {
      res.writeHead(401).end();
      this.log(`[functions] ${method} ${path} → ${route.name} 401 (function key required)`);
      return;
    }
    let status: number;
    try {
      const request = await toFunctionsRequest(req, url, params, this.options.maxRequestBytes ?? 100 * 1024 * 1024);
      const context = this.context(route.name, { type: 'httpTrigger', authLevel, methods: route.methods, route: route.compiled.template });
      const result = await route.options.handler(request, context);
      status = await writeFunctionsResponse(res, result);
    } catch (err) {
      // An unhandled throw is a 500 with an empty body, as on Azure.
      status = (err as { status?: number }).status === 413 ? 413 : 500;
      this.log(`[${route.name}] error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(status);
      res.end();
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    this.log(`[functions] ${method} ${path} → ${route.name} ${status} (${ms.toFixed(1)} ms)`);
  }

  /**
   * Azure's "run a non-HTTP-triggered function": `POST /admin/functions/{name}` with the master
   * key (`x-functions-key`) and a JSON body `{ "input": "" }` answers 202 Accepted and runs the
   * function in the background. Timers only here; a run waits for one already going, as the
   * timer's singleton lock does.
   */
  private runManually(name: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    if (!this.keyOk(headerOf(req, 'x-functions-key'))) {
      res.writeHead(401).end();
      this.log(`[functions] POST /admin/functions/${name} → 401 (master key required)`);
      return;
    }
    const run = this.manualRuns.get(name.toLowerCase());
    if (!run) {
      res.writeHead(404).end();
      this.log(`[functions] POST /admin/functions/${name} → 404 (no timer function of that name)`);
      return;
    }
    res.writeHead(202).end();
    this.log(`[functions] POST /admin/functions/${name} → 202`);
    void run();
  }

  private keyOk(given: string | undefined | null): boolean {
    const expected = this.options.functionKey;
    if (!expected || !given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private startQueue(name: string, options: StorageQueueFunctionOptions<unknown>): void {
    const connectionString = this.options.settings?.[options.connection];
    if (!connectionString) {
      this.log(`[${name}] queue trigger disabled: app setting "${options.connection}" is not set`);
      return;
    }
    const settings = this.queueSettings;
    const queue = new StorageWorkQueue(queueServiceClient({ connectionString }), options.queueName, { maxDequeueCount: settings.maxDequeueCount });
    const minPoll = this.options.minPollIntervalMs ?? 100;
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    let lastError = '';
    // Like the host: a batch runs in parallel and the next batch is fetched as soon as the
    // number of running invocations drops to newBatchThreshold, so a slow message never
    // stalls the queue and Azurite round trips overlap with handler work.
    const inflight = new Set<Promise<void>>();
    const pause = (ms: number, alsoWakeOn: Promise<void>[] = []): Promise<void> =>
      new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, ms);
        for (const p of alsoWakeOn) void p.then(resolve, resolve);
      }).finally(() => clearTimeout(timer));
    const loop = async (): Promise<void> => {
      let delay = minPoll;
      let ensured = false;
      while (!this.stopping) {
        let received = 0;
        if (inflight.size <= settings.newBatchThreshold) {
          try {
            if (!ensured) {
              await queue.ensure();
              ensured = true;
            }
            // Lease long enough for a slow invocation; failures set their own retry delay.
            const items = await queue.receive({ maxMessages: settings.batchSize, visibilityTimeoutSeconds: 600 });
            received = items.length;
            for (const item of items) {
              const run: Promise<void> = this.invokeQueue(name, options, queue, item)
                .catch((err: unknown) => this.log(`[${name}] could not settle message ${item.id}: ${err instanceof Error ? err.message : String(err)}`))
                .finally(() => inflight.delete(run));
              inflight.add(run);
            }
            lastError = '';
          } catch (err) {
            const text = err instanceof Error ? err.message : String(err);
            if (text !== lastError) this.log(`[${name}] queue poll failed (will keep retrying): ${text}`);
            lastError = text;
          }
        }
        if (this.stopping) break;
        if (received > 0) {
          delay = minPoll;
          if (inflight.size <= settings.newBatchThreshold) continue;
          await pause(settings.maxPollingIntervalMs, [...inflight]);
          continue;
        }
        await pause(delay, [...inflight]);
        delay = Math.min(delay * 2, settings.maxPollingIntervalMs);
      }
      await Promise.all(inflight);
    };
    const running = loop();
    this.stops.push(async () => {
      if (timer) clearTimeout(timer);
      wake?.();
      await running;
    });
  }

  private async invokeQueue(name: string, options: StorageQueueFunctionOptions<unknown>, queue: StorageWorkQueue, item: WorkItem): Promise<void> {
    const context = this.context(
      name,
      { type: 'queueTrigger', queueName: options.queueName, connection: options.connection },
      {
        id: item.id,
        dequeueCount: item.dequeueCount,
        insertionTime: item.insertedOn?.toISOString(),
        expirationTime: item.expiresOn?.toISOString(),
        nextVisibleTime: item.nextVisibleOn?.toISOString(),
        popReceipt: item.popReceipt,
        queueTrigger: typeof item.body === 'string' ? item.body : JSON.stringify(item.body),
      },
    );
    const started = Date.now();
    try {
      await options.handler(item.body, context);
      await queue.complete(item);
      this.log(`[functions] queue ${options.queueName} → ${name} ok (${Date.now() - started} ms, dequeue ${item.dequeueCount})`);
    } catch (err) {
      const outcome = await queue.fail(item, { retryDelaySeconds: Math.ceil(this.queueSettings.visibilityTimeoutMs / 1000) });
      this.log(
        `[functions] queue ${options.queueName} → ${name} failed (dequeue ${item.dequeueCount}/${this.queueSettings.maxDequeueCount}, ${outcome}${outcome === 'poisoned' ? ` to ${queue.poisonName}` : ''}): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private startTimer(name: string, options: TimerFunctionOptions): void {
    const schedule: Schedule = parseSchedule(options.schedule);
    let timer: NodeJS.Timeout | undefined;
    let last: Date | undefined;
    let lastFailure = '';
    let repeats = 0;
    let running: Promise<void> = Promise.resolve();
    const fire = async (due: Date): Promise<void> => {
      const now = new Date();
      const next = nextOccurrence(schedule, now);
      const input: Timer = {
        // The host flags a run that starts well after its due time (e.g. after a long pause).
        isPastDue: now.getTime() - due.getTime() > 1000,
        schedule: { adjustForDST: false },
        scheduleStatus: { last: (last ?? due).toISOString(), next: next.toISOString(), lastUpdated: now.toISOString() },
      };
      last = now;
      const context = this.context(name, { type: 'timerTrigger', schedule: options.schedule });
      try {
        await options.handler(input, context);
        lastFailure = '';
        this.log(`[functions] timer → ${name} ok`);
      } catch (err) {
        // A timer whose service is not built yet fails every tick; say so once, then quietly count.
        const text = err instanceof Error ? err.message : String(err);
        repeats = text === lastFailure ? repeats + 1 : 0;
        lastFailure = text;
        if (repeats === 0 || repeats % 20 === 0) this.log(`[functions] timer → ${name} failed${repeats ? ` (${repeats + 1} times in a row)` : ''}: ${text}`);
      }
    };
    // One run at a time, like the host's singleton lock for timers: the next due time is
    // computed after a run ends, so a slow run skips occurrences instead of overlapping.
    const arm = (): void => {
      if (this.stopping) return;
      const due = nextOccurrence(schedule, new Date());
      const wait = Math.min(due.getTime() - Date.now(), 2 ** 31 - 1);
      timer = setTimeout(() => {
        if (Date.now() < due.getTime() - 5) return arm();
        running = fire(due).then(arm);
      }, Math.max(0, wait));
    };
    this.manualRuns.set(name.toLowerCase(), () => (running = running.then(() => fire(new Date()))));
    if (options.runOnStartup) running = fire(new Date()).then(arm);
    else arm();
    this.stops.push(async () => {
      if (timer) clearTimeout(timer);
      await running;
      if (timer) clearTimeout(timer);
    });
  }
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
