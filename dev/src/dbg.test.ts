import { ChannelType } from '@switchboard/solution';
import { startStack } from './functions-on-emulator/stack.testing';
it('dbg', async () => {
  const stack = await startStack({ log: false });
  const api = stack.client.api.initializeInstance();
  api.startBatch();
  api.retrieveMultiple({ collection: 'contacts', select: ['contactid'], filter: `mobilephone eq '+1'` });
  api.retrieveMultiple({ collection: 'accounts', select: ['accountid'], top: 1 });
  api.retrieve({ collection: 'swb_optouts', key: `swb_phonenumber='+13175550188',swb_channelid=5eed0000-0000-4000-8000-000000000601`, select: ['swb_isoptedout'] });
  try { const r = await api.executeBatch({ inChangeSet: false }); console.log('OK', JSON.stringify(r)); } catch (e) { console.log('ERR', JSON.stringify(e)); }
  const api2 = stack.client.api.initializeInstance();
  api2.startBatch();
  api2.retrieveMultiple({ collection: 'contacts', select: ['contactid'], filter: `mobilephone eq '+1'` });
  api2.retrieveMultiple({ collection: 'accounts', select: ['accountid'], top: 1 });
  try { const r = await api2.executeBatch(); console.log('OK2', JSON.stringify(r)); } catch (e) { console.log('ERR2', JSON.stringify(e)); }
  const r3 = await stack.api.create({ collection: 'swb_conversations', data: { subject: 'deep', swb_state: 612400001, swb_channeltype: ChannelType.Sms, swb_lastmessagesequence: 2, swb_conversation_message_conversationid: [{ swb_name: 'a', swb_body: 'a', swb_sequence: 1 }, { swb_name: 'b', swb_body: 'b', swb_sequence: 2 }] }, returnRepresentation: true, select: ['activityid', 'swb_lastmessagesequence'] } as any).catch((e: any) => ({ err: e.message }));
  console.log('DEEP', JSON.stringify(r3));
  await stack.stop();
});
