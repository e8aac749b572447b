import { clientIp } from './client-ip';

const req = (xff?: string): { headers: Record<string, string> } => ({ headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });

test('behind one trusted proxy the client is the entry that proxy appended, whatever the client wrote before it', () => {
  expect(clientIp(req('203.0.113.9:51234'), 1)).toBe('203.0.113.9');
  expect(clientIp(req('10.0.0.1, 10.0.0.2, 203.0.113.9'), 1)).toBe('203.0.113.9');
  // A client rotating a forged entry on each request still lands in its own one bucket.
  expect(new Set(['1.1.1.1', '2.2.2.2', '3.3.3.3'].map((f) => clientIp(req(`${f}, 203.0.113.9`), 1)))).toEqual(new Set(['203.0.113.9']));
});

test('behind a CDN and the front end the client is the second entry from the end', () => {
  expect(clientIp(req('6.6.6.6, 198.51.100.4, 10.1.2.3'), 2)).toBe('198.51.100.4');
});

test('a request that came through fewer proxies than configured shares one untrusted bucket', () => {
  expect(clientIp(req(), 1)).toBe('untrusted-path');
  expect(clientIp(req('198.51.100.4'), 2)).toBe('untrusted-path');
});

test('IPv6 addresses lose only their port', () => {
  expect(clientIp(req('[2001:db8::7]:443'), 1)).toBe('2001:db8::7');
  expect(clientIp(req('2001:db8::7'), 1)).toBe('2001:db8::7');
});
