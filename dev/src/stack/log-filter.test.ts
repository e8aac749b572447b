import { isRoutine } from './log-filter';

test('the widget polling, preflights, the sweeper and the wiring probe are left out of npm start; their failures are not', () => {
  expect(isRoutine('[functions] GET /api/chat/conversations/5eed-1/messages → chat-messages 200 (4.1 ms)')).toBe(true);
  expect(isRoutine('[functions] OPTIONS /api/chat/conversations/5eed-1/messages → chat-messages 204 (1.0 ms)')).toBe(true);
  expect(isRoutine('[functions] timer → nightly-cleanup ok')).toBe(true);
  expect(isRoutine('[functions] POST /api/dataverse/wiring-probe → dataverse-webhook 404 (2.0 ms)')).toBe(true);
  expect(isRoutine('[functions] GET /api/chat/conversations/5eed-1/messages → chat-messages 401 (4.1 ms)')).toBe(false);
  expect(isRoutine('[functions] POST /api/dataverse/phone-normalise → dataverse-webhook 400 (2.0 ms)')).toBe(false);
  expect(isRoutine('[functions] POST /api/chat/conversations/5eed-1/messages → chat-messages 201 (9.0 ms)')).toBe(false);
});
