// The stand-in driven by the real SDK client, as the functions app drives the service.
import { AzureKeyCredential, TextAnalysisClient, type SentimentAnalysisResult } from '@azure/ai-language-text';
import { createAiLanguageStandIn, type AiLanguageStandIn } from './stand-in';

const KEY = 'stand-in-test-key';
let standIn: AiLanguageStandIn;
let client: TextAnalysisClient;

beforeAll(async () => {
  standIn = createAiLanguageStandIn({ key: KEY });
  await standIn.listen();
  client = new TextAnalysisClient(standIn.url, new AzureKeyCredential(KEY), { allowInsecureConnection: true });
});
afterAll(() => standIn.close());

function success(r: SentimentAnalysisResult | undefined) {
  if (!r || r.error) throw new Error(`expected a scored document, got ${JSON.stringify(r)}`);
  return r;
}

test('English and French messages come back labelled, with confidence scores and sentences, in the input order', async () => {
  const results = await client.analyze('SentimentAnalysis', [
    { id: 'angry', language: 'en', text: 'This is ridiculous. I have been waiting three weeks for my refund!!' },
    { id: 'polite', language: 'en', text: 'Thank you so much, that was really helpful!' },
    { id: 'fâché', language: 'fr', text: "C'est une arnaque, j'en ai marre." },
    { id: 'merci', language: 'fr', text: "Merci beaucoup, c'était vraiment très utile !" },
    { id: 'question', language: 'en', text: 'What are your opening hours on Saturday?' },
  ]);
  expect(results.map((r) => [r.id, success(r).sentiment])).toEqual([
    ['angry', 'negative'],
    ['polite', 'positive'],
    ['fâché', 'negative'],
    ['merci', 'positive'],
    ['question', 'neutral'],
  ]);
  for (const r of results.map(success)) {
    const { positive, neutral, negative } = r.confidenceScores;
    expect(positive + neutral + negative).toBeCloseTo(1, 1);
    expect(r.sentences.length).toBeGreaterThan(0);
    for (const s of r.sentences) expect(s.opinions).toEqual([]);
  }
  const angry = success(results[0]);
  expect(angry.confidenceScores.negative).toBeGreaterThan(angry.confidenceScores.positive);
  expect(angry.sentences.map((s) => [s.text, s.offset, s.length])).toEqual([
    ['This is ridiculous.', 0, 19],
    ['I have been waiting three weeks for my refund!!', 20, 47],
  ]);
});

test('a message with a positive and a negative sentence is "mixed"', async () => {
  const [r] = await client.analyze('SentimentAnalysis', ['The agent was lovely. The product is terrible.'], 'en');
  expect(success(r).sentiment).toBe('mixed');
  expect(success(r).sentences.map((s) => s.sentiment)).toEqual(['positive', 'negative']);
});

test('a document the service cannot score is an error of its own; the others are scored', async () => {
  const results = await client.analyze('SentimentAnalysis', [
    { id: '1', language: 'en', text: '' },
    { id: '2', language: 'en', text: 'Great, thanks!' },
    { id: '3', language: 'en', text: 'x'.repeat(5121) },
    { id: '4', language: 'xx', text: 'Hello' },
  ]);
  expect(results.map((r) => r.error?.code ?? 'ok')).toEqual(['InvalidDocument', 'ok', 'InvalidDocument', 'UnsupportedLanguageCode']);
  // the SDK reports the innermost error, as the service nests it
  expect(results[0]!.error?.message).toBe('Document text is empty.');
});

test('a wrong key is refused with the SDK\'s 401 error, before anything is analysed', async () => {
  const before = standIn.stats();
  const wrong = new TextAnalysisClient(standIn.url, new AzureKeyCredential('not-the-key'), { allowInsecureConnection: true });
  await expect(wrong.analyze('SentimentAnalysis', ['Hello'])).rejects.toMatchObject({
    name: 'RestError',
    statusCode: 401,
    message: expect.stringMatching(/^Access denied due to invalid subscription key or wrong API endpoint/),
  });
  expect(standIn.stats()).toMatchObject({ unauthorized: before.unauthorized + 1, analyzed: before.analyzed });
});

test('eleven documents in one request are refused as the service does: 400 InvalidDocumentBatch', async () => {
  const docs = Array.from({ length: 11 }, (_, i) => `Message ${i}`);
  await expect(client.analyze('SentimentAnalysis', docs, 'en')).rejects.toMatchObject({
    statusCode: 400,
    code: 'InvalidDocumentBatch',
    message: 'Invalid document in request. Batch request contains too many records. Max 10 records are permitted.',
  });
  expect((await client.analyze('SentimentAnalysis', docs.slice(0, 10), 'en')).every((r) => !r.error)).toBe(true);
});

test('the stand-in counts its calls, so a test can tell that none was made', async () => {
  const fresh = createAiLanguageStandIn({ key: KEY });
  await fresh.listen();
  try {
    expect(fresh.stats()).toEqual({ requests: 0, analyzed: 0, documents: 0, unauthorized: 0, badRequests: 0 });
    const c = new TextAnalysisClient(fresh.url, new AzureKeyCredential(KEY), { allowInsecureConnection: true });
    await c.analyze('SentimentAnalysis', ['one', 'two'], 'en');
    expect(fresh.stats()).toEqual({ requests: 1, analyzed: 1, documents: 2, unauthorized: 0, badRequests: 0 });
    const hook = await fetch(`${fresh.url}/_ai-language/stats`, { headers: { 'Ocp-Apim-Subscription-Key': KEY } });
    expect(await hook.json()).toMatchObject({ requests: 1 });
  } finally {
    await fresh.close();
  }
});

test('requests outside sentiment analysis are refused in the service\'s error shape', async () => {
  const post = (path: string, body: unknown, key = KEY) =>
    fetch(`${standIn.url}${path}`, { method: 'POST', headers: { 'Ocp-Apim-Subscription-Key': key, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const input = { analysisInput: { documents: [{ id: '1', text: 'hi', language: 'en' }] } };
  const other = await post('/language/:analyze-text?api-version=2023-04-01', { kind: 'KeyPhraseExtraction', ...input });
  expect(other.status).toBe(400);
  expect(await other.json()).toMatchObject({ error: { code: 'InvalidRequest', innererror: { code: 'InvalidParameterValue' } } });
  const noVersion = await post('/language/:analyze-text', { kind: 'SentimentAnalysis', ...input });
  expect(noVersion.status).toBe(404);
  const dup = await post('/language/:analyze-text?api-version=2023-04-01', {
    kind: 'SentimentAnalysis',
    analysisInput: { documents: [{ id: '1', text: 'a' }, { id: '1', text: 'b' }] },
  });
  expect(await dup.json()).toMatchObject({ error: { innererror: { code: 'InvalidDocumentBatch', message: expect.stringMatching(/duplicated Ids/) } } });
});
