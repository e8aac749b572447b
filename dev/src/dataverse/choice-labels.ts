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

// Dataverse's own labels for the state and status columns every table gets: the defaults of a
// custom table, of an activity table (activitypointer), and of incident.
// https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/activitypointer
type StateLabels = { statecode: Record<number, string>; statuscode: Record<number, string> };
const TABLE_STATES: StateLabels = { statecode: { 0: 'Active', 1: 'Inactive' }, statuscode: { 1: 'Active', 2: 'Inactive' } };
const ACTIVITY_STATES: StateLabels = {
  statecode: { 0: 'Open', 1: 'Completed', 2: 'Canceled', 3: 'Scheduled' },
  statuscode: { 1: 'Open', 2: 'Completed', 3: 'Canceled', 4: 'Scheduled' },
};
const INCIDENT_STATES: StateLabels = {
  statecode: { 0: 'Active', 1: 'Resolved', 2: 'Cancelled' },
  statuscode: { 1: 'In Progress', 2: 'On Hold', 3: 'Waiting for Details', 4: 'Researching', 5: 'Problem Solved', 6: 'Cancelled', 1000: 'Information Provided', 2000: 'Merged' },
};

export function formatChoice(labels: ChoiceLabels | undefined, table: { logicalName: string; isActivity: boolean }, column: string, value: number): string | undefined {
  const declared = labels?.[table.logicalName]?.[column]?.[value];
  if (declared !== undefined) return declared;
  if (column !== 'statecode' && column !== 'statuscode') return undefined;
  const states = table.logicalName === 'incident' ? INCIDENT_STATES : table.isActivity ? ACTIVITY_STATES : TABLE_STATES;
  return states[column][value];
}
