// Who is calling a validation step, and how a refusal reads. The application user (routing,
// delivery, the chat API) is trusted: the rules below are about people writing rows with their
// own token. A refusal is shown to that person in their Dataverse language.
import type { StepContext } from '../context/execution-context';
import type { StepDeps } from '../ports';
import { type MessageKey, localize } from '../resources/resources';
import type { StepResult } from '../step';

export function isTrusted(ctx: StepContext, deps: StepDeps): boolean {
  return deps.config.trustedUserIds.some((u) => u.toLowerCase() === ctx.initiatingUserId);
}

export async function refuse(ctx: StepContext, deps: StepDeps, code: string, key: MessageKey, args: Record<string, string> = {}): Promise<StepResult> {
  let lcid: number | undefined;
  try {
    lcid = await deps.data.getUserLanguage(ctx.initiatingUserId);
  } catch {
    lcid = undefined; // the refusal matters more than its language
  }
  return { kind: 'refuse', code, message: localize(key, lcid, deps.config.defaultLanguage, args) };
}

/** Columns Dataverse adds to a Target itself (and the row's own id): never the caller's choice. */
const PLATFORM_COLUMNS = new Set(['modifiedon', 'modifiedby', 'modifiedonbehalfby', 'createdon', 'createdby', 'createdonbehalfby', 'versionnumber']);

/** The columns the caller actually sent in this write. */
export function sentColumns(ctx: StepContext, primaryId: string): string[] {
  return Object.keys(ctx.target?.attributes ?? {}).filter((c) => c !== primaryId && !PLATFORM_COLUMNS.has(c));
}
