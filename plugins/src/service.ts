// The webhook service functions mounts at POST /api/dataverse/{step}: parse the execution
// context, check it is one this step is registered for, run the handler, and answer the way
// Dataverse reads answers — 2xx lets the operation go on (a pre-operation `Target` body
// changes the row, see README), a 4xx vetoes a sync step and its error message is what the
// user sees, a 5xx makes the async service retry.
import { parseExecutionContext } from './context/context.parser';
import type { EntityImage, StepContext } from './context/execution-context';
import type { StepDeps } from './ports';
import { stepRegistry } from './registry';
import type { StepDefinition, StepResult } from './step';
import { ok } from './step';
import { isTrusted, refuse } from './steps/caller';

export interface StepWebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const error = (status: number, code: string, message: string): StepWebhookResponse => ({ status, body: { error: { code, message } } });

function matchesTrigger(step: StepDefinition, ctx: StepContext): boolean {
  return step.triggers.some(
    // A step on no table (Associate/Disassociate) does not depend on what Dataverse names as the
    // primary entity for those messages ("none"); the rows are in the InputParameters.
    (t) => t.message === ctx.messageName && (t.table === undefined || t.table === ctx.primaryEntityName) && t.stage === ctx.stage && t.mode === ctx.mode,
  );
}

export interface WebhookOptions {
  /** The request carried `x-ms-dynamics-msg-size-exceeded` (context over 256 KB, trimmed by Dataverse). */
  trimmed?: boolean;
}

/**
 * What a step sees of a trimmed context. Async: the row as it is now stands in for the Target
 * and the post-images (pre-images are gone for good; steps treat the change as unknown-from).
 * Sync: nothing tells us what is being written, so a person's write is refused — the app's own
 * writes are trusted as everywhere else.
 */
async function untrim(step: StepDefinition, ctx: StepContext, deps: StepDeps): Promise<StepContext | StepResult> {
  if (ctx.mode === 'sync') {
    if (isTrusted(ctx, deps)) return ok('trimmed context from the application user: nothing to check');
    return refuse(ctx, deps, 'payload.tooLarge', 'payload.tooLarge');
  }
  if (ctx.messageName === 'Delete' || ctx.messageName === 'Associate' || ctx.messageName === 'Disassociate') return ctx;
  const row = await deps.data.readImage(ctx.primaryEntityName, ctx.primaryEntityId);
  if (!row) return ok('trimmed context and the row no longer exists: nothing to do');
  const postImages: Record<string, EntityImage> = {};
  for (const t of step.triggers) {
    if (t.message !== ctx.messageName || t.stage !== ctx.stage) continue;
    for (const image of t.images ?? []) if (image.type !== 'pre') postImages[image.alias] = row;
  }
  return { ...ctx, target: row, postImages };
}

export async function handleStepWebhook(
  stepName: string,
  body: unknown,
  deps: StepDeps,
  registry: readonly StepDefinition[] = stepRegistry,
  options: WebhookOptions = {},
): Promise<StepWebhookResponse> {
  const step = registry.find((s) => s.name === stepName);
  if (!step) return error(404, 'UnknownStep', `No plugin step is named '${stepName}'.`);
  const parsed = parseExecutionContext(body, { trimmed: options.trimmed === true });
  if (!parsed.ok) return error(400, 'MalformedExecutionContext', `${parsed.error.message} (at ${parsed.error.path})`);
  let ctx = parsed.value;
  if (!matchesTrigger(step, ctx)) {
    // A misregistered step in Dataverse: refuse loudly rather than act on the wrong event.
    return error(400, 'StepNotRegisteredForEvent', `Step '${step.name}' does not handle ${ctx.messageName} of ${ctx.primaryEntityName} at stage ${ctx.stage} (${ctx.mode}).`);
  }
  let result;
  try {
    if (ctx.trimmed) {
      const untrimmed = await untrim(step, ctx, deps);
      if ('kind' in untrimmed) result = untrimmed;
      else ctx = untrimmed;
    }
    result ??= await step.handler(ctx, deps);
  } catch (e) {
    deps.log?.(`step ${step.name} failed on ${ctx.primaryEntityName}(${ctx.primaryEntityId}) correlation ${ctx.correlationId}: ${(e as Error).stack ?? String(e)}`);
    return error(500, 'StepFailed', `Step '${step.name}' could not complete; correlation id ${ctx.correlationId}.`);
  }
  deps.log?.(`step ${step.name} ${ctx.messageName} ${ctx.primaryEntityName}(${ctx.primaryEntityId}): ${result.kind}${'note' in result ? ` — ${result.note}` : ''}`);
  switch (result.kind) {
    case 'ok':
      return { status: 200, body: { result: 'ok', note: result.note } };
    case 'target':
      if (ctx.stage === 40) return error(500, 'StepFailed', `Step '${step.name}' tried to change the Target after the operation.`);
      return { status: 200, body: { result: 'ok', note: result.note, Target: result.attributes } };
    case 'refuse':
      if (ctx.mode !== 'sync') return { status: 200, body: { result: 'refused-async', note: result.message } };
      return error(403, result.code, result.message);
    case 'retry':
      return { status: 503, headers: { 'retry-after': '30' }, body: { error: { code: 'RetryLater', message: result.message } } };
  }
}

/** Anything with a `log` (the Functions InvocationContext is one): step outcomes go to the invocation's log. */
export interface InvocationLog {
  log(...args: unknown[]): void;
}

/**
 * The shape functions' PluginWebhookService expects, so its composition root can plug this in
 * as `pluginWebhooks: (infra) => pluginWebhookService(depsFrom(infra))`.
 */
export function pluginWebhookService(deps: StepDeps, registry: readonly StepDefinition[] = stepRegistry) {
  return {
    handle(step: string, executionContext: unknown, context?: InvocationLog, options: WebhookOptions = {}): Promise<StepWebhookResponse> {
      const log = context ? (line: string) => context.log(line) : deps.log;
      return handleStepWebhook(step, executionContext, log ? { ...deps, log } : deps, registry, options);
    },
  };
}
