// Chat widget rows, their context-variable definitions and operating hours, cached briefly:
// every chat request needs the widget's allowed origins.
import type { OperatingHours } from '@switchboard/core';
import type { ChatWidgetRow, ContextVariableRow, OperatingHoursRow } from '@switchboard/solution';
import { failedPart, type DataverseClient } from '../dataverse/dataverse-client';
import { isGuid, literal } from '../dataverse/repositories/odata';
import { operatingHoursFromRow } from '../routing/routing-config.mapper';

export interface WidgetRecord {
  row: ChatWidgetRow;
  allowedOrigins: string[];
  contextVariables: ContextVariableRow[];
  hours: OperatingHours | null;
}

export function parseOrigins(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/[\r\n,;\s]+/)
    .map((o) => o.trim().replace(/\/+$/, '').toLowerCase())
    .filter((o) => /^https?:\/\/[^/]+$/.test(o));
}

export class WidgetRepository {
  private readonly cache = new Map<string, { at: number; value: Promise<WidgetRecord | null> }>();
  constructor(
    private readonly client: DataverseClient,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  get(widgetIdOrName: string): Promise<WidgetRecord | null> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(widgetIdOrName);
    if (hit && now - hit.at < (this.options.ttlMs ?? 30_000)) return hit.value;
    const value = this.load(widgetIdOrName);
    value.catch(() => this.cache.delete(widgetIdOrName));
    this.cache.set(widgetIdOrName, { at: now, value });
    return value;
  }

  private async load(widgetIdOrName: string): Promise<WidgetRecord | null> {
    let row: ChatWidgetRow | null = null;
    if (isGuid(widgetIdOrName)) row = (await this.client.retrieveWithETag<ChatWidgetRow>('swb_chatwidgets', widgetIdOrName))?.row ?? null;
    else {
      const found = await this.client.execute((api) => api.retrieveMultiple<ChatWidgetRow>({ collection: 'swb_chatwidgets', filter: `swb_name eq ${literal(widgetIdOrName)}`, top: 2 }));
      // A name shared by two widgets names neither.
      row = found.value.length === 1 ? found.value[0]! : null;
    }
    if (!row) return null;
    const id = row.swb_chatwidgetid;
    // Its context variables and operating hours in one $batch: one request.
    const hoursId = row._swb_operatinghoursid_value;
    const parts = await this.client.readBatch((api) => {
      api.retrieveMultiple({ collection: 'swb_contextvariables', filter: `_swb_chatwidgetid_value eq ${id}` });
      if (hoursId) api.retrieve({ collection: 'swb_operatinghourses', key: hoursId });
    });
    const failedVariables = failedPart(parts[0]);
    if (failedVariables) throw Object.assign(new Error(`Reading the context variables of widget ${id} failed with ${failedVariables.status}.`), failedVariables);
    const variables = (parts[0] as { value: ContextVariableRow[] }).value;
    const failedHours = hoursId ? failedPart(parts[1]) : null;
    if (failedHours && failedHours.status !== 404) throw Object.assign(new Error(`Reading the operating hours of widget ${id} failed with ${failedHours.status}.`), failedHours);
    const hours = hoursId && !failedHours ? (parts[1] as OperatingHoursRow) : null;
    return { row, allowedOrigins: parseOrigins(row.swb_allowedorigins), contextVariables: variables, hours: hours ? operatingHoursFromRow(hours) : null };
  }
}
