// Routing configuration changes take effect on the next routing decision, not after the
// commercial product's 15-minute cache: each change enqueues routing work at once, naming what
// changed so the worker drops its cached configuration and re-evaluates what waits.
//
// Post-operation, async: a failed enqueue must not roll back an admin's save, and Dataverse's
// async service retries until the queue takes it (usually within seconds).
import { refId } from '../context/execution-context';
import type { RoutingWork } from '@switchboard/core';
import type { StepDefinition, StepTrigger } from '../step';
import { ok } from '../step';
import { isTrusted } from './caller';

const IMAGE = 'Image';

const QUEUE_ROUTING_COLUMNS = [
  'swb_priority', 'swb_assignmentmethod', 'swb_itemlimit', 'swb_maxwaitseconds', 'swb_overflowconditions',
  'swb_overflowaction', 'swb_overflowqueueid', 'swb_overflowmessageid', 'swb_isfallback', 'swb_operatinghoursid', 'statecode',
];
// Capacity in use is deliberately absent: the routing engine and the conversation-state step
// write it on every assignment and release and wake routing themselves.
const AGENT_STATUS_COLUMNS = ['swb_basepresence', 'swb_capacitymax', 'swb_connectionstate', 'swb_manualoverride', 'swb_defaultpresence'];

// N:N memberships routing reads. Associate/Disassociate steps are registered on no table and
// see every relationship in the organisation, so anything else is acknowledged and ignored.
const MEMBERSHIPS = new Set(['queuemembership_association', 'swb_capacityprofile_systemuser']);

const membership = (message: 'Associate' | 'Disassociate'): StepTrigger => ({
  message,
  stage: 40,
  mode: 'async',
  rank: 1,
  description: `${message}: queue membership or capacity profile of an agent changed`,
});

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
    ...crud('swb_bot', 'bot changed'),
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
    membership('Associate'),
    membership('Disassociate'),
  ],
  async handler(ctx, deps) {
    const table = ctx.primaryEntityName;
    const reason = `${table} ${ctx.messageName}`;
    const work: RoutingWork[] = [];
    if (ctx.relationship) {
      // An agent joined or left a queue (or a capacity profile): both sides re-route now, the
      // queue with its new members and the agent with its new queues (the worker reads both fresh).
      const rel = ctx.relationship.schemaName.toLowerCase();
      if (!MEMBERSHIPS.has(rel)) return ok(`not routing configuration: ${ctx.relationship.schemaName}`);
      const why = `${rel} ${ctx.messageName}`;
      const seen = new Set<string>();
      for (const row of [ctx.target!, ...ctx.relationship.relatedEntities]) {
        if (seen.has(`${row.logicalName}:${row.id}`)) continue;
        seen.add(`${row.logicalName}:${row.id}`);
        if (row.logicalName === 'systemuser') work.push({ kind: 'route-agent', agentId: row.id, reason: why });
        else if (row.logicalName === 'queue') work.push({ kind: 'route-queue', queueId: row.id, reason: why });
      }
    } else if (table === 'swb_agentstatus' && isTrusted(ctx, deps)) {
      // The app's own presence writes follow from capacity: routing's claim takes room away (nothing
      // to route), and the recompute that gives room back enqueues route-agent itself. Routing
      // again here would cost a pass over each of the agent's queues for nothing.
      return ok("the app's own presence write: it routes what follows itself");
    } else if (table === 'swb_agentstatus' || table === 'swb_agentskill') {
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
