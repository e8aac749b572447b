// Phone columns are stored in E.164 so identification (which compares E.164) matches however
// an admin or agent typed the number. Runs pre-operation, sync: the normalised value is written
// in the same transaction, so no second update, no second audit entry, no re-trigger.
//
// An invalid number is kept exactly as typed, not refused: phone columns also hold extensions,
// internal switchboard numbers and half-known numbers, and a contact form that refuses to save
// over one column would lose the rest of the admin's work. Such a number simply never matches
// an SMS sender, which is the same outcome as today.
import { normalizePhoneNumber } from '@switchboard/core';
import { model } from '@switchboard/solution';
import { textValue } from '../context/execution-context';
import type { StepDefinition } from '../step';
import { ok } from '../step';

// The phone-format columns the data model declares: a phone column added to the model is
// normalised (and its step filter updated) without touching this file.
export const PHONE_COLUMNS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  ['contact', 'account'].map((table) => [
    table,
    (model.tables.find((t) => t.logicalName === table)?.columns ?? []).filter((c) => c.format === 'phone').map((c) => c.logicalName),
  ]),
);

export const phoneNormaliseStep: StepDefinition = {
  name: 'phone-normalise',
  description: 'Normalises contact and account phone numbers to E.164 before they are saved.',
  triggers: (['contact', 'account'] as const).flatMap((table) =>
    (['Create', 'Update'] as const).map((message) => ({
      message,
      table,
      stage: 20 as const,
      mode: 'sync' as const,
      rank: 1,
      ...(message === 'Update' ? { filteringAttributes: [...PHONE_COLUMNS[table]!] } : {}),
      description: `${table} ${message}: store phone numbers in E.164`,
    })),
  ),
  async handler(ctx, deps) {
    const columns = PHONE_COLUMNS[ctx.primaryEntityName];
    if (!columns || !ctx.target) return ok(`no phone columns on ${ctx.primaryEntityName}`);
    const changed: Record<string, string> = {};
    const kept: string[] = [];
    for (const column of columns) {
      const typed = textValue(ctx.target.attributes[column]);
      if (!typed) continue;
      const normalised = normalizePhoneNumber(typed, { defaultRegion: deps.config.defaultRegion });
      if (!normalised.ok) {
        kept.push(`${column}: ${normalised.error.code}`);
        continue;
      }
      if (normalised.value !== typed) changed[column] = normalised.value;
    }
    const keptNote = kept.length ? `; kept as typed: ${kept.join(', ')}` : '';
    if (Object.keys(changed).length === 0) return ok(`nothing to normalise${keptNote}`);
    return { kind: 'target', attributes: changed, note: `normalised ${Object.keys(changed).join(', ')}${keptNote}` };
  },
};
