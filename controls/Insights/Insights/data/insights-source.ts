// Every read of the insights control, over context.webAPI only, so the signed-in user's roles
// decide: supervisors and administrators read the buckets; anyone else gets Dataverse's refusal,
// which the control turns into a sentence. Nothing is written.
//
// A view costs ⌈buckets / 5,000⌉ requests (24 months × queues × channels × agents at month
// grain is a few hundred rows: one request) plus one for how far the fold has got. The
// per-conversation export reads ⌈conversations / 5,000⌉ more, only when asked for.
import { bucketOf, type BucketRow } from '../logic/aggregate';
import { conversationLineOf, type ConversationLine } from '../logic/csv';
import { bucketQuery, conversationQuery, type InsightFilters } from '../logic/query';
import type { Range } from '../logic/range';

type WebApi = ComponentFramework.WebApi;

export const PAGE_SIZE = 5000;

export interface BucketsResult {
  rows: BucketRow[];
  /** Buckets whose measures could not be read (left out of every figure). */
  unreadable: number;
  requests: number;
}

/** Dataverse said this user may not read it (no Supervisor or Administrator role). */
export class InsightsForbidden extends Error {}

export function isForbidden(e: unknown): boolean {
  const status = (e as { status?: number } | null)?.status;
  const code = (e as { errorCode?: number } | null)?.errorCode;
  // 0x80040220: Dataverse's "principal user is missing privilege".
  return status === 401 || status === 403 || code === 0x80040220;
}

export class InsightsSource {
  constructor(private readonly api: WebApi) {}

  private async all(table: string, query: string, onPage: (entities: ComponentFramework.WebApi.Entity[]) => void): Promise<number> {
    let requests = 0;
    let options: string | undefined = query;
    while (options !== undefined) {
      requests++;
      let page: ComponentFramework.WebApi.RetrieveMultipleResponse;
      try {
        page = await this.api.retrieveMultipleRecords(table, options, PAGE_SIZE);
      } catch (e) {
        if (isForbidden(e)) throw new InsightsForbidden((e as Error).message);
        throw e;
      }
      onPage(page.entities);
      options = page.nextLink ? `?${page.nextLink.split('?')[1]}` : undefined;
    }
    return requests;
  }

  async buckets(range: Pick<Range, 'from' | 'to' | 'grain'>, filters: InsightFilters): Promise<BucketsResult> {
    const rows: BucketRow[] = [];
    let unreadable = 0;
    const requests = await this.all('swb_insightbucket', bucketQuery(range, filters), (entities) => {
      for (const e of entities) {
        const row = bucketOf(e);
        if (row) rows.push(row);
        else unreadable++;
      }
    });
    return { rows, unreadable, requests };
  }

  /** How far the fold has got (conversations modified up to then are in the buckets); null before its first run. */
  async foldedThrough(): Promise<number | null> {
    try {
      const page = await this.api.retrieveMultipleRecords('swb_insightsync', '?$select=swb_foldedthrough&$orderby=swb_foldedthrough desc&$top=1');
      const at = Date.parse(String(page.entities[0]?.['swb_foldedthrough'] ?? ''));
      return Number.isFinite(at) ? at : null;
    } catch (e) {
      if (isForbidden(e)) throw new InsightsForbidden((e as Error).message);
      // The figures still show; only the freshness note is missing.
      return null;
    }
  }

  async conversations(range: Pick<Range, 'from' | 'to'>, filters: InsightFilters): Promise<ConversationLine[]> {
    const lines: ConversationLine[] = [];
    await this.all('swb_conversation', conversationQuery(range, filters), (entities) => lines.push(...entities.map(conversationLineOf)));
    return lines;
  }
}
