import type { ApiRequest } from '../hosting/http';
import { corsHeaders, preflightAnswer } from './chat-cors.policy';
import { ChatError } from './chat-error';
import type { WidgetRecord } from './widget.repository';

const widget = { allowedOrigins: ['https://shop.example'] } as unknown as WidgetRecord;
const request = (origin?: string): ApiRequest => ({ method: 'GET', url: 'https://x/api', params: {}, query: new URLSearchParams(), headers: origin ? { origin } : {}, body: undefined });

test('an allowed origin (any case, trailing slash) is echoed back; a call without Origin is not a browser and gets no allow header', () => {
  expect(corsHeaders(widget, request('https://SHOP.example/'))).toEqual({ 'access-control-allow-origin': 'https://SHOP.example/', vary: 'Origin' });
  expect(corsHeaders(widget, request())).toEqual({ vary: 'Origin' });
});

test('another origin is refused with 403 origin_not_allowed, for answers and preflights alike', () => {
  expect(() => corsHeaders(widget, request('https://evil.example'))).toThrow(ChatError);
  try {
    corsHeaders(widget, request('https://evil.example'));
  } catch (e) {
    expect(e).toMatchObject({ status: 403, code: 'origin_not_allowed', headers: { vary: 'Origin' } });
  }
  expect(preflightAnswer(widget, request('https://evil.example'))).toMatchObject({ status: 403, headers: { vary: 'Origin' }, body: { error: { code: 'origin_not_allowed' } } });
  expect(preflightAnswer(null, request('https://shop.example')).status).toBe(403);
  expect(preflightAnswer(widget, request()).status).toBe(403);
});

test('a preflight from an allowed origin allows the chat methods and headers for ten minutes', () => {
  expect(preflightAnswer(widget, request('https://shop.example'))).toEqual({
    status: 204,
    headers: {
      'access-control-allow-origin': 'https://shop.example',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': '600',
      vary: 'Origin',
    },
  });
});
