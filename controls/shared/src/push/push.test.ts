import { InMemoryWebApi } from '../testing';
import { agentPush, pollIntervalMs, type PushHost } from './agent-push';
import { PushTicketUnanswered, TICKET_READ_DELAYS_MS, requestPushAddress } from './push-ticket';

const noSleep = { sleep: async () => {} };

describe('asking for a push address', () => {
  test('the answered ticket gives its address and is deleted: the address does not stay on a row', async () => {
    const api = new InMemoryWebApi();
    let reads = 0;
    api.beforeCreate.set('swb_pushticket', (row) => row);
    const retrieve = api.retrieveRecord.bind(api);
    api.retrieveRecord = async (table, id, options) => {
      // The step answers after the second look, as an async job does.
      if (++reads === 2) api.put('swb_pushticket', { ...api.row('swb_pushticket', id), swb_url: 'wss://x.webpubsub.azure.com/client/hubs/switchboard?access_token=t' });
      return retrieve(table, id, options);
    };
    await expect(requestPushAddress({ api, ...noSleep })).resolves.toBe('wss://x.webpubsub.azure.com/client/hubs/switchboard?access_token=t');
    expect(api.rows('swb_pushticket')).toEqual([]);
    expect(api.calls.map((c) => c.op)).toEqual(['create', 'retrieve', 'retrieve', 'delete']);
  });

  test('"push-not-configured" means no push here (null), another error is a failure', async () => {
    const api = new InMemoryWebApi();
    await expect(requestPushAddress({ api, ...noSleep })).resolves.toBeNull();
    api.beforeCreate.set('swb_pushticket', (row) => ({ ...row, swb_error: 'not-the-owner' }));
    await expect(requestPushAddress({ api, ...noSleep })).rejects.toThrow('not-the-owner');
    expect(api.rows('swb_pushticket')).toEqual([]);
  });

  test('a ticket nobody answers is given up after the last wait, deleted, and reported as unanswered', async () => {
    const api = new InMemoryWebApi();
    api.beforeCreate.set('swb_pushticket', (row) => row);
    const waits: number[] = [];
    await expect(requestPushAddress({ api, sleep: async (ms) => void waits.push(ms) })).rejects.toBeInstanceOf(PushTicketUnanswered);
    expect(waits).toEqual([...TICKET_READ_DELAYS_MS]);
    expect(api.rows('swb_pushticket')).toEqual([]);
  });
});

describe('the shared connection', () => {
  class FakeSocket {
    static opened: string[] = [];
    readyState = 0;
    onopen = null;
    onmessage = null;
    onclose = null;
    onerror = null;
    constructor(url: string) {
      FakeSocket.opened.push(url);
    }
    send() {}
    close() {}
  }
  const host = (): PushHost => ({ WebSocket: FakeSocket, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) });

  test('every control of one user on a page shares one connection; another user gets their own; no WebSocket, no push', async () => {
    const page = host();
    let negotiations = 0;
    const negotiate = async () => {
      negotiations++;
      return 'ws://push.test/client/hubs/switchboard?access_token=t';
    };
    const inbox = agentPush(page, 'AAAAAAAA-0000-4000-8000-000000000001', negotiate);
    const pane = agentPush(page, 'aaaaaaaa-0000-4000-8000-000000000001', negotiate);
    const other = agentPush(page, 'bbbbbbbb-0000-4000-8000-000000000001', negotiate);
    expect(pane).toBe(inbox);
    expect(other).not.toBe(inbox);
    await new Promise((r) => setTimeout(r, 0));
    expect(negotiations).toBe(2);
    expect(agentPush({ setTimeout, clearTimeout: () => {} } as unknown as PushHost, 'x', negotiate)).toBeUndefined();
  });

  test('controls poll every ten minutes while connected, every minute at least while down, as configured without push', () => {
    expect(pollIntervalMs('connected', 3_000)).toBe(600_000);
    expect(pollIntervalMs('down', 3_000)).toBe(60_000);
    expect(pollIntervalMs('down', 120_000)).toBe(120_000);
    expect(pollIntervalMs('off', 3_000)).toBe(3_000);
    expect(pollIntervalMs('connecting', 3_000)).toBe(3_000);
    expect(pollIntervalMs(undefined, 5_000)).toBe(5_000);
  });
});
