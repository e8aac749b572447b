// A local stand-in of Azure AI Language's synchronous text analysis, sentiment only: the REST
// call `@azure/ai-language-text` 1.1.0's `TextAnalysisClient.analyze('SentimentAnalysis', ...)`
// sends (POST {endpoint}/language/:analyze-text?api-version=2023-04-01, key in
// Ocp-Apim-Subscription-Key), answered in the service's shape and with its limits and errors, so
// the SDK and the functions adapter cannot tell. Scores come from the offline lexicon the functions
// app uses by default, so a test's angry message is negative here too.
//
// Reference: learn.microsoft.com/rest/api/language/ "Analyze Text - Analyze Text Submit Job"
// (2023-04-01), "Data and rate limits for the Language service" (10 documents per sentiment
// request, 5,120 characters per document), and the SDK's own mappers (generated/models/mappers).
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { OfflineLexicon } from '@switchboard/core';
import { createOfflineLexicon } from '@switchboard/functions/insights/lexicon-sentiment.adapter';
import { listenOn } from '../listen';

export const ANALYZE_PATH = '/language/:analyze-text';
/** The SDK 1.1.0 sends 2023-04-01; 2022-05-01 is the first GA version of this route. */
export const API_VERSIONS = ['2022-05-01', '2023-04-01'] as const;
/** Dev-only route outside the service's API (the key required). */
export const HOOKS_PREFIX = '/_ai-language';

const MAX_DOCUMENTS = 10;
const MAX_DOCUMENT_CHARS = 5120;
const MAX_BODY_BYTES = 1024 * 1024;
/** The sentiment model's GA version, as the service reports it. */
const MODEL_VERSION = '2022-11-01';
const LANGUAGES = ['en', 'fr'];

export interface AiLanguageStandInOptions {
  /** The resource key clients must send. */
  key: string;
  /** Default: the functions app's offline lexicon (AFINN-165, Pattern French). */
  lexicon?: OfflineLexicon;
  log?: (line: string) => void;
}

export interface AiLanguageStats {
  /** Every request to the analyze route, refused ones included. */
  requests: number;
  /** Requests answered 200. */
  analyzed: number;
  /** Documents scored or answered with a document error in those. */
  documents: number;
  unauthorized: number;
  badRequests: number;
}

export interface AiLanguageStandIn {
  /** `http://127.0.0.1:N` once listening: the endpoint to give the SDK. */
  url: string;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  stats(): AiLanguageStats;
}

interface Answer {
  status: number;
  body: unknown;
}

interface ErrorBody {
  code: string;
  message: string;
  innererror?: { code: string; message: string };
}

const error = (status: number, e: ErrorBody): Answer => ({ status, body: { error: e } });
const invalidRequest = (innerCode: string, innerMessage: string, message = 'Invalid Request.'): Answer =>
  error(400, { code: 'InvalidRequest', message, innererror: { code: innerCode, message: innerMessage } });

type Label = 'positive' | 'neutral' | 'negative';

/**
 * Confidence scores whose positive − negative is the lexicon's score (to the service's two
 * decimals) and whose largest class is the label: neutral wins while |score| ≤ 0.1, the band
 * core calls neutral.
 */
function confidence(score: number): { label: Label; scores: { positive: number; neutral: number; negative: number } } {
  const rest = 1 - Math.abs(score);
  const round = (x: number): number => Math.round(x * 100) / 100;
  const positive = round(Math.max(score, 0) + (8 * rest) / 27);
  const negative = round(Math.max(-score, 0) + (8 * rest) / 27);
  const neutral = round(Math.max(0, 1 - positive - negative));
  const label: Label = score > 0.1 ? 'positive' : score < -0.1 ? 'negative' : 'neutral';
  return { label, scores: { positive, neutral, negative } };
}

export function createAiLanguageStandIn(options: AiLanguageStandInOptions): AiLanguageStandIn {
  if (!options.key) throw new Error('AI Language stand-in: a key is required');
  const lexicon = options.lexicon ?? createOfflineLexicon();
  const log = options.log ?? (() => undefined);
  const counters: AiLanguageStats = { requests: 0, analyzed: 0, documents: 0, unauthorized: 0, badRequests: 0 };

  function analyze(url: URL, raw: string): Answer {
    const version = url.searchParams.get('api-version');
    // Cognitive Services answers an unknown api-version as an unknown route
    if (!version) return error(404, { code: '404', message: 'Resource not found' });
    if (!(API_VERSIONS as readonly string[]).includes(version)) {
      return invalidRequest('InvalidParameterValue', `The api-version '${version}' is not supported by this stand-in (${API_VERSIONS.join(', ')}).`);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return invalidRequest('InvalidRequestBodyFormat', 'Request body must be valid JSON.');
    }
    if (!body || typeof body !== 'object') return invalidRequest('EmptyRequest', 'Request body must be present.');
    const { kind, analysisInput, parameters } = body as { kind?: unknown; analysisInput?: { documents?: unknown }; parameters?: { modelVersion?: unknown } };
    if (kind !== 'SentimentAnalysis') {
      return invalidRequest('InvalidParameterValue', `The stand-in analyzes kind 'SentimentAnalysis' only, not '${String(kind)}'.`);
    }
    const documents = analysisInput?.documents;
    if (!Array.isArray(documents) || documents.length === 0) return invalidRequest('MissingInputDocuments', 'Missing input documents.');
    // the service's own words (recorded 400 of a sentiment request with 11 documents)
    if (documents.length > MAX_DOCUMENTS) {
      return invalidRequest('InvalidDocumentBatch', `Batch request contains too many records. Max ${MAX_DOCUMENTS} records are permitted.`, 'Invalid document in request.');
    }
    const ids = documents.map((d: { id?: unknown }) => d?.id);
    if (ids.some((id) => typeof id !== 'string' || id === '')) {
      return invalidRequest('InvalidDocument', 'Document Id must be a non-empty string.', 'Invalid document in request.');
    }
    if (new Set(ids).size !== ids.length) {
      return invalidRequest('InvalidDocumentBatch', 'Request contains duplicated Ids. Make sure each document has a unique Id.', 'Invalid document in request.');
    }
    const modelVersion = parameters?.modelVersion;
    if (modelVersion !== undefined && modelVersion !== 'latest' && modelVersion !== MODEL_VERSION) {
      return invalidRequest('ModelVersionIncorrect', `Invalid model version. Possible values are: latest,${MODEL_VERSION}.`);
    }

    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const doc of documents as { id: string; text?: unknown; language?: unknown }[]) {
      const documentError = (code: string, message: string, outer = 'Invalid document in request.') =>
        errors.push({ id: doc.id, error: { code: 'InvalidArgument', message: outer, innererror: { code, message } } });
      const text = typeof doc.text === 'string' ? doc.text : '';
      const language = typeof doc.language === 'string' && doc.language !== '' ? doc.language : 'en';
      if (!text.trim()) {
        documentError('InvalidDocument', 'Document text is empty.');
        continue;
      }
      if ([...text].length > MAX_DOCUMENT_CHARS) {
        documentError(
          'InvalidDocument',
          `A document within the request was too large to be processed. Limit document size to: ${MAX_DOCUMENT_CHARS} text elements. For additional details on the data limitations see https://aka.ms/text-analytics-data-limits`,
        );
        continue;
      }
      if (!LANGUAGES.includes(language.toLowerCase())) {
        documentError('UnsupportedLanguageCode', `Invalid language code '${language}'. The stand-in scores: ${LANGUAGES.join(', ')}.`, 'Invalid Language Code.');
        continue;
      }
      const analysis = lexicon.analyse(text, language);
      const sentences = analysis.sentences.map((s) => {
        const c = confidence(s.score);
        return { sentiment: c.label, confidenceScores: c.scores, offset: s.offset, length: s.length, text: s.text };
      });
      const whole = confidence(analysis.score);
      const mixed = sentences.some((s) => s.sentiment === 'positive') && sentences.some((s) => s.sentiment === 'negative');
      results.push({ id: doc.id, sentiment: mixed ? 'mixed' : whole.label, confidenceScores: whole.scores, sentences, warnings: [] });
    }
    counters.analyzed++;
    counters.documents += documents.length;
    return { status: 200, body: { kind: 'SentimentAnalysisResults', results: { documents: results, errors, modelVersion: MODEL_VERSION } } };
  }

  function route(req: IncomingMessage, raw: string): Answer {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const authorized = req.headers['ocp-apim-subscription-key'] === options.key;
    if (url.pathname === `${HOOKS_PREFIX}/stats` && req.method === 'GET') {
      return authorized ? { status: 200, body: { ...counters } } : error(401, { code: '401', message: 'Access denied: send the stand-in key.' });
    }
    if (url.pathname !== ANALYZE_PATH || req.method !== 'POST') return error(404, { code: '404', message: 'Resource not found' });
    counters.requests++;
    // the gateway checks the key before anything else, in these words
    if (!authorized) {
      counters.unauthorized++;
      return error(401, {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      });
    }
    const answer = analyze(url, raw);
    if (answer.status === 400) counters.badRequests++;
    return answer;
  }

  function send(res: ServerResponse, answer: Answer): void {
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'apim-request-id': randomUUID() });
    res.end(JSON.stringify(answer.body));
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return send(res, error(413, { code: 'RequestEntityTooLarge', message: 'Request body too large.' }));
      try {
        send(res, route(req, Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        log(`internal error on ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
        send(res, error(500, { code: 'InternalServerError', message: 'Internal error in the AI Language stand-in.' }));
      }
    });
  });

  let origin = '';
  return {
    get url() {
      return origin;
    },
    async listen(port = 0, host = '127.0.0.1') {
      const listening = await listenOn(server, port, host);
      origin = listening.origin;
      return { port: listening.port, url: origin };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    stats: () => ({ ...counters }),
  };
}
