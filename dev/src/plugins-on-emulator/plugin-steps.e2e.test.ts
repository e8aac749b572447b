// End to end through the Dataverse emulator over HTTP: the emulator posts real execution
// contexts to a tiny server mounting handleStepWebhook (as functions does), every step is
// registered from the same registrations steps.json is built from, and people act through
// dynamics-web-api with their own tokens.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamicsWebApi } from 'dynamics-web-api';
import { systemClock } from '@switchboard/core';
import {
  AgentConnectionState,
  AuthorKind,
  BasePresence,
  ChannelType,
  ConversationState,
  DeliveryStatus,
  MessageDirection,
  OfferResponse,
  Provider,
  SessionRole,
  SessionState,
  Visibility,
  metadata,
} from '@switchboard/solution';
import { type Emulator, createEmulator } from '../dataverse/emulator';
import { APP_USER_ID } from '../dataverse/system-metadata';
import { WebApiDataverseAdapter } from '@switchboard/plugins/adapters/dataverse-web-api.adapter';
import type { StepDeps } from '@switchboard/plugins/ports';
import { stepRegistry } from '@switchboard/plugins/registry';
import { handleStepWebhook } from '@switchboard/plugins/service';
import { pluginRegistrations } from '@switchboard/plugins/steps-manifest';
import { RecordingDelivery, RecordingRoutingTrigger } from '@switchboard/plugins/testing/fakes';
import { registerSteps } from '@switchboard/plugins/testing/register-steps';
import { verifyWebhookKey } from '@switchboard/plugins/webhook-key';

const KEY = 'e2e-webhook-key-0123456789';
const AGENT_ROLE = metadata.roles.find((r) => r.name.includes('Agent'))?.id ?? '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0a01';
const AGENT_PROFILE = metadata.fieldSecurityProfiles.find((p) => p.name === 'Switchboard Agent')!.id;

let emu: Emulator;
let functions: http.Server;
let app: DynamicsWebApi;
const delivery = new RecordingDelivery();
const routingTrigger = new RecordingRoutingTrigger();
const webhookCalls: { step: string; status: number }[] = [];
const stepLog: string[] = [];
const users: Record<'ana' | 'ben' | 'cleo', string> = { ana: '', ben: '', cleo: '' };

const client = (token: string) =>
  new DynamicsWebApi({ serverUrl: emu.url.replace('/api/data/v9.2/', ''), dataApi: { version: '9.2' }, onTokenRefresh: async () => token, propagateErrors: true });
const as = (who: keyof typeof users) => client(`dev:${who}@contoso.test`);

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function failure(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { status: number; message: string };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  emu = createEmulator({ metadata, db: ':memory:', asyncRetry: { baseDelayMs: 20, maxAttempts: 4 } });
  await emu.listen(0);
  app = client(emu.appToken);
  const deps: StepDeps = {
    data: new WebApiDataverseAdapter(app),
    delivery,
    routingTrigger,
    clock: systemClock,
    config: { defaultRegion: 'FR', defaultLanguage: 1033, trustedUserIds: [APP_USER_ID] },
    log: (line) => stepLog.push(line),
  };
  // What functions does at POST /api/dataverse/{step}: check the key, hand over the body.
  functions = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const step = /^\/api\/dataverse\/([a-z0-9-]+)$/.exec(url.pathname)?.[1];
      const reply = (status: number, body: unknown) => {
        if (step) webhookCalls.push({ step, status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!verifyWebhookKey({ query: url.searchParams, headers: req.headers }, KEY)) return reply(401, { error: { code: 'Unauthorized', message: 'bad key' } });
      if (!step) return reply(404, { error: { code: 'NotFound', message: 'no route' } });
      let body: unknown;
      try {
        body = JSON.parse(data);
      } catch {
        return reply(400, { error: { code: 'BadJson', message: 'not JSON' } });
      }
      void handleStepWebhook(step, body, deps).then((r) => reply(r.status, r.body));
    });
  });
  await new Promise<void>((r) => functions.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(functions.address() as AddressInfo).port}/api`;
  await registerSteps(app, pluginRegistrations(stepRegistry), base, KEY);
  for (const who of ['ana', 'ben', 'cleo'] as const) {
    // Onboarded as an admin does: the Agent role and the Agent column-security profile.
    users[who] = emu.seedUser({ fullname: who[0]!.toUpperCase() + who.slice(1), domainname: `${who}@contoso.test`, roles: [AGENT_ROLE], fieldSecurityProfiles: [AGENT_PROFILE], token: `dev:${who}@contoso.test` });
    await app.create({
      collection: 'swb_agentstatuses',
      data: {
        'swb_agentid@odata.bind': `/systemusers(${users[who]})`, swb_basepresence: BasePresence.Available,
        swb_connectionstate: AgentConnectionState.Connected, swb_capacityused: 0, swb_capacitymax: 3,
      },
    });
  }
}, 30_000);

afterAll(async () => {
  await emu.close();
  await new Promise((r) => functions.close(r));
});

/** A conversation the app created (an agent may not set its channel or number) owned by `owner` and routed to `primary`. */
async function smsConversation(owner: keyof typeof users, primary: keyof typeof users): Promise<{ conversationId: string; channelId: string }> {
  const channelId: string = await app.create({ collection: 'swb_channels', data: { swb_name: `SMS ${Math.random()}`, swb_provider: Provider.Twilio, swb_channeltype: ChannelType.Sms } });
  const conversationId: string = await app.create({
    collection: 'swb_conversations',
    data: {
      subject: 'Parcel', swb_channeltype: ChannelType.Sms, swb_customerphone: '+33612345678', 'swb_channelid@odata.bind': `/swb_channels(${channelId})`,
      'ownerid@odata.bind': `/systemusers(${users[owner]})`,
    },
  });
  await app.update({
    collection: 'swb_conversations', key: conversationId,
    data: { swb_state: ConversationState.Active, 'swb_primaryagentid@odata.bind': `/systemusers(${users[primary]})` },
  });
  return { conversationId, channelId };
}

describe('plugin steps end to end through the Dataverse emulator', () => {
  it('saving a contact with mobile "06 12 34 56 78" (region FR) stores +33612345678', async () => {
    const id: string = await as('ana').create({ collection: 'contacts', data: { firstname: 'Camille', lastname: 'Martin', mobilephone: '06 12 34 56 78' } });
    const row = await app.retrieve({ collection: 'contacts', key: id, select: ['mobilephone'] });
    expect(row.mobilephone).toBe('+33612345678');
    await as('ana').update({ collection: 'contacts', key: id, data: { mobilephone: '07-98-76-54-32' } });
    expect((await app.retrieve({ collection: 'contacts', key: id, select: ['mobilephone'] })).mobilephone).toBe('+33798765432');
  });

  it("a non-primary agent's transfer is refused with the message, and the row is unchanged", async () => {
    const { conversationId } = await smsConversation('ben', 'ana');
    const refused = await failure(as('ben').update({ collection: 'swb_conversations', key: conversationId, data: { 'swb_primaryagentid@odata.bind': `/systemusers(${users.cleo})` } }));
    expect(refused.status).toBe(400);
    expect(refused.message).toBe('Only the primary agent of this conversation can transfer it.');
    const row = await app.retrieve({ collection: 'swb_conversations', key: conversationId, select: ['_swb_primaryagentid_value'] });
    expect(row._swb_primaryagentid_value).toBe(users.ana);
  });

  it("the primary agent's transfer goes through: the sessions and the capacity move to the receiver", async () => {
    const { conversationId } = await smsConversation('ana', 'ana');
    const sessions = async () =>
      (await app.retrieveMultiple({ collection: 'swb_sessions', filter: `_swb_conversationid_value eq ${conversationId}`, select: ['_swb_agentid_value', 'swb_role', 'swb_state'] })).value;
    await until(async () => (await sessions()).length === 1);
    // Let the accept's own async step finish its capacity write before taking the baseline.
    await until(() => emu.plugins.pending().length === 0);
    const used = async (who: keyof typeof users) =>
      (await app.retrieveMultiple({ collection: 'swb_agentstatuses', filter: `_swb_agentid_value eq ${users[who]}`, select: ['swb_capacityused'] })).value[0].swb_capacityused;
    const benBefore = await used('ben');
    const anaBefore = await used('ana');
    await as('ana').update({ collection: 'swb_conversations', key: conversationId, data: { 'swb_primaryagentid@odata.bind': `/systemusers(${users.ben})` } });
    await until(async () => (await sessions()).some((x) => x._swb_agentid_value === users.ben));
    await until(() => emu.plugins.pending().length === 0);
    const after = await sessions();
    expect(after).toEqual(expect.arrayContaining([
      expect.objectContaining({ _swb_agentid_value: users.ana, swb_state: SessionState.Closed }),
      expect.objectContaining({ _swb_agentid_value: users.ben, swb_role: SessionRole.Primary, swb_state: SessionState.Active }),
    ]));
    expect(await used('ben')).toBe(benBefore + 1);
    expect(await used('ana')).toBe(anaBefore - 1);
  });

  it("a non-primary agent cannot invite a consult; the primary agent can", async () => {
    const { conversationId } = await smsConversation('ana', 'ana');
    const session = (agent: string) => ({
      collection: 'swb_sessions',
      data: { subject: 'consult', swb_role: SessionRole.Consult, 'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`, 'swb_agentid@odata.bind': `/systemusers(${agent})` },
    });
    const refused = await failure(as('ben').create(session(users.cleo)));
    expect(refused.message).toBe('Only the primary agent of this conversation can invite someone to consult.');
    await expect(as('ana').create(session(users.ben))).resolves.toMatch(/^[0-9a-f-]{36}$/);
  });

  it("an agent's reply reaches the channel exactly once even when delivered twice; an internal note never", async () => {
    const { conversationId, channelId } = await smsConversation('ana', 'ana');
    // A second registration of the same step: two async jobs race for the same message.
    const [twice] = pluginRegistrations(stepRegistry).steps.filter((s) => s.serviceEndpoint === 'Switchboard message-created');
    const regs = pluginRegistrations(stepRegistry);
    const base = `http://127.0.0.1:${(functions.address() as AddressInfo).port}/api`;
    await registerSteps(app, { serviceEndpoints: regs.serviceEndpoints.filter((e) => e.name === twice!.serviceEndpoint), steps: [{ ...twice!, name: `${twice!.name} (again)` }] }, base, KEY);

    const message = (seq: number, visibility: Visibility, body: string) => ({
      collection: 'swb_messages',
      data: {
        'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`, 'swb_authoragentid@odata.bind': `/systemusers(${users.ana})`,
        swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_visibility: visibility, swb_body: body, swb_sequence: seq,
        ...(visibility === Visibility.Public ? { swb_deliverystatus: DeliveryStatus.Pending } : {}),
      },
    });
    const before = delivery.sent.length;
    const callsBefore = webhookCalls.filter((c) => c.step === 'message-created').length;
    const noteId: string = await as('ana').create(message(1, Visibility.Internal, 'Customer sounds upset, be gentle'));
    const replyId: string = await as('ana').create(message(2, Visibility.Public, 'Bonjour, votre colis arrive demain.'));
    await until(async () => (await app.retrieve({ collection: 'swb_messages', key: replyId, select: ['swb_deliverystatus'] })).swb_deliverystatus === DeliveryStatus.Sent);
    await until(() => emu.plugins.pending().length === 0);
    const sent = delivery.sent.slice(before);
    expect(sent).toEqual([{ channelId, to: '+33612345678', body: 'Bonjour, votre colis arrive demain.', clientReference: replyId }]);
    expect(sent.some((s) => s.clientReference === noteId)).toBe(false);
    const reply = await app.retrieve({ collection: 'swb_messages', key: replyId, select: ['swb_providermessageid', '_swb_channelid_value'] });
    expect(reply).toMatchObject({ swb_providermessageid: 'SM0001', _swb_channelid_value: channelId });
    // Both registrations fired for both messages: the reply was offered to us twice, sent once.
    expect(webhookCalls.filter((c) => c.step === 'message-created').length - callsBefore).toBe(4);
  });

  it('ending a conversation stamps wrap-up, releases capacity (default blocking: at close) and wakes routing', async () => {
    const { conversationId } = await smsConversation('cleo', 'cleo');
    const status = async () => (await app.retrieveMultiple({ collection: 'swb_agentstatuses', filter: `_swb_agentid_value eq ${users.cleo}`, select: ['swb_capacityused', 'swb_basepresence'] })).value[0];
    await until(async () => (await status()).swb_capacityused === 1);
    await as('cleo').update({ collection: 'swb_conversations', key: conversationId, data: { swb_state: ConversationState.WrapUp } });
    await until(async () => (await app.retrieve({ collection: 'swb_conversations', key: conversationId, select: ['swb_wrapupon'] })).swb_wrapupon != null);
    expect((await status()).swb_capacityused).toBe(1);
    await as('cleo').update({ collection: 'swb_conversations', key: conversationId, data: { swb_state: ConversationState.Closed } });
    await until(async () => (await status()).swb_capacityused === 0);
    expect((await status()).swb_basepresence).toBe(BasePresence.Available);
    await until(() => routingTrigger.items.some((i) => i.work.kind === 'route-agent' && i.work.agentId === users.cleo));
  });

  it('adding an agent to a queue through $ref associate enqueues routing work for that agent and that queue at once; removing them too', async () => {
    const queue: string = await app.create({ collection: 'queues', data: { name: 'Returns' } });
    const membership = (kind: 'Associate' | 'Disassociate') => (i: (typeof routingTrigger.items)[number]) =>
      i.work.reason === `queuemembership_association ${kind}` && ((i.work.kind === 'route-agent' && i.work.agentId === users.ben) || (i.work.kind === 'route-queue' && i.work.queueId === queue));
    const started = Date.now();
    await app.associate({ collection: 'queues', primaryKey: queue, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: users.ben });
    await until(() => routingTrigger.items.filter(membership('Associate')).length === 2, 3000);
    const tookMs = Date.now() - started;
    expect(routingTrigger.items.filter(membership('Associate')).map((i) => i.work.kind).sort()).toEqual(['route-agent', 'route-queue']);
    expect(routingTrigger.items.filter(membership('Associate')).every((i) => i.delaySeconds === undefined)).toBe(true);
    console.log(`queue membership → routing work enqueued in ${tookMs} ms`);

    await app.disassociate({ collection: 'systemusers', primaryKey: users.ben, relationshipName: 'queuemembership_association', relatedKey: queue });
    await until(() => routingTrigger.items.filter(membership('Disassociate')).length === 2, 3000);
    expect(webhookCalls.filter((c) => c.step === 'routing-config').every((c) => c.status === 200)).toBe(true);
  });

  it("an agent accepting its own offer makes the conversation Active with that agent as primary and owner, with a primary session", async () => {
    const conversationId: string = await app.create({
      collection: 'swb_conversations',
      // As routing leaves it: the conversation names who holds its offer.
      data: { subject: 'Offered', swb_channeltype: ChannelType.Sms, swb_customerphone: '+33611111111', swb_state: ConversationState.Waiting, 'swb_offeredto@odata.bind': `/systemusers(${users.ben})` },
    });
    // As the routing worker creates it: owned by the offered agent (the Agent role reads only its own offers).
    const offerId: string = await app.create({
      collection: 'swb_offers',
      data: {
        swb_name: 'Offer 1', 'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`, 'swb_agentid@odata.bind': `/systemusers(${users.ben})`,
        'ownerid@odata.bind': `/systemusers(${users.ben})`, swb_response: OfferResponse.Pending,
        swb_offeredon: new Date().toISOString(), swb_expireson: new Date(Date.now() + 60_000).toISOString(), swb_attempt: 1,
      },
    });
    await as('ben').update({ collection: 'swb_offers', key: offerId, data: { swb_response: OfferResponse.Accepted } });
    const row = async () => app.retrieve({ collection: 'swb_conversations', key: conversationId, select: ['swb_state', '_swb_primaryagentid_value', '_ownerid_value', 'swb_activeon'] });
    await until(async () => (await row()).swb_state === ConversationState.Active);
    expect(await row()).toMatchObject({ swb_state: ConversationState.Active, _swb_primaryagentid_value: users.ben, _ownerid_value: users.ben });
    const sessions = async () =>
      (await app.retrieveMultiple({ collection: 'swb_sessions', filter: `_swb_conversationid_value eq ${conversationId}`, select: ['_swb_agentid_value', 'swb_role', 'swb_state'] })).value;
    await until(async () => (await sessions()).length === 1);
    expect((await sessions())[0]).toMatchObject({ _swb_agentid_value: users.ben, swb_role: SessionRole.Primary, swb_state: SessionState.Active });
    // Now the owner and primary agent, the agent can end the conversation as the pane does.
    await as('ben').update({ collection: 'swb_conversations', key: conversationId, data: { swb_state: ConversationState.WrapUp } });
    await until(async () => (await app.retrieve({ collection: 'swb_offers', key: offerId, select: ['swb_respondedon'] })).swb_respondedon != null);
  });

  it('no step answered with a server error along the way (refusals are 403, everything else 200)', async () => {
    await until(() => emu.plugins.pending().length === 0);
    expect(webhookCalls.filter((c) => c.status >= 500)).toEqual([]);
    expect(new Set(webhookCalls.map((c) => c.step))).toEqual(new Set(['phone-normalise', 'conversation-guard', 'conversation-state', 'message-created', 'message-guard', 'offer-guard', 'routing-config', 'offer-response', 'agent-onboarding', 'supervisor-guard', 'supervisor-audit', 'floor-stamps', 'push-relay', 'bot-consult']));
    expect(stepLog.filter((l) => / failed on /.test(l))).toEqual([]);
  });
});
