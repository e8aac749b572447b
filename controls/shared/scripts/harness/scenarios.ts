// Demo data for screenshots and the render benchmark, seeded into the in-memory Web API.
import { AuthorKind, ChannelType, ConversationState, DeliveryStatus, IdentificationResult, MessageDirection, OfferResponse, Presence, SessionRole, SessionState, Sentiment, TemplateKind, Visibility } from '../../src';
import { InMemoryWebApi, createMockContext, prop, type MockContext } from '../../src/testing';

export const ME = '11111111-1111-4111-8111-111111111111';
export const CONV = 'aaaaaaaa-0000-4000-8000-000000000001';
const QUEUE = 'cccccccc-0000-4000-8000-000000000001';
const CONTACT = 'dddddddd-0000-4000-8000-000000000001';
const F = '@OData.Community.Display.V1.FormattedValue';
const WIDGET = 'ffffffff-0000-4000-8000-000000000001';

/** The chat widget's questions, as an admin writes them: labels per language, a choice, the name field. */
function widget(api: InMemoryWebApi): void {
  api.put('swb_chatwidget', {
    swb_chatwidgetid: WIDGET,
    swb_prechatquestions: JSON.stringify([
      { id: 'firstname', type: 'text', contactField: 'firstname', label: { 1033: 'First name', 1036: 'Prénom' } },
      { id: 'email', type: 'email', contactField: 'emailaddress1', label: { 1033: 'Email', 1036: 'Courriel' } },
      { id: 'order', type: 'text', label: { 1033: 'Order number', 1036: 'Numéro de commande' } },
      { id: 'topic', type: 'choice', label: { 1033: 'What is it about?', 1036: 'À quel sujet ?' }, choices: [{ value: 'billing', label: { 1033: 'Billing', 1036: 'Facturation' } }] },
    ]),
  });
}

const ago = (now: number, seconds: number) => new Date(now - seconds * 1000).toISOString();

export interface Mounted {
  mock: MockContext<unknown>;
  label?: string;
}

function ctx(strings: Record<string, string>, api: InMemoryWebApi, parameters: Record<string, unknown>, languageId: number): MockContext<unknown> {
  return createMockContext<unknown>({ parameters, strings, webAPI: api, userId: ME, userName: 'Avery Martin', languageId, height: -1, formRecordId: CONV });
}

function conversation(api: InMemoryWebApi, now: number, extra: Record<string, unknown> = {}): void {
  widget(api);
  api.put('swb_conversation', {
    activityid: CONV,
    subject: 'Chat with Ana Ruiz',
    swb_state: ConversationState.Active,
    swb_channeltype: ChannelType.LiveChat,
    _swb_queueid_value: QUEUE,
    [`_swb_queueid_value${F}`]: 'Billing',
    [`_swb_workstreamid_value${F}`]: 'Web chat — EU',
    _swb_primaryagentid_value: ME,
    _swb_customerid_value: CONTACT,
    [`_swb_customerid_value${F}`]: 'Ana Ruiz',
    '_swb_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'contact',
    swb_customername: 'Ana Ruiz',
    swb_identificationresult: IdentificationResult.Identified,
    swb_openedon: ago(now, 900),
    swb_queuedon: ago(now, 880),
    swb_firstassignedon: ago(now, 754),
    swb_activeon: ago(now, 754),
    _swb_chatwidgetid_value: WIDGET,
    swb_prechatanswers: JSON.stringify({ firstname: 'Ana', email: 'ana.ruiz@example.com', order: 'A-1042', topic: 'billing' }),
    swb_context: JSON.stringify({ pageUrl: 'https://shop.contoso.example/checkout/payment', cartTotal: 129.5, loyaltyTier: 'Gold' }),
    swb_sentiment: Sentiment.SlightlyNegative,
    ...extra,
  });
}

const transcript: [number, number, number, string, string | null, number | null][] = [
  // [author, direction, visibility, body, authorName, delivery]
  [AuthorKind.System, MessageDirection.Outbound, Visibility.Public, 'Conversation started from /checkout/payment', null, null],
  [AuthorKind.Bot, MessageDirection.Outbound, Visibility.Public, 'Hi! I am the Contoso assistant. What can I help you with?', 'Contoso bot', DeliveryStatus.Delivered],
  [AuthorKind.Customer, MessageDirection.Inbound, Visibility.Public, 'My card was charged twice for order A-1042.', 'Ana Ruiz', DeliveryStatus.Received],
  [AuthorKind.System, MessageDirection.Outbound, Visibility.Public, 'Avery Martin joined the conversation', null, null],
  [AuthorKind.Agent, MessageDirection.Outbound, Visibility.Public, 'Hi Ana, I am Avery from Billing. Let me check that order for you.', 'Avery Martin', DeliveryStatus.Delivered],
  [AuthorKind.Agent, MessageDirection.Outbound, Visibility.Internal, 'Two captures on the PSP dashboard, 2 minutes apart. Looks like the known retry bug.', 'Avery Martin', null],
  [AuthorKind.Customer, MessageDirection.Inbound, Visibility.Public, 'Thanks. Will I get the money back?\nI need it before Friday.', 'Ana Ruiz', DeliveryStatus.Received],
  [AuthorKind.Agent, MessageDirection.Outbound, Visibility.Public, 'Yes — I have refunded the duplicate charge of €129.50. It usually shows within 3 working days.', 'Avery Martin', DeliveryStatus.Sent],
  [AuthorKind.Customer, MessageDirection.Inbound, Visibility.Public, 'Great, and <b>thank you</b>!', 'Ana Ruiz', DeliveryStatus.Received],
];

/** `agent`: who wrote the agent's messages (a consultant reads the primary agent's). */
function seedPane(api: InMemoryWebApi, now: number, agent: { id: string; name: string } = { id: ME, name: 'Avery Martin' }): void {
  transcript.forEach(([author, direction, visibility, body, name, delivery], i) => {
    api.put('swb_message', {
      _swb_conversationid_value: CONV,
      swb_sequence: i + 1,
      swb_authorkind: author,
      swb_direction: direction,
      swb_visibility: visibility,
      swb_body: body,
      swb_authorname: author === AuthorKind.Agent ? agent.name : name,
      swb_deliverystatus: delivery,
      _swb_authoragentid_value: author === AuthorKind.Agent ? agent.id : null,
      createdon: ago(now, 760 - i * 70),
    });
  });
  api.put('swb_session', { _swb_conversationid_value: CONV, _swb_agentid_value: ME, swb_role: SessionRole.Primary, swb_state: SessionState.Active, swb_joinedon: ago(now, 754) });
  api.put('swb_messagetemplate', { statecode: 0, swb_name: 'Greeting', swb_kind: TemplateKind.QuickReply, swb_body: 'Hi {customer.firstname}, I am {agent.firstname}. How can I help?' });
  api.put('swb_messagetemplate', { statecode: 0, swb_name: 'Refund confirmation', swb_kind: TemplateKind.MessageTemplate, swb_body: 'Your refund for order {order.number} is on its way.' });
}

const COLLEAGUE = '22222222-2222-4222-8222-222222222222';

/** An SMS conversation where the customer texted STOP: the reply after it was refused, and says why. */
function seedOptedOut(api: InMemoryWebApi, now: number): void {
  const sms: [AuthorKind, MessageDirection, string, DeliveryStatus, string | null][] = [
    [AuthorKind.Customer, MessageDirection.Inbound, 'Bonjour, ma commande ?', DeliveryStatus.Received, null],
    [AuthorKind.Agent, MessageDirection.Outbound, 'Bonjour Émile, elle part demain.', DeliveryStatus.Delivered, null],
    [AuthorKind.Customer, MessageDirection.Inbound, 'STOP', DeliveryStatus.Received, null],
    [AuthorKind.Agent, MessageDirection.Outbound, 'Vous êtes toujours là ?', DeliveryStatus.Failed, 'recipient-opted-out: The recipient has opted out of texts on this channel (STOP).'],
  ];
  sms.forEach(([author, direction, body, delivery, error], i) =>
    api.put('swb_message', {
      _swb_conversationid_value: CONV, swb_sequence: i + 1, swb_authorkind: author, swb_direction: direction, swb_visibility: Visibility.Public, swb_body: body,
      swb_authorname: author === AuthorKind.Agent ? 'Avery Martin' : 'Émile Roux', swb_deliverystatus: delivery, swb_error: error,
      _swb_authoragentid_value: author === AuthorKind.Agent ? ME : null, createdon: ago(now, 300 - i * 60),
    }),
  );
  api.put('swb_session', { _swb_conversationid_value: CONV, _swb_agentid_value: ME, swb_role: SessionRole.Primary, swb_state: SessionState.Active, swb_joinedon: ago(now, 320) });
}

/**
 * variant 'consult': the agent was invited to consult (notes only); 'transferred': the agent handed
 * the conversation to a colleague and reads it read-only; 'opted-out': an SMS whose customer sent STOP.
 */
export function paneScenario(strings: Record<string, string>, now: number, languageId = 1033, messages = 0, variant = ''): Mounted[] {
  const api = new InMemoryWebApi();
  if (variant === 'opted-out') {
    conversation(api, now, { subject: 'SMS +33698765432', swb_channeltype: ChannelType.Sms, swb_customerphone: '+33698765432', swb_customername: 'Émile Roux', [`_swb_customerid_value${F}`]: 'Émile Roux' });
    seedOptedOut(api, now);
    return [{ mock: ctx(strings, api, { anchor: prop('x'), conversationId: prop(null), pollSeconds: prop(3), heightPx: prop(520) }, languageId) }];
  }
  conversation(api, now, variant ? { _swb_primaryagentid_value: COLLEAGUE, [`_swb_primaryagentid_value${F}`]: 'Bruno Petit' } : {});
  if (messages > 0) {
    for (let i = 1; i <= messages; i++) {
      const inbound = i % 3 !== 0;
      api.put('swb_message', {
        _swb_conversationid_value: CONV,
        swb_sequence: i,
        swb_authorkind: inbound ? AuthorKind.Customer : AuthorKind.Agent,
        swb_direction: inbound ? MessageDirection.Inbound : MessageDirection.Outbound,
        swb_visibility: i % 17 === 0 ? Visibility.Internal : Visibility.Public,
        swb_body: `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 5))}`,
        swb_authorname: inbound ? 'Ana Ruiz' : 'Avery Martin',
        swb_deliverystatus: inbound ? DeliveryStatus.Received : DeliveryStatus.Delivered,
        createdon: ago(now, messages - i),
      });
    }
  } else seedPane(api, now, variant === 'consult' ? { id: COLLEAGUE, name: 'Bruno Petit' } : undefined);
  if (variant) {
    const mine = api.rows('swb_session').find((r) => r._swb_agentid_value === ME)!;
    api.put('swb_session', variant === 'consult' ? { ...mine, swb_role: SessionRole.Consult } : { ...mine, swb_state: SessionState.Closed, swb_lefton: ago(now, 40) });
  }
  return [{ mock: ctx(strings, api, { anchor: prop('x'), conversationId: prop(null), pollSeconds: prop(3), heightPx: prop(620) }, languageId) }];
}

export function timerScenario(strings: Record<string, string>, now: number, languageId = 1033): Mounted[] {
  const cases: [string, Record<string, unknown>][] = [
    ['active', { swb_state: ConversationState.Active, swb_activeon: ago(now, 754) }],
    ['wrapup', { swb_state: ConversationState.WrapUp, swb_activeon: ago(now, 2000), swb_wrapupon: ago(now, 95) }],
    ['closed', { swb_state: ConversationState.Closed, swb_wrapupon: ago(now, 400), swb_closedon: ago(now, 130) }],
    ['left', { swb_state: ConversationState.Active, swb_activeon: ago(now, 900), _swb_primaryagentid_value: COLLEAGUE }],
  ];
  return cases.map(([label, row], i) => {
    const api = new InMemoryWebApi();
    const id = `aaaaaaaa-0000-4000-8000-00000000010${i}`;
    api.put('swb_conversation', { activityid: id, swb_openedon: ago(now, 3000), ...row });
    // Transferred away: the agent's session closed 6 min 12 s after it began.
    if (label === 'left') api.put('swb_session', { _swb_conversationid_value: id, _swb_agentid_value: ME, swb_role: SessionRole.Primary, swb_state: SessionState.Closed, swb_joinedon: ago(now, 900), swb_lefton: ago(now, 528) });
    return { label, mock: ctx(strings, api, { anchor: prop('x'), conversationId: prop(id), refreshSeconds: prop(15) }, languageId) };
  });
}

export function summaryScenario(strings: Record<string, string>, now: number, languageId = 1033): Mounted[] {
  const sections = (extra: Record<string, unknown>) => ({
    anchor: prop('x'),
    conversationId: prop(null),
    showCustomer: prop(true),
    showRouting: prop(true),
    showPreChat: prop(true),
    showContext: prop(true),
    showSentiment: prop(true),
    showHistory: prop(true),
    historyCount: prop(5),
    ...extra,
  });
  const identified = new InMemoryWebApi();
  conversation(identified, now);
  identified.put('swb_conversation', { activityid: 'aaaaaaaa-0000-4000-8000-000000000002', _swb_customerid_value: CONTACT, subject: 'Delivery address change', swb_state: ConversationState.Closed, swb_openedon: '2026-10-02T09:12:00Z' });
  identified.put('swb_conversation', { activityid: 'aaaaaaaa-0000-4000-8000-000000000003', _swb_customerid_value: CONTACT, subject: 'Invoice copy', swb_state: ConversationState.Closed, swb_openedon: '2026-08-17T15:40:00Z' });
  const ambiguous = new InMemoryWebApi();
  conversation(ambiguous, now, {
    _swb_customerid_value: null,
    swb_channeltype: ChannelType.Sms,
    swb_customerphone: '+33612345678',
    swb_customername: null,
    swb_identificationresult: IdentificationResult.Ambiguous,
    swb_candidateids: JSON.stringify([{ table: 'contact', id: CONTACT }, { table: 'account', id: 'eeeeeeee-0000-4000-8000-000000000001' }]),
    swb_prechatanswers: null,
    swb_context: JSON.stringify({ to: '+33757000100', provider: 'telesign' }),
    swb_firstassignedon: null,
    [`_swb_workstreamid_value${F}`]: 'SMS — France',
  });
  ambiguous.put('contact', { contactid: CONTACT, fullname: 'Ana Ruiz' });
  ambiguous.put('account', { accountid: 'eeeeeeee-0000-4000-8000-000000000001', name: 'Ruiz Bakery SARL' });
  return [
    { label: 'identified', mock: ctx(strings, identified, sections({}), languageId) },
    { label: 'ambiguous', mock: ctx(strings, ambiguous, sections({ showSentiment: prop(false), showHistory: prop(false) }), languageId) },
  ];
}

export function inboxScenario(strings: Record<string, string>, now: number, languageId = 1033): Mounted[] {
  const api = new InMemoryWebApi();
  widget(api);
  // Capacity put the agent in Busy: three of four units in use (two conversations, one offer).
  api.put('swb_agentstatus', { _swb_agentid_value: ME, swb_basepresence: Presence.Busy, swb_manualoverride: false, swb_capacityused: 3, swb_capacitymax: 4 });
  const offer = (i: number, queue: string, expiresIn: number, row: Record<string, unknown>) => {
    const id = `aaaaaaaa-0000-4000-8000-00000000020${i}`;
    api.put('swb_conversation', { activityid: id, swb_state: ConversationState.Waiting, ...row });
    api.put('swb_offer', {
      _swb_conversationid_value: id,
      [`_swb_queueid_value${F}`]: queue,
      _swb_agentid_value: ME,
      swb_response: OfferResponse.Pending,
      swb_offeredon: ago(now, 60 - i),
      swb_expireson: new Date(now + expiresIn * 1000).toISOString(),
    });
  };
  // An identified contact on chat, someone who gave only a first name, and a number nobody matches.
  offer(1, 'Billing', 87, { swb_channeltype: ChannelType.LiveChat, _swb_customerid_value: CONTACT, [`_swb_customerid_value${F}`]: 'Ana Ruiz', swb_queuedon: ago(now, 42) });
  offer(2, 'Web support', 26, { swb_channeltype: ChannelType.LiveChat, _swb_chatwidgetid_value: WIDGET, swb_prechatanswers: JSON.stringify({ firstname: 'Jules', email: 'jules@example.com' }), swb_queuedon: ago(now, 95) });
  offer(3, 'SMS support', 8, { swb_channeltype: ChannelType.Sms, swb_customerphone: '+447700900123', swb_queuedon: ago(now, 292) });
  const open = (i: number, name: string, state: number) =>
    api.put('swb_conversation', { activityid: `aaaaaaaa-0000-4000-8000-00000000030${i}`, _swb_primaryagentid_value: ME, swb_state: state, swb_customername: name, swb_activeon: ago(now, 100 * i) });
  open(1, 'Bo Chen', ConversationState.Active);
  open(2, 'Fatima Zahra', ConversationState.WrapUp);
  return [{ mock: ctx(strings, api, { anchor: prop('x'), pollSeconds: prop(5) }, languageId) }];
}

export const scenarios = {
  CommunicationPane: paneScenario,
  SessionTimer: timerScenario,
  ConversationSummary: summaryScenario,
  AgentInbox: inboxScenario,
} as const;
