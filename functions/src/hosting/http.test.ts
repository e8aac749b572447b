import { InvocationContext } from '@azure/functions';
import { ConcurrencyConflict } from '../dataverse/errors';
import { mapError } from './http';

test('a row still contended after our retries is a retryable 503 with Retry-After, never a 409 a client would give up on', () => {
  const res = mapError(new ConcurrencyConflict('swb_conversations', 'x', 'W/"1"'), new InvocationContext({ functionName: 'test', logHandler: () => undefined }));
  expect(res.status).toBe(503);
  expect(res.headers).toMatchObject({ 'retry-after': '1' });
  expect(res.jsonBody).toEqual({ error: { code: 'Busy', message: expect.any(String) } });
});
