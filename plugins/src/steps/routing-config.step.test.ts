import { BasePresence } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { executionContext, option, ref } from '../testing/contexts';
import { fakeDeps } from '../testing/fakes';

const AGENT = '22222222-2222-4222-8222-222222222222';
const ID = '6d000000-0000-4000-8000-000000000001';

describe('routing configuration step', () => {
  it('a queue setting change drops cached configuration and re-routes that queue at once', async () => {
    const { deps, routingTrigger } = fakeDeps();
    const body = executionContext({ message: 'Update', table: 'queue', id: ID, stage: 40, mode: 'async', target: { swb_priority: 10 } });
    expect((await handleStepWebhook('routing-config', body, deps)).status).toBe(200);
    expect(routingTrigger.items.map((i) => i.work)).toEqual([
      { kind: 'config-changed', table: 'queue', id: ID, message: 'Update', reason: 'queue Update' },
      { kind: 'route-queue', queueId: ID, reason: 'queue Update' },
    ]);
    expect(routingTrigger.items.every((i) => i.delaySeconds === undefined)).toBe(true);
  });

  it.each(['swb_workstream', 'swb_routingrule', 'swb_capacityprofile', 'swb_operatinghours'])('a %s deletion is picked up too', async (table) => {
    const { deps, routingTrigger } = fakeDeps();
    const body = executionContext({ message: 'Delete', table, id: ID, stage: 40, mode: 'async', preImages: { Image: {} } });
    await handleStepWebhook('routing-config', body, deps);
    expect(routingTrigger.items).toEqual([{ work: { kind: 'config-changed', table, id: ID, message: 'Delete', reason: `${table} Delete` } }]);
  });

  it("an agent becoming Available routes work to that agent, found through the status row's image", async () => {
    const { deps, routingTrigger } = fakeDeps();
    const body = executionContext({
      message: 'Update', table: 'swb_agentstatus', id: ID, stage: 40, mode: 'async',
      target: { swb_basepresence: option(BasePresence.Available) },
      postImages: { Image: { swb_agentid: ref('systemuser', AGENT) } },
    });
    await handleStepWebhook('routing-config', body, deps);
    expect(routingTrigger.items).toEqual([{ work: { kind: 'route-agent', agentId: AGENT, reason: 'swb_agentstatus Update' } }]);
  });
});
