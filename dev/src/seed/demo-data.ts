// The demo organisation `npm start` seeds: fixed ids, so seeding is idempotent and the pages,
// the README walkthrough and the browser tests can name rows without looking them up.
import {
  AssignmentMethod,
  AutomatedMessageTrigger,
  BasePresence,
  ChannelType,
  ContextVariableType,
  BotKind,
  Provider,
  RoutingRuleKind,
  TemplateKind,
  WrapUpBlocking,
} from '@switchboard/solution';

const id = (n: number) => `5eed0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const IDS = {
  queues: { web: id(0x101), billing: id(0x102), sms: id(0x103) },
  workstreams: { chat: id(0x201), sms: id(0x202), botChat: id(0x203) },
  capacityProfiles: { standard: id(0x301) },
  operatingHours: { always: id(0x401), business: id(0x402) },
  widget: id(0x501),
  /** The help centre's widget (/help): the FAQ bot answers first. */
  botWidget: id(0x502),
  bots: { faq: id(0x901), webhook: id(0x902) },
  channels: { twilio: id(0x601), telesign: id(0x602), acs: id(0x603) },
  /** Seeded by earlier versions and retired since: switched off in databases that still have them. */
  retiredAutomatedMessages: [id(0xe01)],
  /** The supervisor desk's host record (its form carries the SupervisorDesk control). */
  desk: id(0xb01),
} as const;

export type AgentKey = 'alice' | 'bruno' | 'chloe' | 'sam';

export interface DemoAgent {
  key: AgentKey;
  id: string;
  statusId: string;
  fullname: string;
  domainname: string;
  /** dev token the emulator accepts for this user */
  token: string;
  role: 'agent' | 'supervisor';
  queues: (keyof typeof IDS.queues)[];
  presence: BasePresence;
  capacityMax: number;
  /** The language the agent works in (Dataverse's user settings; the emulator has none, so the workspace reads it here). */
  languageId: 1033 | 1036;
}

function agent(n: number, key: AgentKey, fullname: string, role: DemoAgent['role'], queues: DemoAgent['queues'], presence: BasePresence, capacityMax: number, languageId: 1033 | 1036 = 1033): DemoAgent {
  const domainname = `${key}@switchboard.dev`;
  return { key, id: id(0x700 + n), statusId: id(0x800 + n), fullname, domainname, token: `dev:${domainname}`, role, queues, presence, capacityMax, languageId };
}

// Alice and Bruno share the web queue (consult and transfer need two agents of one queue);
// Chloé works billing and SMS, in French; Sam supervises and takes nothing by default (Offline).
export const AGENTS: DemoAgent[] = [
  agent(1, 'alice', 'Alice Martin', 'agent', ['web', 'sms'], BasePresence.Available, 2),
  agent(2, 'bruno', 'Bruno Petit', 'agent', ['web', 'billing'], BasePresence.Available, 3),
  agent(3, 'chloe', 'Chloé Durand', 'agent', ['billing', 'sms'], BasePresence.Away, 3, 1036),
  agent(4, 'sam', 'Sam Leroy', 'supervisor', ['web', 'billing', 'sms'], BasePresence.Offline, 5),
];

export const CONTACTS = [
  { id: id(0x901), firstname: 'Camille', lastname: 'Bernard', emailaddress1: 'camille@example.com', mobilephone: '+33612345678' },
  { id: id(0x902), firstname: 'Dana', lastname: 'Whitfield', emailaddress1: 'dana@example.com', mobilephone: '+13175550147' },
  { id: id(0x903), firstname: 'Émile', lastname: 'Roux', emailaddress1: 'emile@example.com', mobilephone: '+33698765432' },
];

export const ACCOUNTS = [
  { id: id(0xa01), name: 'Contoso Bikes', telephone1: '+14255550123' },
  { id: id(0xa02), name: 'Fabrikam Café', telephone1: '+33145678901' },
];

/** Channel secret setting names (on the rows) and their dev values (given to the functions host as env). */
export const CHANNEL_SECRETS = {
  SWB_TWILIO_DEMO_TOKEN: 'demo-twilio-auth-token-0123456789',
  SWB_TELESIGN_DEMO_APIKEY: Buffer.from('demo-telesign-api-key-0123456789').toString('base64'),
  SWB_ACS_DEMO_CONNECTION: '', // filled by the stack: it contains the stand-in's URL
  SWB_ACS_DEMO_EVENTGRID_KEY: 'demo-acs-event-grid-key-0123456789',
} as const;

export const ACS_ACCESS_KEY = Buffer.from('demo-acs-access-key-0123456789ab').toString('base64');
export const TWILIO_ACCOUNT_SID = 'AC5eed0000000000000000000000000001';
export const TELESIGN_CUSTOMER_ID = '5EED0000-DEMO-4000-8000-000000000001';

export interface DemoChannel {
  key: 'twilio' | 'telesign' | 'acs';
  id: string;
  name: string;
  provider: Provider;
  number: string;
  region: string;
  /** A customer number of the channel's country, as people there write it (the phone simulator's default). */
  sampleCustomer: string;
}

export const CHANNELS: DemoChannel[] = [
  { key: 'twilio', id: IDS.channels.twilio, name: 'Twilio — Support US', provider: Provider.Twilio, number: '+13175550100', region: 'US', sampleCustomer: '(317) 555-0147' },
  { key: 'telesign', id: IDS.channels.telesign, name: 'TeleSign — Support FR', provider: Provider.TeleSign, number: '+33757000100', region: 'FR', sampleCustomer: '06 12 34 56 78' },
  { key: 'acs', id: IDS.channels.acs, name: 'ACS — Support UK', provider: Provider.Acs, number: '+447400900100', region: 'GB', sampleCustomer: '07700 900123' },
];

export function channelRow(c: DemoChannel): Record<string, unknown> {
  const base = {
    swb_name: c.name,
    swb_channeltype: ChannelType.Sms,
    swb_provider: c.provider,
    swb_phonenumber: c.number,
    swb_defaultregion: c.region,
    swb_isenabled: true,
    'swb_workstreamid@odata.bind': `/swb_workstreams(${IDS.workstreams.sms})`,
  };
  switch (c.key) {
    case 'twilio':
      return { ...base, swb_accountid: TWILIO_ACCOUNT_SID, swb_secretsettingname: 'SWB_TWILIO_DEMO_TOKEN' };
    case 'telesign':
      return { ...base, swb_accountid: TELESIGN_CUSTOMER_ID, swb_secretsettingname: 'SWB_TELESIGN_DEMO_APIKEY' };
    case 'acs':
      return { ...base, swb_secretsettingname: 'SWB_ACS_DEMO_CONNECTION', swb_callbacksecretsettingname: 'SWB_ACS_DEMO_EVENTGRID_KEY' };
  }
}

export const PRE_CHAT_QUESTIONS = [
  { id: 'firstname', type: 'text', required: true, contactField: 'firstname', label: { 1033: 'First name', 1036: 'Prénom' } },
  { id: 'email', type: 'email', required: true, contactField: 'emailaddress1', label: { 1033: 'Email', 1036: 'Courriel' } },
  {
    id: 'topic',
    type: 'choice',
    required: false,
    label: { 1033: 'What is it about?', 1036: 'À quel sujet ?' },
    choices: [
      { value: 'order', label: { 1033: 'An order', 1036: 'Une commande' } },
      { value: 'billing', label: { 1033: 'Billing', 1036: 'Facturation' } },
    ],
  },
];

/** Where the stack runs the bot stand-ins, and the app settings that hold their secrets. */
export interface DemoBotEndpoints {
  directLineUrl: string;
  webhookBotUrl: string;
}

export const BOT_SECRETS = { SWB_BOT_FAQ_DIRECTLINE_SECRET: 'faq-bot-dev-secret', SWB_BOT_WEBHOOK_SECRET: 'webhook-bot-dev-secret' } as const;

export function botRows(endpoints: DemoBotEndpoints) {
  return [
    {
      id: IDS.bots.faq,
      data: {
        swb_name: 'FAQ bot',
        swb_kind: BotKind.DirectLine,
        swb_endpointurl: endpoints.directLineUrl,
        swb_secretsettingname: 'SWB_BOT_FAQ_DIRECTLINE_SECRET',
        swb_timeoutseconds: 5,
        swb_inactivityminutes: 30,
        swb_isenabled: true,
      },
    },
    {
      id: IDS.bots.webhook,
      data: {
        swb_name: 'Sample webhook bot',
        swb_kind: BotKind.Webhook,
        swb_endpointurl: endpoints.webhookBotUrl,
        swb_secretsettingname: 'SWB_BOT_WEBHOOK_SECRET',
        swb_timeoutseconds: 5,
        swb_inactivityminutes: 30,
        swb_isenabled: true,
      },
    },
  ];
}

/** A demo workstream's row: the seeded ones and the ones browser tests add differ in these only. */
export function workstreamData(name: string, channel: 'chat' | 'sms', fallbackQueueId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const chat = channel === 'chat';
  return {
    swb_name: name,
    swb_channeltype: chat ? ChannelType.LiveChat : ChannelType.Sms,
    swb_assignmentmethod: chat ? AssignmentMethod.HighestCapacity : AssignmentMethod.LeastActive,
    swb_capacityunits: 1,
    swb_offertimeoutseconds: chat ? 120 : 300,
    swb_declinelimit: 3,
    swb_wrapupblocking: WrapUpBlocking.UntilClosed,
    swb_allowedpresences: `${BasePresence.Available},${BasePresence.Busy}`,
    'swb_capacityprofileid@odata.bind': `/swb_capacityprofiles(${IDS.capacityProfiles.standard})`,
    'swb_fallbackqueueid@odata.bind': `/queues(${fallbackQueueId})`,
    ...extra,
  };
}

/** "Billing questions go to Billing" on a workstream: what both chat workstreams route by. */
function billingRule(name: string, workstreamId: string): Record<string, unknown> {
  return {
    swb_name: name,
    swb_kind: RoutingRuleKind.RouteToQueue,
    swb_order: 10,
    swb_condition: "context.topic = 'billing'",
    swb_isenabled: true,
    'swb_workstreamid@odata.bind': `/swb_workstreams(${workstreamId})`,
    'swb_targetqueueid@odata.bind': `/queues(${IDS.queues.billing})`,
  };
}

/** The help centre: a chat workstream the FAQ bot answers first, billing hand-offs to Billing. */
export function botChatRows(webOrigin: string) {
  return {
    workstream: {
      id: IDS.workstreams.botChat,
      data: workstreamData('Help centre chat (bot first)', 'chat', IDS.queues.web, { 'swb_botid@odata.bind': `/swb_bots(${IDS.bots.faq})` }),
    },
    rule: { id: id(0xb02), data: billingRule('Billing hand-offs go to Billing', IDS.workstreams.botChat) },
    widget: {
      id: IDS.botWidget,
      data: {
        swb_name: 'Help centre chat',
        swb_allowedorigins: [webOrigin, webOrigin.replace('127.0.0.1', 'localhost')].join('\n'),
        swb_prechatquestions: JSON.stringify(PRE_CHAT_QUESTIONS.filter((q) => q.id === 'firstname')),
        swb_defaultlocale: 'en',
        swb_isenabled: true,
        'swb_workstreamid@odata.bind': `/swb_workstreams(${IDS.workstreams.botChat})`,
        'swb_operatinghoursid@odata.bind': `/swb_operatinghourses(${IDS.operatingHours.always})`,
      },
    },
    // The page the customer asked from, for the bot and the agent alike.
    contextVariables: [{ id: id(0xc03), data: { swb_name: 'page', swb_type: ContextVariableType.Text, 'swb_chatwidgetid@odata.bind': `/swb_chatwidgets(${IDS.botWidget})` } }],
  };
}

export function rows(webOrigin: string) {
  const allDay = ['00:00', '24:00'];
  const week = (slots: string[][]) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, slots]));
  return {
    operatingHours: [
      { id: IDS.operatingHours.always, data: { swb_name: 'Always open', swb_timezone: 'UTC', swb_weeklyschedule: JSON.stringify(week([allDay])) } },
      {
        id: IDS.operatingHours.business,
        data: {
          swb_name: 'Paris business hours',
          swb_timezone: 'Europe/Paris',
          swb_weeklyschedule: JSON.stringify({ mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '17:00']] }),
          swb_holidays: JSON.stringify([{ date: '2026-12-25' }]),
        },
      },
    ],
    capacityProfiles: [{ id: IDS.capacityProfiles.standard, data: { swb_name: 'Standard', swb_maxunits: 3 } }],
    queues: [
      { id: IDS.queues.web, data: { name: 'Web support', swb_priority: 10, swb_assignmentmethod: AssignmentMethod.HighestCapacity, swb_isfallback: true } },
      { id: IDS.queues.billing, data: { name: 'Billing', swb_priority: 20, swb_assignmentmethod: AssignmentMethod.AdvancedRoundRobin } },
      { id: IDS.queues.sms, data: { name: 'SMS support', swb_priority: 10, swb_assignmentmethod: AssignmentMethod.LeastActive } },
    ],
    workstreams: [
      { id: IDS.workstreams.chat, data: workstreamData('Live chat', 'chat', IDS.queues.web) },
      { id: IDS.workstreams.sms, data: workstreamData('SMS', 'sms', IDS.queues.sms) },
    ],
    routingRules: [{ id: id(0xb01), data: billingRule('Billing questions go to Billing', IDS.workstreams.chat) }],
    widget: {
      id: IDS.widget,
      data: {
        swb_name: 'Demo shop chat',
        swb_allowedorigins: [webOrigin, webOrigin.replace('127.0.0.1', 'localhost')].join('\n'),
        swb_prechatquestions: JSON.stringify(PRE_CHAT_QUESTIONS),
        swb_defaultlocale: 'en',
        swb_isenabled: true,
        'swb_workstreamid@odata.bind': `/swb_workstreams(${IDS.workstreams.chat})`,
        'swb_operatinghoursid@odata.bind': `/swb_operatinghourses(${IDS.operatingHours.always})`,
      },
    },
    contextVariables: [
      { id: id(0xc01), data: { swb_name: 'cartTotal', swb_type: ContextVariableType.Number, 'swb_chatwidgetid@odata.bind': `/swb_chatwidgets(${IDS.widget})` } },
      { id: id(0xc02), data: { swb_name: 'page', swb_type: ContextVariableType.Text, 'swb_chatwidgetid@odata.bind': `/swb_chatwidgets(${IDS.widget})` } },
    ],
    templates: [
      { id: id(0xd01), data: { swb_name: 'Greeting', swb_kind: TemplateKind.QuickReply, swb_locale: 'en', swb_body: 'Hi {customer.firstname|there}, {agent.name} here. How can I help?' } },
      { id: id(0xd02), data: { swb_name: 'Salutation', swb_kind: TemplateKind.QuickReply, swb_locale: 'fr', swb_body: 'Bonjour {customer.firstname|}, ici {agent.name}. Comment puis-je vous aider ?' } },
      { id: id(0xd03), data: { swb_name: 'Order shipped', swb_kind: TemplateKind.MessageTemplate, swb_locale: 'en', swb_channeltype: ChannelType.Sms, swb_body: 'Hello {customer.firstname|}, your order has shipped.' } },
    ],
    // No "chat queued" message: the widget already tells a waiting customer, in their language,
    // that an agent will join ("Thanks! An agent will join shortly."), and a second line saying
    // the same in English only was noise. SMS has no such note, so it keeps its automatic reply.
    automatedMessages: [
      { id: id(0xe02), data: { swb_name: 'SMS received', swb_trigger: AutomatedMessageTrigger.ConversationStarted, swb_channeltype: ChannelType.Sms, swb_locale: 'en', swb_text: 'Thanks for your message, an agent will reply soon.', swb_isenabled: true } },
      { id: id(0xe03), data: { swb_name: 'SMS reçu', swb_trigger: AutomatedMessageTrigger.ConversationStarted, swb_channeltype: ChannelType.Sms, swb_locale: 'fr', swb_text: 'Merci pour votre message, un conseiller vous répondra bientôt.', swb_isenabled: true } },
    ],
  };
}
