import { compareRoutes, compileRoute, matchRoute } from './route-template';

test('route parameters are captured and URL-decoded, literals compare case-insensitively', () => {
  const r = compileRoute('sms/twilio/{channelId}/status');
  expect(matchRoute(r, '/SMS/Twilio/ab%20c/status')).toEqual({ channelId: 'ab c' });
  expect(matchRoute(r, 'sms/twilio/abc')).toBeNull();
  expect(matchRoute(r, 'sms/twilio/abc/status/extra')).toBeNull();
  expect(matchRoute(r, 'sms/twilio/abc/status/')).toEqual({ channelId: 'abc' });
});

test('constraints, optional parameters and catch-alls behave like Azure routing', () => {
  expect(matchRoute(compileRoute('items/{id:int}'), 'items/12')).toEqual({ id: '12' });
  expect(matchRoute(compileRoute('items/{id:int}'), 'items/x')).toBeNull();
  expect(matchRoute(compileRoute('items/{id:guid}'), 'items/0f8fad5b-d9cb-469f-a165-70867728950e')).not.toBeNull();
  expect(matchRoute(compileRoute('items/{id?}'), 'items')).toEqual({});
  expect(matchRoute(compileRoute('files/{*path}'), 'files/a/b%2Fc')).toEqual({ path: 'a/b/c' });
  expect(() => compileRoute('x/{id:nope}')).toThrow(/unknown constraint/);
  expect(() => compileRoute('x/{*rest}/y')).toThrow(/catch-all/);
});

test('a literal segment wins over a parameter where two templates both match', () => {
  const routes = ['sms/{channelId}/validate', 'sms/twilio/{channelId}', 'sms/{a}/{b}'].map(compileRoute).sort(compareRoutes);
  const first = (path: string) => routes.find((r) => matchRoute(r, path))?.template;
  expect(first('sms/twilio/validate')).toBe('sms/twilio/{channelId}');
  expect(first('sms/abc/validate')).toBe('sms/{channelId}/validate');
  expect(first('sms/abc/other')).toBe('sms/{a}/{b}');
});
