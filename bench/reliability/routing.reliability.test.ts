// Several functions hosts route at once against one Dataverse that throttles (429) and fails
// (503) at random, sharing one Azurite routing queue; one host is killed mid-run. Afterwards the
// stored rows must show: every inbound message stored exactly once, at most one primary agent
// (and one live offer) per conversation, no agent ever above capacity (sampled all along the run
// and at the end), no offer to an agent whose presence the workstream does not allow, and every
// conversation assigned, queued or overflowed — none vanished.
//   npm run test:reliability
//   SWB_RELIABILITY_HOSTS=3 SWB_RELIABILITY_MESSAGES=60 SWB_RELIABILITY_FAULTS=429:0.05,503:0.02
//   SWB_RELIABILITY_LEASE_WAIT=1   also wait out the killed host's queue lease (10 min) and then
//                                  require every conversation classified
import { randomBytes } from 'node:crypto';
import { QueueClient } from '@azure/storage-queue';
import { AssignmentMethod, BasePresence, ChannelType, ConversationState, OfferResponse, Provider, SessionRole } from '@switchboard/solution';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { DynamicsWebApi } from 'dynamics-web-api';
import { startCluster, type Cluster, type HostProcess } from './cluster';

const HOSTS = Number(process.env['SWB_RELIABILITY_HOSTS'] ?? 3);
const MESSAGES = Number(process.env['SWB_RELIABILITY_MESSAGES'] ?? 60);
const FAULTS = process.env['SWB_RELIABILITY_FAULTS'] ?? '429:0.05,503:0.02';
const LEASE_WAIT = process.env['SWB_RELIABILITY_LEASE_WAIT'] === '1';
const SETTLE_MS = 10_000;
const DEADLINE_MS = 4 * 60_000;
const PUBLIC_BASE = 'https://swb-reliability.example.test';
const TWILIO_TOKEN = randomBytes(16).toString('hex');
const log = (line: string) => process.stdout.write(`[reliability] ${line}\n`);

const id = (n: number) => `7e110000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const IDS = { queue: id(1), workstream: id(2), channel: id(3) };
// Allowed by the workstream: Available and Busy. The others must never get an offer.
const AGENTS = [
  { id: id(0x101), name: 'Ada Available', presence: BasePresence.Available, max: 2 },
  { id: id(0x102), name: 'Ben Available', presence: BasePresence.Available, max: 3 },
  { id: id(0x103), name: 'Cy Busy', presence: BasePresence.Busy, max: 2 },
  { id: id(0x104), name: 'Dee Away', presence: BasePresence.Away, max: 5 },
  { id: id(0x105), name: 'Eli Offline', presence: BasePresence.Offline, max: 5 },
  { id: id(0x106), name: 'Fay DND', presence: BasePresence.DoNotDisturb, max: 5 },
];
const ALLOWED = new Set([BasePresence.Available, BasePresence.Busy]);
const CHANNEL_NUMBER = '+13175550100';

async function seed(api: DynamicsWebApi): Promise<void> {
  const put = (collection: string, key: string, data: Record<string, unknown>) => api.upsert({ collection, key, data });
  await put('queues', IDS.queue, { name: 'Reliability', swb_priority: 10, swb_assignmentmethod: AssignmentMethod.HighestCapacity });
  await put('swb_workstreams', IDS.workstream, {
    swb_name: 'Reliability SMS',
    swb_channeltype: ChannelType.Sms,
    swb_capacityunits: 1,
    // Long enough that no offer times out during the run: what is checked is routing under faults.
    swb_offertimeoutseconds: 3600,
    swb_allowedpresences: `${BasePresence.Available},${BasePresence.Busy}`,
    'swb_fallbackqueueid@odata.bind': `/queues(${IDS.queue})`,
  });
  await put('swb_channels', IDS.channel, {
    swb_name: 'Reliability Twilio',
    swb_channeltype: ChannelType.Sms,
    swb_provider: Provider.Twilio,
    swb_phonenumber: CHANNEL_NUMBER,
    swb_accountid: 'AC7e110000000000000000000000000001',
    swb_secretsettingname: 'SWB_REL_TWILIO_TOKEN',
    swb_defaultregion: 'US',
    swb_isenabled: true,
    'swb_workstreamid@odata.bind': `/swb_workstreams(${IDS.workstream})`,
  });
  for (const [i, a] of AGENTS.entries()) {
    await put('systemusers', a.id, { fullname: a.name, domainname: `agent${i}@reliability.test` });
    await api.associate({ collection: 'queues', primaryKey: IDS.queue, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: a.id });
    await put('swb_agentstatuses', id(0x201 + i), { swb_name: a.name, 'swb_agentid@odata.bind': `/systemusers(${a.id})`, swb_basepresence: a.presence, swb_capacitymax: a.max, swb_capacityused: 0 });
  }
}

// ---- traffic: a provider that retries until it gets a 200, sometimes twice at once ----------------

interface Sent {
  sid: string;
  from: string;
  attempts: number;
  ok: boolean;
}

function signedPost(host: HostProcess, params: Record<string, string>): Promise<number> {
  const path = `/api/sms/twilio/${IDS.channel}`;
  const signature = getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC_BASE}${path}`, params);
  return fetch(`${host.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(60_000),
  }).then(
    async (r) => {
      await r.arrayBuffer();
      return r.status;
    },
    () => 0,
  );
}

async function deliver(cluster: Cluster, i: number, sent: Sent): Promise<void> {
  const params = { MessageSid: sent.sid, SmsSid: sent.sid, AccountSid: 'AC7e110000000000000000000000000001', From: sent.from, To: CHANNEL_NUMBER, Body: `reliability message ${i}`, NumMedia: '0', SmsStatus: 'received' };
  for (let attempt = 0; attempt < 30 && !sent.ok; attempt++) {
    const alive = cluster.hosts.filter((h) => h.alive);
    if (alive.length === 0) throw new Error('every host is gone');
    const host = alive[(i + attempt) % alive.length]!;
    sent.attempts++;
    // Every third message is delivered twice at once to two hosts, as a provider retrying after a timeout would.
    const twin = i % 3 === 0 && alive.length > 1 ? signedPost(alive[(i + attempt + 1) % alive.length]!, params) : Promise.resolve(0);
    const [status, twinStatus] = await Promise.all([signedPost(host, params), twin]);
    if (status === 200 || twinStatus === 200) sent.ok = true;
    else await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
  }
}

// ---- reading the stored rows (the emulator's SQLite, read-only connection) ------------------------

interface Snapshot {
  offers: { id: string; conversation: string; agent: string; response: number }[];
  conversations: { id: string; state: number; queue: string | null; primary: string | null; phone: string }[];
  statuses: { agent: string; used: number; max: number; presence: number }[];
  sessions: { conversation: string; agent: string; role: number; left: string | null }[];
  messages: { id: string; providerId: string | null; conversation: string }[];
}

function snapshot(cluster: Cluster): Snapshot {
  const db = cluster.emulator.store.reader;
  const all = <T>(sql: string) => db.prepare(sql).all() as T[];
  return {
    offers: all(`SELECT swb_offerid AS id, swb_conversationid AS conversation, swb_agentid AS agent, swb_response AS response FROM swb_offer`),
    conversations: all(`SELECT activityid AS id, swb_state AS state, swb_queueid AS queue, swb_primaryagentid AS "primary", swb_customerphone AS phone FROM swb_conversation`),
    statuses: all(`SELECT swb_agentid AS agent, swb_capacityused AS used, swb_capacitymax AS max, swb_basepresence AS presence FROM swb_agentstatus`),
    sessions: all(`SELECT swb_conversationid AS conversation, swb_agentid AS agent, swb_role AS role, swb_lefton AS "left" FROM swb_session`),
    messages: all(`SELECT swb_messageid AS id, swb_providermessageid AS providerId, swb_conversationid AS conversation FROM swb_message`),
  };
}

const live = (response: number) => response === OfferResponse.Pending || response === OfferResponse.Accepted;
const norm = (s: string | null | undefined) => (s ?? '').toLowerCase();

/** Capacity and one-offer-per-conversation violations visible in one snapshot. */
function violationsIn(s: Snapshot): string[] {
  const out: string[] = [];
  const maxOf = new Map(AGENTS.map((a) => [norm(a.id), a.max]));
  const perAgent = new Map<string, number>();
  const perConversation = new Map<string, number>();
  for (const o of s.offers.filter((x) => live(x.response))) {
    perAgent.set(norm(o.agent), (perAgent.get(norm(o.agent)) ?? 0) + 1);
    perConversation.set(norm(o.conversation), (perConversation.get(norm(o.conversation)) ?? 0) + 1);
  }
  for (const [agent, n] of perAgent) if (n > (maxOf.get(agent) ?? 0)) out.push(`agent ${agent} holds ${n} live offers, capacity ${maxOf.get(agent)}`);
  for (const [conv, n] of perConversation) if (n > 1) out.push(`conversation ${conv} has ${n} live offers`);
  for (const st of s.statuses) if (st.used > st.max) out.push(`agent ${st.agent} capacity used ${st.used} > max ${st.max}`);
  const primaries = new Map<string, number>();
  for (const se of s.sessions.filter((x) => x.role === SessionRole.Primary && !x.left)) primaries.set(norm(se.conversation), (primaries.get(norm(se.conversation)) ?? 0) + 1);
  for (const [conv, n] of primaries) if (n > 1) out.push(`conversation ${conv} has ${n} open primary sessions`);
  return out;
}

async function routingQueueDepth(cluster: Cluster): Promise<number> {
  const q = new QueueClient(cluster.azurite.connectionString, 'swb-routing');
  if (!(await q.exists())) return 0;
  return (await q.getProperties()).approximateMessagesCount ?? 0;
}

let cluster: Cluster | undefined;

afterAll(async () => {
  await cluster?.stop();
});

test('routing under 429/503 faults with a host killed mid-run loses nothing, duplicates nothing and oversubscribes no one', async () => {
  const t0 = Date.now();
  cluster = await startCluster({
    hosts: HOSTS,
    faults: FAULTS,
    seed,
    log,
    settings: { SWB_REL_TWILIO_TOKEN: TWILIO_TOKEN, PUBLIC_BASE_URL: PUBLIC_BASE, WEBHOOK_KEY: randomBytes(16).toString('hex'), CHAT_TOKEN_KEY: randomBytes(32).toString('hex') },
  });
  const c = cluster;
  log(`${HOSTS} hosts up in ${((Date.now() - t0) / 1000).toFixed(0)} s; faults ${FAULTS}; ${MESSAGES} inbound SMS from distinct numbers`);

  // Sample the rows all along the run: "never above capacity" is about every moment, not the end.
  const sampled: string[] = [];
  let samples = 0;
  const monitor = setInterval(() => {
    samples++;
    try {
      for (const v of violationsIn(snapshot(c))) if (!sampled.includes(v)) sampled.push(v);
    } catch (err) {
      if (!sampled.includes(String(err))) sampled.push(`monitor could not read the rows: ${String(err)}`);
    }
  }, 250);

  const sent: Sent[] = Array.from({ length: MESSAGES }, (_, i) => ({ sid: `SM${randomBytes(16).toString('hex')}`, from: `+1317555${String(1000 + i).padStart(4, '0')}`, attempts: 0, ok: false }));
  const victim = c.hosts[Math.min(1, c.hosts.length - 1)]!;
  let next = 0;
  let killed = false;
  const start = Date.now();
  try {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          if (!killed && i >= Math.floor(MESSAGES / 3) && c.hosts.length > 1) {
            killed = true;
            c.kill(victim);
          }
          await deliver(c, i, sent[i]!);
        }
      }),
    );
    log(`all ${MESSAGES} delivered (HTTP 200) in ${((Date.now() - start) / 1000).toFixed(1)} s, ${sent.reduce((n, s) => n + s.attempts, 0)} attempts`);

    // Settle: no change in offers and conversation states for SETTLE_MS, or the deadline.
    const fingerprint = () => {
      const s = snapshot(c);
      return JSON.stringify([s.offers.map((o) => `${o.id}:${o.response}`).sort(), s.conversations.map((x) => `${x.id}:${x.state}:${x.queue}`).sort()]);
    };
    let last = fingerprint();
    let stableSince = Date.now();
    const deadline = Date.now() + (LEASE_WAIT ? 12 * 60_000 : DEADLINE_MS);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = fingerprint();
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= SETTLE_MS) {
        if (!LEASE_WAIT) break;
        const unclassified = snapshot(c).conversations.filter((x) => x.state === ConversationState.Open && !x.queue && !x.primary).length;
        if (unclassified === 0) break;
      }
    }
  } finally {
    clearInterval(monitor);
  }

  const s = snapshot(c);
  const depth = await routingQueueDepth(c);
  const faults = { 429: c.statuses.get(429) ?? 0, 503: c.statuses.get(503) ?? 0, total: [...c.statuses.values()].reduce((a, b) => a + b, 0) };
  const liveOffers = s.offers.filter((o) => live(o.response));
  const assigned = new Set(liveOffers.map((o) => norm(o.conversation)));
  for (const conv of s.conversations) if (conv.primary) assigned.add(norm(conv.id));
  const bucket = (conv: Snapshot['conversations'][number]) =>
    assigned.has(norm(conv.id)) ? 'assigned' : conv.state === ConversationState.Waiting && conv.queue ? 'queued' : conv.state === ConversationState.Closed ? 'overflowed/closed' : 'unclassified';
  const buckets: Record<string, number> = {};
  for (const conv of s.conversations) buckets[bucket(conv)] = (buckets[bucket(conv)] ?? 0) + 1;
  const reserved = s.statuses.reduce((n, st) => n + st.used, 0);
  log(
    [
      `run ${((Date.now() - t0) / 1000).toFixed(0)} s; emulator answered ${faults.total} requests, injected ${faults[429]}×429 and ${faults[503]}×503`,
      `host ${victim.index} killed by SIGKILL (pid ${victim.pid}); ${c.hosts.filter((h) => h.alive).length} hosts kept running`,
      `conversations ${s.conversations.length}: ${JSON.stringify(buckets)}; routing queue depth now ${depth} (visible + leased)`,
      `offers ${s.offers.length} (${liveOffers.length} live); capacity reserved on status rows ${reserved} vs live offers ${liveOffers.length}`,
      `capacity/offer invariants sampled ${samples} times during the run`,
    ].join('\n[reliability] '),
  );

  // The run really was faulty and really lost a host.
  expect(faults[429] + faults[503]).toBeGreaterThan(0);
  expect(victim.alive).toBe(false);
  expect(sent.every((m) => m.ok)).toBe(true);

  // 1. Every inbound message stored exactly once.
  const byProvider = new Map<string, number>();
  for (const m of s.messages) if (m.providerId) byProvider.set(m.providerId, (byProvider.get(m.providerId) ?? 0) + 1);
  expect(sent.filter((m) => byProvider.get(m.sid) !== 1).map((m) => `${m.sid}: ${byProvider.get(m.sid) ?? 0}`)).toEqual([]);
  // ...in one conversation per sender (each number wrote once, so each has exactly one).
  const perPhone = new Map<string, number>();
  for (const conv of s.conversations) perPhone.set(conv.phone, (perPhone.get(conv.phone) ?? 0) + 1);
  expect(sent.filter((m) => perPhone.get(m.from) !== 1).map((m) => `${m.from}: ${perPhone.get(m.from) ?? 0}`)).toEqual([]);

  // 2 and 3. At most one primary agent / live offer per conversation; nobody above capacity, ever.
  expect(sampled).toEqual([]);
  expect(violationsIn(s)).toEqual([]);

  // 4. No offer to an agent whose presence the workstream does not allow.
  const disallowed = new Set(AGENTS.filter((a) => !ALLOWED.has(a.presence)).map((a) => norm(a.id)));
  expect(s.offers.filter((o) => disallowed.has(norm(o.agent)))).toEqual([]);

  // Seats are the allowed agents' capacity. More conversations than seats arrive, so a gap between
  // seats and live offers is capacity reserved for an offer that was never written (a host that
  // died between the two writes): reported, as it delays work without losing any.
  const seats = AGENTS.filter((a) => ALLOWED.has(a.presence)).reduce((n, a) => n + a.max, 0);
  log(`seats ${seats}, live offers ${liveOffers.length}, reserved ${reserved}`);
  expect(liveOffers.length).toBeLessThanOrEqual(seats);

  // 5. Every conversation assigned, queued or overflowed. A conversation the killed host had
  // leased from the queue is still durably there (Azurite hands it out again when the 10-minute
  // lease ends): it is counted, not lost, as long as the queue still holds at least that much work.
  const unclassified = s.conversations.filter((conv) => bucket(conv) === 'unclassified');
  if (unclassified.length > 0) log(`${unclassified.length} conversation(s) wait for the killed host's lease to end: ${unclassified.map((x) => x.id).join(', ')}`);
  if (LEASE_WAIT) expect(unclassified).toEqual([]);
  else expect(unclassified.length).toBeLessThanOrEqual(depth);
});
