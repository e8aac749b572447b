// Onboarding an agent is one action for an admin — give the user the Switchboard Agent role — as
// the admin guide says: the agent-onboarding step (Associate on systemuserroles_association)
// adds the column-security profile and the status row, through the emulator's real webhooks.
import { BasePresence, metadata } from '@switchboard/solution';
import { startGuardedDataverse, type GuardedDataverse } from './guarded-dataverse';

let dv: GuardedDataverse;
beforeAll(async () => {
  dv = await startGuardedDataverse();
}, 60_000);
afterAll(() => dv.stop());

const until = async <T>(check: () => Promise<T | undefined | null | false>, ms = 5000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

test('a user given the Switchboard Agent role can work at once: status row Offline, capacity readable, nothing offered before they choose', async () => {
  const newcomer = dv.emulator.seedUser({ fullname: 'Nina New', domainname: 'nina@contoso.test' });
  const nina = dv.asUser('nina@contoso.test');
  const agentRole = metadata.roles.find((r) => r.name === 'Switchboard Agent')!.id;
  await dv.app.associate({ collection: 'systemusers', primaryKey: newcomer, relationshipName: 'systemuserroles_association', relatedCollection: 'roles', relatedKey: agentRole });
  const status = await until(async () =>
    (await nina.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_agentstatuses', filter: `_swb_agentid_value eq ${newcomer}`, select: ['swb_agentstatusid', 'swb_basepresence', 'swb_capacitymax'] })).value[0]);
  await until(async () => (await nina.retrieve<Record<string, unknown>>({ collection: 'swb_agentstatuses', key: String(status['swb_agentstatusid']), select: ['swb_capacitymax'] })).swb_capacitymax === 3);
  expect(status['swb_basepresence']).toBe(BasePresence.Offline);
  // Her own presence is hers to set; her capacity is not.
  await nina.update({ collection: 'swb_agentstatuses', key: String(status['swb_agentstatusid']), data: { swb_basepresence: BasePresence.Available, swb_manualoverride: true } });
  await expect(nina.update({ collection: 'swb_agentstatuses', key: String(status['swb_agentstatusid']), data: { swb_capacitymax: 10 } })).rejects.toMatchObject({ status: 403 });
  // Taking the role away: the profile goes, the status row stays, Offline.
  await dv.app.disassociate({ collection: 'systemusers', primaryKey: newcomer, relationshipName: 'systemuserroles_association', relatedKey: agentRole });
  await until(async () => (await dv.app.retrieve<Record<string, unknown>>({ collection: 'swb_agentstatuses', key: String(status['swb_agentstatusid']), select: ['swb_basepresence'] })).swb_basepresence === BasePresence.Offline);
  const profiles = await dv.app.retrieve<{ systemuserprofiles_association: unknown[] }>({ collection: 'systemusers', key: newcomer, select: ['systemuserid'], expand: [{ property: 'systemuserprofiles_association' }] });
  expect(profiles.systemuserprofiles_association).toEqual([]);
  expect(dv.webhookCalls.filter((c) => c.step === 'agent-onboarding' && c.status !== 200)).toEqual([]);
});
