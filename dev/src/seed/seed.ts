// Seeds the demo organisation over the Web API as the application user, the way an admin's
// import script would. Idempotent: rows have fixed ids and the chat widget row is written
// last, so its presence means a previous seed finished; an interrupted seed is completed
// by the next start (PATCH on a fixed id creates or overwrites).
import { metadata } from '@switchboard/solution';
import { ACCOUNTS, AGENTS, CHANNELS, CONTACTS, IDS, botChatRows, botRows, channelRow, rows, type DemoBotEndpoints } from './demo-data';

export interface SeedOptions {
  /** Web API root, ending in /api/data/v9.2/ */
  apiUrl: string;
  appToken: string;
  /** Origin of the :7072 pages (allowed origin of the chat widget). */
  webOrigin: string;
  /** Where the bot stand-ins listen (defaults: the stack's ports). */
  bots?: DemoBotEndpoints;
  log?: (line: string) => void;
}

export const DEFAULT_BOT_ENDPOINTS: DemoBotEndpoints = { directLineUrl: 'http://127.0.0.1:7075/v3/directline', webhookBotUrl: 'http://127.0.0.1:7076/events' };

/**
 * The bots and the help centre that puts one first. Written on every start (upserts): the bot
 * rows carry the stand-ins' addresses, and a database seeded before bots existed gets them too.
 */
async function seedBots(api: WebApi, options: SeedOptions): Promise<void> {
  for (const b of botRows(options.bots ?? DEFAULT_BOT_ENDPOINTS)) await api.upsert('swb_bots', b.id, b.data);
  const help = botChatRows(options.webOrigin);
  await api.upsert('swb_workstreams', help.workstream.id, help.workstream.data);
  await api.upsert('swb_routingrules', help.rule.id, help.rule.data);
  await api.upsert('swb_chatwidgets', help.widget.id, help.widget.data);
  for (const v of help.contextVariables) await api.upsert('swb_contextvariables', v.id, v.data);
}

export interface SeedResult {
  seeded: boolean;
  rows: number;
}

type Json = Record<string, unknown>;

class WebApi {
  rows = 0;
  constructor(private readonly base: string, private readonly token: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return res;
  }

  async ok(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<void> {
    const res = await this.request(method, path, body, headers);
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }

  async upsert(set: string, id: string, data: Json): Promise<void> {
    await this.ok('PATCH', `${set}(${id})`, data);
    this.rows++;
  }

  async exists(set: string, id: string): Promise<boolean> {
    const res = await this.request('GET', `${set}(${id})`);
    await res.arrayBuffer();
    if (res.status === 404) return false;
    if (!res.ok) throw new Error(`GET ${set}(${id}) → ${res.status}`);
    return true;
  }

  // Associations are idempotent on Dataverse only by luck of duplicate-key errors; check first.
  async associate(set: string, id: string, relationship: string, targetSet: string, targetId: string, key: string): Promise<void> {
    const res = await this.request('GET', `${set}(${id})/${relationship}?$select=${key}`);
    if (res.ok) {
      const found = (await res.json()) as { value: Json[] };
      if (found.value.some((r) => String(r[key]).toLowerCase() === targetId.toLowerCase())) return;
    } else await res.arrayBuffer();
    await this.ok('POST', `${set}(${id})/${relationship}/$ref`, { '@odata.id': `${this.base}${targetSet}(${targetId})` });
  }
}

// solution/src/model/roles.ts: Agent, Supervisor, Administrator in that order.
const ROLE_IDS = { agent: metadata.roles[0]?.id, supervisor: metadata.roles[1]?.id };
// The matching column security profile (solution/src/model/field-security.ts): without it an agent
// reads null capacity, default presence and offer expiry, as on Dataverse.
const profileId = (name: string): string => {
  const p = metadata.fieldSecurityProfiles.find((x) => x.name === name);
  if (!p) throw new Error(`The metadata has no field security profile '${name}'`);
  return p.id;
};
const PROFILE_IDS = { agent: profileId('Switchboard Agent'), supervisor: profileId('Switchboard Supervisor') };

export async function seedDemoData(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  const api = new WebApi(options.apiUrl, options.appToken);
  if (await api.exists('swb_chatwidgets', IDS.widget)) {
    // a database seeded before column security: the demo agents still need their profile
    for (const a of AGENTS) {
      if (await api.exists('systemusers', a.id)) await api.associate('systemusers', a.id, 'systemuserprofiles_association', 'fieldsecurityprofiles', PROFILE_IDS[a.role], 'fieldsecurityprofileid');
    }
    // ...and the "chat queued" greeting that repeated the widget's own note is switched off.
    for (const retired of IDS.retiredAutomatedMessages) {
      if (await api.exists('swb_automatedmessages', retired)) await api.ok('PATCH', `swb_automatedmessages(${retired})`, { swb_isenabled: false });
    }
    await seedBots(api, options);
    return { seeded: false, rows: 0 };
  }
  const r = rows(options.webOrigin);

  for (const h of r.operatingHours) await api.upsert('swb_operatinghourses', h.id, h.data);
  for (const p of r.capacityProfiles) await api.upsert('swb_capacityprofiles', p.id, p.data);
  for (const q of r.queues) await api.upsert('queues', q.id, q.data);
  for (const w of r.workstreams) await api.upsert('swb_workstreams', w.id, w.data);
  for (const rule of r.routingRules) await api.upsert('swb_routingrules', rule.id, rule.data);
  log(`queues, workstreams, routing rules, capacity profile, operating hours`);

  for (const a of AGENTS) {
    await api.upsert('systemusers', a.id, { fullname: a.fullname, domainname: a.domainname, internalemailaddress: a.domainname, isdisabled: false });
    const roleId = ROLE_IDS[a.role];
    if (roleId) await api.associate('systemusers', a.id, 'systemuserroles_association', 'roles', roleId, 'roleid');
    await api.associate('systemusers', a.id, 'systemuserprofiles_association', 'fieldsecurityprofiles', PROFILE_IDS[a.role], 'fieldsecurityprofileid');
    for (const q of a.queues) await api.associate('queues', IDS.queues[q], 'queuemembership_association', 'systemusers', a.id, 'systemuserid');
    await api.associate('swb_capacityprofiles', IDS.capacityProfiles.standard, 'swb_capacityprofile_systemuser', 'systemusers', a.id, 'systemuserid');
    await api.upsert('swb_agentstatuses', a.statusId, {
      swb_name: a.fullname,
      'swb_agentid@odata.bind': `/systemusers(${a.id})`,
      'ownerid@odata.bind': `/systemusers(${a.id})`,
      swb_basepresence: a.presence,
      swb_defaultpresence: a.presence,
      swb_manualoverride: false,
      swb_capacitymax: a.capacityMax,
      swb_capacityused: 0,
    });
  }
  log(`agents: ${AGENTS.map((a) => a.fullname).join(', ')}`);

  for (const c of CONTACTS) {
    const { id, ...data } = c;
    await api.upsert('contacts', id, data);
  }
  for (const a of ACCOUNTS) {
    const { id, ...data } = a;
    await api.upsert('accounts', id, data);
  }
  for (const c of CHANNELS) await api.upsert('swb_channels', c.id, channelRow(c));
  for (const t of r.templates) await api.upsert('swb_messagetemplates', t.id, t.data);
  for (const m of r.automatedMessages) await api.upsert('swb_automatedmessages', m.id, m.data);
  log(`contacts, accounts, SMS channels (Twilio, TeleSign, ACS), templates, automated messages`);
  await api.upsert('swb_supervisordesks', IDS.desk, { swb_name: 'Floor' });

  await seedBots(api, options);
  log(`bots (FAQ bot over Direct Line, sample webhook bot) and the help centre widget (${IDS.botWidget})`);
  // The widget last: it is the marker that the seed completed.
  await api.upsert('swb_chatwidgets', r.widget.id, r.widget.data);
  for (const v of r.contextVariables) await api.upsert('swb_contextvariables', v.id, v.data);
  log(`chat widget "${String(r.widget.data.swb_name)}" (${r.widget.id})`);
  return { seeded: true, rows: api.rows };
}
