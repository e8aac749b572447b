// Labels for the FormattedValue annotation of choice columns. The runtime metadata carries option
// values only, so labels come from the model declarations (DataModel) when the caller has them.
import type { DataModel } from '@switchboard/solution';

/** table → column → option value → label */
export type ChoiceLabels = Record<string, Record<string, Record<number, string>>>;

export function choiceLabelsFromModel(model: DataModel, lcid: 1033 | 1036 = 1033): ChoiceLabels {
  const choices = new Map(model.choices.map((c) => [c.name, c]));
  const out: ChoiceLabels = {};
  for (const t of model.tables) {
    for (const col of t.columns) {
      const choice = col.choice ? choices.get(col.choice) : undefined;
      if (!choice) continue;
      (out[t.logicalName] ??= {})[col.logicalName] = Object.fromEntries(choice.options.map((o) => [o.value, o.label[lcid]]));
    }
  }
  return out;
}

const STATE_DEFAULTS: Record<number, string> = { 0: 'Active', 1: 'Inactive' };

export function formatChoice(labels: ChoiceLabels | undefined, table: string, column: string, value: number): string | undefined {
  return labels?.[table]?.[column]?.[value] ?? (column === 'statecode' ? STATE_DEFAULTS[value] : undefined);
}
