// Phone columns are stored in E.164 so identification (which compares E.164) matches however
// an admin or agent typed the number.
//
// Two registrations, one rule. Pre-operation, sync: the handler answers with the normalised
// columns as a new Target — the emulator applies it inside the write (its documented
// convention), so the row is saved normalised in one transaction. Real Dataverse ignores a
// webhook's answer body, so a post-operation async registration writes the normalised value
// back when the saved row still holds what was typed: guarded by If-Match on the row just
// read, so a newer edit is never overwritten. Where the pre-operation step already did the
// work, the post-operation one finds nothing to change and writes nothing; its own write-back
// re-triggers both, which then find the row normalised and stop.
//
// An invalid number is kept exactly as typed, not refused: phone columns also hold extensions,
// internal numbers and half-known numbers, and a contact form that refuses to save over one
// column would lose the rest of the admin's work. Such a number simply never matches an SMS
// sender, which is what would happen anyway.
import { normalizePhoneNumber } from '@switchboard/core';
import { model } from '@switchboard/solution';
import type { StepContext } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult, StepTrigger } from '../step';
import { ok } from '../step';

// The phone-format columns the data model declares: a phone column added to the model is
// normalised (and its step filter updated) without touching this file.
export const PHONE_COLUMNS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  ['contact', 'account'].map((table) => [
    table,
    (model.tables.find((t) => t.logicalName === table)?.columns ?? []).filter((c) => c.format === 'phone').map((c) => c.logicalName),
  ]),
);

interface Normalised {
  changed: Record<string, { typed: string; e164: string }>;
  kept: string[];
}

export function normalisePhones(values: Readonly<Record<string, unknown>>, columns: readonly string[], defaultRegion: string): Normalised {
  const changed: Normalised['changed'] = {};
  const kept: string[] = [];
  for (const column of columns) {
    const value = values[column];
    const typed = typeof value === 'string' ? value : null;
    if (!typed) continue;
    const normalised = normalizePhoneNumber(typed, { defaultRegion });
    if (!normalised.ok) kept.push(`${column}: ${normalised.error.code}`);
    else if (normalised.value !== typed) changed[column] = { typed, e164: normalised.value };
  }
  return { changed, kept };
}

async function writeBack(ctx: StepContext, deps: StepDeps, columns: readonly string[], found: Normalised): Promise<StepResult> {
  const names = Object.keys(found.changed);
  const current = await deps.data.getRow(ctx.primaryEntityName, ctx.primaryEntityId, names);
  if (!current) return ok('row no longer exists');
  const patch: Record<string, string> = {};
  for (const [column, { typed, e164 }] of Object.entries(found.changed)) {
    // Someone changed it since: their value wins (and its own step run will normalise it).
    if (current.row[column] === typed) patch[column] = e164;
  }
  if (Object.keys(patch).length === 0) return ok('changed since the save: left alone');
  const written = await deps.data.updateRow(ctx.primaryEntityName, ctx.primaryEntityId, patch, current.etag);
  if (written === 'conflict') return ok('row changed while writing back: its next save is normalised instead');
  return ok(`wrote back ${Object.keys(patch).join(', ')} of ${columns.length} phone columns`);
}

const triggers: StepTrigger[] = (['contact', 'account'] as const).flatMap((table) =>
  (['Create', 'Update'] as const).flatMap((message) =>
    ([[20, 'sync'], [40, 'async']] as const).map(([stage, mode]) => ({
      message,
      table,
      stage,
      mode,
      rank: 1,
      ...(message === 'Update' ? { filteringAttributes: [...PHONE_COLUMNS[table]!] } : {}),
      description: `${table} ${message}: store phone numbers in E.164 (${stage === 20 ? 'before the write' : 'write-back where Dataverse ignored the Target'})`,
    })),
  ),
);

export const phoneNormaliseStep: StepDefinition = {
  name: 'phone-normalise',
  description: 'Normalises contact and account phone numbers to E.164 when they are saved.',
  triggers,
  async handler(ctx, deps) {
    const columns = PHONE_COLUMNS[ctx.primaryEntityName];
    if (!columns || !ctx.target) return ok(`no phone columns on ${ctx.primaryEntityName}`);
    const found = normalisePhones(ctx.target.attributes, columns, deps.config.defaultRegion);
    const keptNote = found.kept.length ? `; kept as typed: ${found.kept.join(', ')}` : '';
    if (Object.keys(found.changed).length === 0) return ok(`nothing to normalise${keptNote}`);
    if (ctx.stage === 40) return writeBack(ctx, deps, columns, found);
    const attributes = Object.fromEntries(Object.entries(found.changed).map(([c, v]) => [c, v.e164]));
    return { kind: 'target', attributes, note: `normalised ${Object.keys(attributes).join(', ')}${keptNote}` };
  },
};
