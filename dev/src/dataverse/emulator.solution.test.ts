// The emulator on the real Switchboard model (solution/src/generated/metadata.ts): every table
// gets a schema, and the paths the functions app relies on work end to end.
import { metadata, model } from '@switchboard/solution';
import { choiceLabelsFromModel } from './choice-labels';
import { DynamicsWebApi } from 'dynamics-web-api';
import { type Emulator, createEmulator } from './emulator';

let emu: Emulator;
let api: DynamicsWebApi;
const option = (table: string, column: string) => metadata.entities[table].attributes[column].options![0];

beforeAll(async () => {
  emu = createEmulator({ metadata, db: ':memory:', choiceLabels: choiceLabelsFromModel(model) });
  await emu.listen(0);
  api = new DynamicsWebApi({ serverUrl: emu.url.replace('/api/data/v9.2/', ''), dataApi: { version: '9.2' }, onTokenRefresh: async () => emu.appToken, propagateErrors: true });
});
afterAll(() => emu.close());

it('every table of the model can be queried', async () => {
  for (const e of Object.values(metadata.entities)) {
    const r = await api.retrieveMultiple({ collection: e.entitySetName, top: 1 });
    expect(Array.isArray(r.value)).toBe(true);
  }
});

it('an inbound SMS path: find the contact by phone, open a conversation, upsert the message by provider id', async () => {
  const contact: string = await api.create({ collection: 'contacts', data: { firstname: 'Sam', lastname: 'Sms', mobilephone: '+447700900123' } });
  expect((await api.retrieve({ collection: 'contacts', key: contact, select: ['fullname'] })).fullname).toBe('Sam Sms');
  const found = await api.retrieveMultiple({ collection: 'contacts', filter: "mobilephone eq '+447700900123'", select: ['contactid'] });
  expect(found.value.map((c: { contactid: string }) => c.contactid)).toEqual([contact]);
  const channel: string = await api.create({
    collection: 'swb_channels',
    data: { swb_name: 'Twilio UK', swb_channeltype: option('swb_channel', 'swb_channeltype'), swb_provider: option('swb_channel', 'swb_provider') },
  });
  const conversation: string = await api.create({
    collection: 'swb_conversations',
    data: {
      subject: 'SMS from +447700900123', swb_state: option('swb_conversation', 'swb_state'), swb_channeltype: option('swb_conversation', 'swb_channeltype'),
      'swb_channelid@odata.bind': `/swb_channels(${channel})`, 'swb_customerid_contact@odata.bind': `/contacts(${contact})`,
    },
  });
  const key = `swb_channelid=${channel},swb_providermessageid='SM123'`;
  const message = {
    swb_body: 'Hello', swb_sequence: 1, swb_direction: option('swb_message', 'swb_direction'), swb_authorkind: option('swb_message', 'swb_authorkind'),
    swb_visibility: option('swb_message', 'swb_visibility'), 'swb_conversationid@odata.bind': `/swb_conversations(${conversation})`,
  };
  await api.upsert({ collection: 'swb_messages', key, data: message, ifnonematch: '*' });
  // a provider retry is refused by the create-only upsert, so no second message exists
  expect(await api.upsert({ collection: 'swb_messages', key, data: message, ifnonematch: '*' }).catch((e) => e.status)).toBe(412);
  const conv = await api.retrieve({
    collection: 'swb_conversations', key: conversation, select: ['activitytypecode', '_swb_customerid_value', 'swb_state', 'statecode'],
    expand: [{ property: 'swb_conversation_message_conversationid', select: ['swb_body'] }],
    includeAnnotations: '*',
  });
  expect(conv.activitytypecode).toBe('swb_conversation');
  const stateChoice = model.choices.find((c) => c.name === model.tables.find((t) => t.logicalName === 'swb_conversation')!.columns.find((c2) => c2.logicalName === 'swb_state')!.choice)!;
  expect(conv['swb_state@OData.Community.Display.V1.FormattedValue']).toBe(stateChoice.options.find((o) => o.value === conv.swb_state)!.label[1033]);
  // an activity's state is Open/Completed/Canceled/Scheduled (activitypointer), not Active/Inactive
  expect(conv['statecode@OData.Community.Display.V1.FormattedValue']).toBe('Open');
  expect(conv['_swb_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('contact');
  expect(conv['_swb_customerid_value@OData.Community.Display.V1.FormattedValue']).toBe('Sam Sms');
  expect(conv.swb_conversation_message_conversationid.map((m: { swb_body: string }) => m.swb_body)).toEqual(['Hello']);
});
