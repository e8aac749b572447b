// Routing configuration changes take effect on the next routing decision, not after the
// commercial product's 15-minute cache: each change enqueues routing work at once, naming what
// changed so the worker drops its cached configuration and re-evaluates what waits.
//
// Post-operation, async: a failed enqueue must not roll back an admin's save, and Dataverse's
// async service retries until the queue takes it (usually within seconds).
import { refId } from '../context/execution-context';
import type { RoutingWork } from '../ports';
import type { StepDefinition, StepTrigger } from '../step';
import { ok } from '../step';

const IMAGE = 'Image';

const QUEUE_ROUTING_COLUMNS = [
  'swb_priority', 'swb_assignmentmethod', 'swb_itemlimit', 'swb_maxwaitseconds', 'swb_overflowconditions',
  'swb_overflowaction', 'swb_overflowqueueid', 'swb_overflowmessageid', 'swb_isfallback', 'swb_operatinghoursid', 'statecode',
];
// Capacity in use is deliberately absent: the routing engine and the conversation-state step
// write it on every assignment and release and wake routing themselves.
const AGENT_STATUS_COLUMNS = ['swb_basepresence', 'swb_capacitymax', 'swb_connectionstate', 'swb_manualoverride', 'swb_defaultpresence'];

// `imageColumns`: columns the handler needs on Update/Delete, where the Target may lack them.
const crud = (table: string, what: string, imageColumns?: string[]): StepTrigger[] =>
  (['Create', 'Update', 'Delete'] as const).map((message) => ({
    message,
    table,
    stage: 40 as const,
    mode: 'async' as const,
    rank: 1,
    ...(imageColumns && message !== 'Create' ? { images: [{ alias: IMAGE, type: message === 'Update' ? ('post' as const) : ('pre' as const), attributes: imageColumns }] } : {}),
    description: `${table} ${message}: ${what}`,
  }));

export const routingConfigStep: StepDefinition = {
  name: 'routing-config',
  description: 'Re-evaluates routing as soon as queues, workstreams, rules, capacity, presence or operating hours change.',
  triggers: [
    {
      message: 'Update',
      table: 'queue',
      stage: 40,
      mode: 'async',
      rank: 1,
      filteringAttributes: QUEUE_ROUTING_COLUMNS,
      description: 'queue Update: routing settings changed',
    },
    ...crud('swb_workstream', 'workstream changed'),
    ...crud('swb_routingrule', 'routing rule changed'),
    ...crud('swb_capacityprofile', 'capacity profile changed'),
    ...crud('swb_operatinghours', 'operating hours changed'),
    ...crud('swb_agentskill', 'agent skill changed', ['swb_agentid']),
    {
      message: 'Update',
      table: 'swb_agentstatus',
      stage: 40,
      mode: 'async',
      rank: 1,
      filteringAttributes: AGENT_STATUS_COLUMNS,
      images: [{ alias: IMAGE, type: 'post', attributes: ['swb_agentid'] }],
      description: 'swb_agentstatus Update: presence or maximum capacity changed',
    },
  ],
  async handler(ctx, deps) {
    const table = ctx.primaryEntityName;
    const reason = `${table} ${ctx.messageName}`;
    const work: RoutingWork[] = [];
    if (table === 'swb_agentstatus' || table === 'swb_agentskill') {
      const image = ctx.postImages[IMAGE] ?? ctx.preImages[IMAGE];
      const agentId = refId(ctx.target?.attributes['swb_agentid']) ?? refId(image?.attributes['swb_agentid']);
      if (agentId) work.push({ kind: 'route-agent', agentId, reason });
      else work.push({ kind: 'config-changed', table, id: ctx.primaryEntityId, message: ctx.messageName, reason });
    } else {
      work.push({ kind: 'config-changed', table, id: ctx.primaryEntityId, message: ctx.messageName, reason });
      if (table === 'queue') work.push({ kind: 'route-queue', queueId: ctx.primaryEntityId, reason });
    }
    for (const w of work) await deps.routingTrigger.enqueue(w);
    return ok(`enqueued ${work.map((w) => w.kind).join(', ')}`);
  },
};
