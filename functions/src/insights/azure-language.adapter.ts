// Sentiment from Azure AI Language (the SDK's `analyze('SentimentAnalysis', ...)`), for admins
// who switch it on: better at context than a word list, paid per message, and the message text
// leaves the app for the Language resource. The service answers confidence scores per class;
// positive − negative is the [-1, 1] score every provider gives.
import { AzureKeyCredential, TextAnalysisClient, type TextDocumentInput } from '@azure/ai-language-text';
import { scoredSentiment, type SentimentInput, type SentimentProvider, type SentimentScore } from '@switchboard/core';

/** The service's limit for synchronous sentiment analysis: more documents in one request is a 400. */
export const AZURE_SENTIMENT_MAX_DOCUMENTS = 10;

export interface AzureLanguageOptions {
  /** The Language resource's endpoint, `https://<resource>.cognitiveservices.azure.com`. */
  endpoint: string;
  key: string;
  /** Each request, the SDK's retries included. Default 10 s. */
  timeoutMs?: number;
}

/**
 * The language code the service knows: the primary subtag (`fr-CA` → `fr`), except the two
 * languages it lists per script or region (Chinese, Portuguese).
 */
export function azureLanguageCode(tag: string): string {
  const lower = tag.trim().toLowerCase().replace(/_/g, '-');
  const primary = lower.split('-')[0] || 'en';
  if (primary === 'zh') return /-(hant|tw|hk|mo)\b/.test(lower) ? 'zh-hant' : 'zh-hans';
  if (primary === 'pt') return /-br\b/.test(lower) ? 'pt-BR' : 'pt-PT';
  return primary;
}

export class AzureLanguageSentimentAdapter implements SentimentProvider {
  readonly name = 'azure-ai-language';
  private readonly client: TextAnalysisClient;
  private readonly timeoutMs: number;
  private readonly host: string;

  constructor(options: AzureLanguageOptions) {
    const url = new URL(options.endpoint);
    // The key travels in a header: plain http only to this machine (the dev stand-in).
    const loopbackHttp = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    this.client = new TextAnalysisClient(options.endpoint, new AzureKeyCredential(options.key), { allowInsecureConnection: loopbackHttp });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.host = url.host;
  }

  async score(texts: readonly SentimentInput[]): Promise<SentimentScore[]> {
    const out: SentimentScore[] = [];
    // one batch after the other: a message at a time is the usual case, and a burst stays
    // within the resource's requests-per-minute quota
    for (let from = 0; from < texts.length; from += AZURE_SENTIMENT_MAX_DOCUMENTS) {
      out.push(...(await this.batch(texts.slice(from, from + AZURE_SENTIMENT_MAX_DOCUMENTS))));
    }
    return out;
  }

  private async batch(texts: readonly SentimentInput[]): Promise<SentimentScore[]> {
    // The service refuses a batch with duplicate or over-long ids; positions are always valid.
    const documents: TextDocumentInput[] = texts.map((t, i) => ({ id: String(i), text: t.text, language: azureLanguageCode(t.language) }));
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let results;
    try {
      results = await this.client.analyze('SentimentAnalysis', documents, { abortSignal: abort.signal });
    } catch (err) {
      if (abort.signal.aborted) throw new Error(`Azure AI Language (${this.host}) did not answer within ${this.timeoutMs} ms`);
      throw new Error(`Azure AI Language (${this.host}) sentiment analysis failed: ${describe(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
    const byPosition = new Map(results.map((r) => [r.id, r]));
    return texts.map((t, i) => {
      const r = byPosition.get(String(i));
      if (!r) return { id: t.id, error: 'Azure AI Language returned no result for this message' };
      if (r.error) return { id: t.id, error: `${r.error.code}: ${r.error.message}` };
      return scoredSentiment(t.id, r.confidenceScores.positive - r.confidenceScores.negative);
    });
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { statusCode, code } = err as { statusCode?: number; code?: string };
  const status = [statusCode, code && code !== String(statusCode) ? code : undefined].filter((x) => x !== undefined).join(' ');
  return status ? `${status}: ${err.message}` : err.message;
}
