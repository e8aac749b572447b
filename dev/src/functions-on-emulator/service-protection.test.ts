// The product under Dataverse's service protection: the emulator refuses the application user
// past a budget (429 with Retry-After, as Dataverse does), and texts arriving faster than the
// budget allows are still all stored and offered — the client waits as told, nothing is lost.
import { ChannelType, OfferResponse } from '@switchboard/solution';
import { postSignedTwilio, seedRouting, seedTwilioChannel, startStack, twilioInbound, type Stack } from './stack.testing';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { budget: 'requests:30,window:2' } });
});
afterAll(() => stack.stop());

function postSms(channelId: string, from: string, sid: string): Promise<Response> {
  return postSignedTwilio(stack, `/api/sms/twilio/${channelId}`, twilioInbound(sid, from, 'hello'));
}

it('texts arriving faster than the per-user budget allows are all stored and offered: the 429s are waited out, none is lost or doubled', async () => {
  const channelId = await seedTwilioChannel(stack.api);
  const seed = await seedRouting(stack.api, ChannelType.Sms, [{ name: 'Guarded A', queue: 'main', max: 1000 }, { name: 'Guarded B', queue: 'main', max: 1000 }]);
  await stack.api.update({ collection: 'swb_channels', key: channelId, data: { 'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})` } });
  await new Promise((r) => setTimeout(r, 2_100)); // a fresh window
  const before = stack.emulator.stats().totals.throttled;
  const statuses = await Promise.all(Array.from({ length: 12 }, async (_, i) => (await postSms(channelId, `+1317559${String(i).padStart(4, '0')}`, `SM${String(9000 + i).padStart(32, '0')}`)).status));
  expect(statuses).toEqual(Array(12).fill(200));
  await stack.drain();
  const throttled = stack.emulator.stats().totals.throttled - before;
  // The budget was really met (12 texts need more than 30 requests in 2 s) and waited out.
  expect(throttled).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 2_100));
  const conversations = (await stack.api.retrieveMultiple<{ activityid: string }>({ collection: 'swb_conversations', select: ['activityid'], filter: `_swb_channelid_value eq ${channelId}` })).value;
  expect(conversations).toHaveLength(12);
  await new Promise((r) => setTimeout(r, 2_100));
  const offers = (await stack.api.retrieveMultiple<{ _swb_conversationid_value: string }>({ collection: 'swb_offers', select: ['_swb_conversationid_value'], filter: `swb_response eq ${OfferResponse.Pending}` })).value;
  expect(new Set(offers.map((o) => o._swb_conversationid_value))).toEqual(new Set(conversations.map((c) => c.activityid)));
  expect(offers).toHaveLength(12);
}, 60_000);
