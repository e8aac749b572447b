import { BasePresence } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { associationContext, executionContext, option, ref } from '../testing/contexts';
import { fakeDeps, TEST_CONFIG } from '../testing/fakes';

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

  it("the app's own presence write (routing filling an agent, a capacity recompute) routes nothing more: those writers route what follows themselves", async () => {
    const { deps, routingTrigger } = fakeDeps();
    const body = executionContext({
      message: 'Update', table: 'swb_agentstatus', id: ID, stage: 40, mode: 'async', userId: TEST_CONFIG.trustedUserIds[0],
      target: { swb_basepresence: option(BasePresence.DoNotDisturb) },
      postImages: { Image: { swb_agentid: ref('systemuser', AGENT) } },
    });
    expect((await handleStepWebhook('routing-config', body, deps)).status).toBe(200);
    expect(routingTrigger.items).toEqual([]);
  });
});

describe('routing configuration step on N:N membership', () => {
  const QUEUE = '33333333-3333-4333-8333-333333333333';
  const PROFILE = '44444444-4444-4444-8444-444444444444';

  it('an agent added to a queue re-routes that agent and that queue at once, whichever side the request named', async () => {
    for (const [target, related] of [[['queue', QUEUE], ['systemuser', AGENT]], [['systemuser', AGENT], ['queue', QUEUE]]] as [string, string][][]) {
      const { deps, routingTrigger } = fakeDeps();
      const body = associationContext({ message: 'Associate', relationship: 'queuemembership_association', target: target as [string, string], related: [related as [string, string]] });
      expect((await handleStepWebhook('routing-config', body, deps)).status).toBe(200);
      expect(routingTrigger.items.map((i) => i.work).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        { kind: 'route-agent', agentId: AGENT, reason: 'queuemembership_association Associate' },
        { kind: 'route-queue', queueId: QUEUE, reason: 'queuemembership_association Associate' },
      ]);
      expect(routingTrigger.items.every((i) => i.delaySeconds === undefined)).toBe(true);
    }
  });

  it('an agent removed from a queue, or from a capacity profile, re-routes them too', async () => {
    const { deps, routingTrigger } = fakeDeps();
    await handleStepWebhook('routing-config', associationContext({ message: 'Disassociate', relationship: 'queuemembership_association', target: ['queue', QUEUE], related: [['systemuser', AGENT]] }), deps);
    await handleStepWebhook('routing-config', associationContext({ message: 'Associate', relationship: 'swb_capacityprofile_systemuser', target: ['swb_capacityprofile', PROFILE], related: [['systemuser', AGENT]] }), deps);
    expect(routingTrigger.items.map((i) => i.work)).toEqual([
      { kind: 'route-queue', queueId: QUEUE, reason: 'queuemembership_association Disassociate' },
      { kind: 'route-agent', agentId: AGENT, reason: 'queuemembership_association Disassociate' },
      { kind: 'route-agent', agentId: AGENT, reason: 'swb_capacityprofile_systemuser Associate' },
    ]);
  });

  it('any other relationship in the organisation is acknowledged and ignored', async () => {
    const { deps, routingTrigger } = fakeDeps();
    const body = associationContext({ message: 'Associate', relationship: 'systemuserroles_association', target: ['systemuser', AGENT], related: [['role', ID]] });
    const res = await handleStepWebhook('routing-config', body, deps);
    expect(res.status).toBe(200);
    expect(routingTrigger.items).toEqual([]);
  });
});
