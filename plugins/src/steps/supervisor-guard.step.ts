// The supervisor's writes that are not a conversation move (those are conversation-guard's):
//
// - Monitoring is a read, and a read fires no step, so the desk records it as a write: a Monitor
//   row of the audit table, created by the supervisor before the transcript opens. This step
//   holds that row to the truth: a Monitor action, in the caller's own name, on a conversation
//   of a queue they supervise (their own conversations too). Every other kind of audit row is
//   the app's (supervisor-audit step) and refused here.
// - Presence belongs to the agent. A table privilege cannot say "your own row, or the rows of
//   agents in your queues", so the Supervisor role's organization-wide write on status rows is
//   narrowed here: the agent themselves, or a supervisor of one of the agent's queues.
//
// Pre-operation, synchronous: a refusal rolls the write back, and the person reads why in their
// language.
import { SupervisorAction } from '@switchboard/solution';
import { type StepContext, numberValue, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { isTrusted, refuse, sentColumns } from './caller';
import { supervisedQueues, supervises } from './supervisor-scope';

const PRE_IMAGE = 'PreImage';

/**
 * What a Monitor row may carry; the rest (agent, forced, presence, time) is the app's to write.
 * organizationid, statecode and statuscode are the platform's on an organization-owned row.
 */
const MONITOR_COLUMNS = new Set(['swb_name', 'swb_action', 'swb_supervisorid', 'swb_conversationid', 'swb_queueid', 'organizationid', 'statecode', 'statuscode']);

async function checkMonitor(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const t = ctx.target?.attributes ?? {};
  // Columns left at their default (a false flag, an empty lookup) say nothing; a value does.
  const extra = sentColumns(ctx, 'swb_supervisoractionid').filter((c) => !MONITOR_COLUMNS.has(c) && t[c] !== null && t[c] !== false);
  if (numberValue(t['swb_action']) !== SupervisorAction.Monitor || extra.length > 0 || refId(t['swb_supervisorid']) !== ctx.initiatingUserId) {
    return refuse(ctx, deps, 'supervisor.auditOnlyMonitor', 'supervisor.auditOnlyMonitor');
  }
  const conversationId = refId(t['swb_conversationid']);
  const conversation = conversationId ? await deps.data.getConversation(conversationId) : null;
  const queue = conversation?.row._swb_queueid_value?.toLowerCase() ?? null;
  if (!conversation || !(await supervises(ctx.initiatingUserId, queue, deps))) return refuse(ctx, deps, 'supervisor.notSupervisorOf', 'supervisor.notSupervisorOf');
  if ('swb_queueid' in t && refId(t['swb_queueid']) !== queue) return refuse(ctx, deps, 'supervisor.auditOnlyMonitor', 'supervisor.auditOnlyMonitor');
  return ok('a supervisor of the queue monitors');
}

async function checkPresence(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const agent = refId(ctx.preImages[PRE_IMAGE]?.attributes['swb_agentid']);
  if (agent && agent === ctx.initiatingUserId) return ok("the agent's own presence");
  if (agent) {
    const mine = await supervisedQueues(ctx.initiatingUserId, deps);
    if (mine.size > 0 && (await deps.data.listUserQueues(agent)).some((q) => mine.has(q.toLowerCase()))) return ok("a supervisor of one of the agent's queues");
  }
  return refuse(ctx, deps, 'presence.notYours', 'presence.notYours');
}

export const supervisorGuardStep: StepDefinition = {
  name: 'supervisor-guard',
  description: "Refuses audit rows other than a supervisor's own Monitor of a conversation of their queue, and presence changes by anyone but the agent or a supervisor of their queue.",
  triggers: [
    {
      message: 'Create',
      table: 'swb_supervisoraction',
      stage: 20,
      mode: 'sync',
      rank: 1,
      description: 'swb_supervisoraction Create: a supervisor records only their own Monitor, of a conversation of their queue',
    },
    {
      message: 'Update',
      table: 'swb_agentstatus',
      stage: 20,
      mode: 'sync',
      rank: 1,
      filteringAttributes: ['swb_basepresence', 'swb_presencelabel', 'swb_manualoverride', 'swb_overridesetton', 'swb_connectionstate', 'swb_heartbeaton', 'swb_disconnectedon'],
      images: [{ alias: PRE_IMAGE, type: 'pre', attributes: ['swb_agentid'] }],
      description: "swb_agentstatus Update (presence, connection): the agent, or a supervisor of one of the agent's queues",
    },
  ],
  async handler(ctx, deps) {
    if (isTrusted(ctx, deps)) return ok('trusted service user');
    if (ctx.primaryEntityName === 'swb_supervisoraction') return checkMonitor(ctx, deps);
    return checkPresence(ctx, deps);
  },
};
