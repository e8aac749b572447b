// Dataverse requests per unit of work, on the local stack exactly as `npm start` runs it (real
// processes: emulator, functions host with its queues and timers, Azurite, plugin steps as
// webhooks), counted by the emulator per caller (GET /_emulator/stats). Dataverse's budget is
// per user: 6,000 requests per 5 minutes per web server, 40,000 a day for an Enterprise user.
//
//   npm run bench:budget -w bench          (SWB_BENCH_JSON=<file> also writes the figures as JSON;
//                                           SWB_BENCH_TRACE=1 lists each unit's operations)
//
// The units: a first SMS until it is offered; a second SMS while it waits; the agent's accept,
// reply, end and close; another SMS once assigned; a chat start and its first message; an idle
// minute. Agents act with their own tokens as the controls do; an observer (the
// demo supervisor) reads rows to know when a unit is done, and is left out of the counts.
// Prints numbers; never fails on a slow machine.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { AuthorKind, DeliveryStatus, MessageDirection, OfferResponse, Visibility, ConversationState } from '@switchboard/solution';
import type { EmulatorStats } from '@switchboard/dev/dataverse';
import { diffStats } from '@switchboard/dev/dataverse';
import { startStackProcess, type StackProcess } from '@switchboard/dev/e2e/stack-process';
import { emulatorStats } from '@switchboard/dev/e2e/dataverse-client';
import { AGENTS, CHANNEL_SECRETS, IDS } from '@switchboard/dev/seed/demo-data';

const APP = 'switchboard-app@switchboard.dev';
const APP_TOKEN = process.env['SWITCHBOARD_DATAVERSE_APP_TOKEN'] ?? 'switchboard-dev-app-token';
const OBSERVER = AGENTS.find((a) => a.key === 'sam')!;
const ALICE = AGENTS.find((a) => a.key === 'alice')!;
const IDLE_SECONDS = Number(process.env['SWB_BENCH_IDLE_SECONDS'] ?? 60);
// SWB_BENCH_TRACE=1: list each unit's Dataverse operations (caller, method, path, status) under its line.
const TRACE = process.env['SWB_BENCH_TRACE'] === '1';
if (TRACE) process.env['SWITCHBOARD_DATAVERSE_TRACE'] = '1';

export interface UnitCost {
  unit: string;
  /** requests the functions app (application user) made */
  app: number;
  /** requests agents made with their own tokens (the controls' writes) */
  agents: number;
  /** plugin-step webhook calls Dataverse made */
  webhooks: number;
  /** app + agents: what counts against Dataverse's request budgets */
  total: number;
  ms: number;
  /** app requests by method and entity set, to see where they go */
  appBy: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Bench {
  constructor(private readonly stack: StackProcess) {}

  stats(): Promise<EmulatorStats> {
    return emulatorStats(this.stack.dataverseApi, APP_TOKEN);
  }

  async api<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.stack.dataverseApi}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', prefer: 'return=representation' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  observe<T = Record<string, unknown>>(path: string): Promise<{ value: T[] }> {
    return this.api<{ value: T[] }>(OBSERVER.token, 'GET', path);
  }

  async until<T>(what: string, check: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await check();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(25);
    }
  }

  /** Until Dataverse stops moving (no request, no webhook) for `quietMs`: async steps and routing done. */
  async settle(quietMs = 700): Promise<void> {
    let last = JSON.stringify((await this.stats()).totals);
    let since = Date.now();
    while (Date.now() - since < quietMs) {
      await sleep(100);
      const now = JSON.stringify((await this.stats()).totals);
      if (now !== last) {
        last = now;
        since = Date.now();
      }
    }
  }

  async measure(unit: string, work: () => Promise<void>): Promise<UnitCost> {
    await this.settle();
    const before = await this.stats();
    const traced = this.stack.output.length;
    const t = performance.now();
    await work();
    const ms = performance.now() - t;
    await this.settle();
    const d = diffStats(before, await this.stats());
    if (TRACE) {
      // The emulator's own trace lines (SWITCHBOARD_DATAVERSE_TRACE): every operation of this unit but the observer's.
      for (const line of this.stack.output.slice(traced)) if (/\[dataverse\] trace /.test(line) && !line.includes(OBSERVER.domainname)) console.log(`    ${line.replace(/^.*\[dataverse\] trace /, '')}`);
    }
    const app = d.callers[APP];
    const agents = Object.entries(d.callers).filter(([k, c]) => c.kind === 'user' && k !== OBSERVER.domainname && k !== '(stats)').reduce((n, [, c]) => n + c.requests, 0);
    const appBy: Record<string, number> = {};
    for (const [set, n] of Object.entries(app?.byEntitySet ?? {})) appBy[set] = n;
    const cost = { unit, app: app?.requests ?? 0, agents, webhooks: d.totals.webhookDeliveries, total: (app?.requests ?? 0) + agents, ms, appBy };
    console.log(`${unit.padEnd(58)} app ${String(cost.app).padStart(4)}  agents ${String(cost.agents).padStart(3)}  webhooks ${String(cost.webhooks).padStart(3)}  total ${String(cost.total).padStart(4)}  (${ms.toFixed(0)} ms)`);
    return cost;
  }

  async sms(from: string, body: string, sid: string): Promise<void> {
    const path = `/api/sms/twilio/${IDS.channels.twilio}`;
    const fields = { MessageSid: sid, SmsSid: sid, AccountSid: 'AC5eed0000000000000000000000000001', From: from, To: '+13175550100', Body: body, NumMedia: '0', SmsStatus: 'received' };
    const res = await fetch(`${this.stack.functions}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(CHANNEL_SECRETS.SWB_TWILIO_DEMO_TOKEN, `${this.stack.functions}${path}`, fields) },
      body: new URLSearchParams(fields).toString(),
    });
    if (res.status !== 200) throw new Error(`SMS: ${res.status} ${await res.text()}`);
  }

  conversationOf(phone: string): Promise<{ activityid: string }> {
    return this.until('the conversation', async () => (await this.observe<{ activityid: string }>(`swb_conversations?$select=activityid&$filter=swb_customerphone eq '${encodeURIComponent(phone)}'`)).value[0]);
  }

  pendingOffer(conversationId: string): Promise<{ swb_offerid: string; _swb_agentid_value: string }> {
    return this.until('an offer', async () =>
      (await this.observe<{ swb_offerid: string; _swb_agentid_value: string }>(`swb_offers?$select=swb_offerid,_swb_agentid_value&$filter=_swb_conversationid_value eq ${conversationId} and swb_response eq ${OfferResponse.Pending}`)).value[0]);
  }

  async state(conversationId: string): Promise<number> {
    return (await this.api<{ swb_state: number }>(OBSERVER.token, 'GET', `swb_conversations(${conversationId})?$select=swb_state`)).swb_state;
  }

  /** What the communication pane sends for a reply: the counter read, then the create numbered after it and after what the pane shows. */
  async reply(token: string, agentId: string, conversationId: string, body: string, shown: number): Promise<void> {
    const conv = await this.api<{ swb_lastmessagesequence: number | null }>(token, 'GET', `swb_conversations(${conversationId})?$select=swb_lastmessagesequence`);
    const sequence = Math.max(conv.swb_lastmessagesequence ?? 0, shown) + 1;
    await this.api(token, 'POST', 'swb_messages', {
      'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`, 'swb_authoragentid@odata.bind': `/systemusers(${agentId})`,
      swb_name: body.slice(0, 100), swb_sequence: sequence, swb_body: body,
      swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_visibility: Visibility.Public, swb_deliverystatus: DeliveryStatus.Pending,
    });
  }

  async chat(origin: string): Promise<{ conversationId: string; token: string }> {
    const res = await fetch(`${this.stack.functions}/api/chat/${IDS.widget}/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ clientRequestId: `bench-${Date.now()}-${Math.random().toString(36).slice(2)}`, answers: { firstname: 'Camille', email: 'camille@example.com' }, context: {}, locale: 'en' }),
    });
    if (res.status !== 201) throw new Error(`chat start: ${res.status} ${await res.text()}`);
    return (await res.json()) as { conversationId: string; token: string };
  }

  async chatMessage(origin: string, chat: { conversationId: string; token: string }, body: string): Promise<void> {
    const res = await fetch(`${this.stack.functions}/api/chat/conversations/${chat.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, authorization: `Bearer ${chat.token}` },
      body: JSON.stringify({ clientMessageId: `bench-msg-${Math.random().toString(36).slice(2, 12)}`, body }),
    });
    if (res.status !== 201) throw new Error(`chat message: ${res.status} ${await res.text()}`);
  }
}

export interface BudgetResult {
  measuredAt: string;
  machine: { cpus: number; loadAverage: number[] };
  units: UnitCost[];
  idle: { seconds: number; appRequests: number; perHour: number; webhooks: number };
  perConversation: { sms: number; chat: number };
  /** New conversations per second one application user can open within 6,000 requests / 5 minutes. */
  conversationsPerSecondPerUser: number;
}

export async function runBudgetBench(log = true): Promise<BudgetResult> {
  const stack = await startStackProcess({ readyTimeoutMs: 180_000 });
  try {
    const b = new Bench(stack);
    const units: UnitCost[] = [];
    const phone = '+13175550188';
    let conversationId = '';
    let offer: { swb_offerid: string; _swb_agentid_value: string } | undefined;
    // Alice is the one available agent of the SMS queue with capacity: the offer is hers.
    units.push(await b.measure('first SMS → offered (new conversation, caches cold)', async () => {
      await b.sms(phone, 'Hello, my order is late', 'SM0000000000000000000000000bench01');
      conversationId = (await b.conversationOf(phone)).activityid;
      offer = await b.pendingOffer(conversationId);
    }));
    units.push(await b.measure('another SMS, conversation waiting', () => b.sms(phone, 'Are you there?', 'SM0000000000000000000000000bench02')));
    const agent = AGENTS.find((a) => a.id === offer!._swb_agentid_value) ?? ALICE;
    units.push(await b.measure('accept + reply + end + close', async () => {
      await b.api(agent.token, 'PATCH', `swb_offers(${offer!.swb_offerid})`, { swb_response: OfferResponse.Accepted });
      await b.until('the conversation active', async () => (await b.state(conversationId)) === ConversationState.Active);
      // The pane shows the transcript it polled (read by the observer here, outside the counts).
      const shown = (await b.observe<{ swb_sequence: number }>(`swb_messages?$select=swb_sequence&$filter=_swb_conversationid_value eq ${conversationId}&$orderby=swb_sequence desc&$top=1`)).value[0]?.swb_sequence ?? 0;
      await b.reply(agent.token, agent.id, conversationId, 'It ships tomorrow.', shown);
      await b.api(agent.token, 'PATCH', `swb_conversations(${conversationId})`, { swb_state: ConversationState.WrapUp });
      await b.until('wrap-up', async () => (await b.state(conversationId)) === ConversationState.WrapUp);
      await b.api(agent.token, 'PATCH', `swb_conversations(${conversationId})`, { swb_state: ConversationState.Closed });
    }));
    // A second conversation, accepted, for "another SMS once assigned".
    const phone2 = '+13175550189';
    let conv2 = '';
    let offer2!: { swb_offerid: string; _swb_agentid_value: string };
    units.push(await b.measure('another new SMS conversation → offered (caches warm)', async () => {
      await b.sms(phone2, 'Second customer', 'SM0000000000000000000000000bench03');
      conv2 = (await b.conversationOf(phone2)).activityid;
      offer2 = await b.pendingOffer(conv2);
    }));
    const agent2 = AGENTS.find((a) => a.id === offer2._swb_agentid_value) ?? ALICE;
    await b.api(agent2.token, 'PATCH', `swb_offers(${offer2.swb_offerid})`, { swb_response: OfferResponse.Accepted });
    await b.until('the second conversation active', async () => (await b.state(conv2)) === ConversationState.Active);
    units.push(await b.measure('another SMS, conversation assigned', () => b.sms(phone2, 'Thanks!', 'SM0000000000000000000000000bench04')));
    // Chat: Bruno and Alice share the web queue.
    const origin = stack.web;
    for (const [n, unit] of [[1, 'chat start + first message (caches cold)'], [2, 'another chat start + first message (caches warm)']] as const) {
      units.push(await b.measure(unit, async () => {
        const chat = await b.chat(origin);
        await b.chatMessage(origin, chat, `Hi, where is my tent? (${n})`);
        await b.pendingOffer(chat.conversationId);
      }));
    }
    const idleStart = await b.stats();
    await sleep(IDLE_SECONDS * 1000);
    const idleDiff = diffStats(idleStart, await b.stats());
    const idleApp = idleDiff.callers[APP]?.requests ?? 0;
    const idle = { seconds: IDLE_SECONDS, appRequests: idleApp, perHour: (idleApp * 3600) / IDLE_SECONDS, webhooks: idleDiff.totals.webhookDeliveries };
    if (log) console.log(`idle deployment, ${IDLE_SECONDS} s: ${idleApp} app requests → ${idle.perHour.toFixed(0)} per hour (no timer functions: offers time out by their own delayed work items)`);
    const cost = (name: string) => units.find((u) => u.unit === name)!.total;
    // Steady state: the caches are warm for every conversation but a deployment's first.
    const sms = cost('another new SMS conversation → offered (caches warm)') + cost('another SMS, conversation waiting') + cost('accept + reply + end + close');
    const chat = cost('another chat start + first message (caches warm)') + cost('accept + reply + end + close');
    const conversationsPerSecondPerUser = 6000 / 300 / Math.max(1, sms);
    if (log) console.log(`whole SMS conversation ≈ ${sms} requests; chat ≈ ${chat}; one application user opens ≈ ${conversationsPerSecondPerUser.toFixed(2)} SMS conversations/s within 6,000 requests per 5 minutes`);
    return { measuredAt: new Date().toISOString(), machine: { cpus: os.cpus().length, loadAverage: os.loadavg() }, units, idle, perConversation: { sms, chat }, conversationsPerSecondPerUser };
  } finally {
    await stack.stop();
  }
}

if (require.main === module) {
  runBudgetBench()
    .then((result) => {
      const file = process.env['SWB_BENCH_JSON'];
      if (file) writeFileSync(file, JSON.stringify(result, null, 2));
    })
    .catch((err: Error) => {
      console.error(err.stack ?? err.message);
      process.exitCode = 1;
    });
}
