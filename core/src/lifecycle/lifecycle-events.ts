// What a lifecycle event does to the routing engine's working copy. The conversation record
// moves by conversation-lifecycle.ts's rules (the same functions the plugin steps use on
// rows); capacity follows: an accepted offer's reservation becomes the primary agent's load,
// wrap-up keeps or releases it by the workstream's blocking, close and transfer release it,
// a consult holds none. A conversation that goes back to routing (reopen, transfer to a
// queue) is queued again by the engine (Requeue).
import { hasCapacityFor, wrapUpReleaseAt } from '../capacity/capacity';
import { ok, type Result } from '../result';
import type { EpochMs } from '../time';
import { remainingUnits } from '../routing/agent-pool';
import { type PreparedConfig, prepareConfig } from '../routing/prepared-config';
import type { RoutingConfig, WorkstreamConfig } from '../routing/routing-config';
import { type DecisionContext, type Decisions, type EngineError, type QueuedReason, type RoutingDecision, fail } from '../routing/routing-decision';
import type { WorkItem } from '../routing/work-item';
import type { WorkingCopy } from '../routing/working-copy';
import {
  assignPrimary,
  endConsult as endConsultRecord,
  primaryAgentOf,
  reopen as reopenRecord,
  startConsult as startConsultRecord,
  transferToAgent as transferToAgentRecord,
  transferToQueue as transferToQueueRecord,
  transition,
} from './conversation-lifecycle';

/** The engine's routing of a conversation that needs a queue again. */
export interface Requeue {
  classifyAndQueue(item: WorkItem, ws: WorkstreamConfig, cfg: PreparedConfig, ctx: DecisionContext, now: EpochMs, reason: QueuedReason, out: RoutingDecision[]): void;
  enqueue(item: WorkItem, queueId: string, reason: QueuedReason, ruleId: string | null, cfg: PreparedConfig, now: EpochMs, out: RoutingDecision[]): void;
}

function offeredTo(copy: WorkingCopy, conversationId: string, agentId: string, now: EpochMs): Result<WorkItem, EngineError> {
  const item = copy.items.get(conversationId);
  if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
  if (item.status !== 'offered' || item.offer?.agentId !== agentId) return fail('engine.noOffer', `Conversation ${conversationId} is not offered to ${agentId}`);
  if (now >= item.offer.expiresAt) return fail('engine.offerExpired', 'The offer has expired');
  return ok(item);
}

export function accept(copy: WorkingCopy, conversationId: string, agentId: string, ctx: DecisionContext): Decisions {
  const now = ctx.clock.now();
  const found = offeredTo(copy, conversationId, agentId, now);
  if (!found.ok) return found;
  const item = found.value;
  const assigned = assignPrimary(item.conversation, agentId, now);
  if (!assigned.ok) return fail(assigned.error.code, assigned.error.message);
  item.conversation = assigned.value;
  item.status = 'assigned';
  item.offer = null;
  const load = copy.pool.agents.get(agentId)!.loads.get(item.id);
  if (load) load.phase = 'active';
  return ok([{ kind: 'assigned', conversationId, agentId }]);
}

export function decline(copy: WorkingCopy, conversationId: string, agentId: string, ctx: DecisionContext): Decisions {
  const now = ctx.clock.now();
  const found = offeredTo(copy, conversationId, agentId, now);
  if (!found.ok) return found;
  const out: RoutingDecision[] = [];
  copy.endOffer(found.value, 'declined', now, out);
  return ok(out);
}

export function wrapUp(copy: WorkingCopy, conversationId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
  const found = copy.assignedItem(conversationId);
  if (!found.ok) return found;
  const item = found.value;
  const now = ctx.clock.now();
  const moved = transition(item.conversation, 'WrapUp', now);
  if (!moved.ok) return fail(moved.error.code, moved.error.message);
  const primary = primaryAgentOf(item.conversation);
  item.conversation = moved.value;
  const out: RoutingDecision[] = [{ kind: 'wrap-up', conversationId }];
  const agent = primary ? copy.pool.agents.get(primary) : undefined;
  const load = agent?.loads.get(item.id);
  if (agent && load) {
    load.phase = 'wrapup';
    const ws = prepareConfig(config).workstreams.get(item.workstreamId);
    const releaseAt = ws ? wrapUpReleaseAt(ws.wrapUpBlocking, now) : null;
    if (releaseAt !== null && releaseAt <= now) copy.release(agent, item.id, now, true, out);
    else if (ws) copy.trackWrapUp(item.id, agent.id, now, ws);
  }
  return ok(out);
}

/** Ends the conversation from any state: releases whatever capacity it held. */
export function close(copy: WorkingCopy, conversationId: string, ctx: DecisionContext): Decisions {
  const item = copy.items.get(conversationId);
  if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
  if (item.status === 'ended') return fail('lifecycle.invalidTransition', 'The conversation is already closed');
  const now = ctx.clock.now();
  const out: RoutingDecision[] = [];
  if (item.status === 'waiting') copy.takeOutOfQueue(item);
  if (item.status === 'offered' && item.offer) {
    const agent = copy.pool.agents.get(item.offer.agentId);
    if (agent) copy.release(agent, item.id, now, false, out);
    out.push({ kind: 'offer-ended', conversationId, agentId: item.offer.agentId, reason: 'withdrawn' });
  }
  if (item.status === 'assigned') {
    for (const p of item.conversation.participants) {
      const agent = copy.pool.agents.get(p.agentId);
      if (agent && p.leftOn === undefined) copy.release(agent, item.id, now, true, out);
    }
  }
  copy.end(item, now, 'closed', out);
  return ok(out);
}

export function reopen(copy: WorkingCopy, routing: Requeue, conversationId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
  const item = copy.items.get(conversationId);
  if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
  const now = ctx.clock.now();
  const reopened = reopenRecord(item.conversation, now);
  if (!reopened.ok) return fail(reopened.error.code, reopened.error.message);
  const cfg = prepareConfig(config);
  const ws = cfg.workstreams.get(item.workstreamId);
  if (!ws) return fail('engine.unknownWorkstream', `Workstream ${item.workstreamId} is not configured`);
  item.conversation = reopened.value;
  item.declines.clear();
  item.overflowHops = 0;
  const out: RoutingDecision[] = [{ kind: 'reopened', conversationId }];
  routing.classifyAndQueue(item, ws, cfg, ctx, now, 'reopen', out);
  return ok(out);
}

export function transferToAgent(copy: WorkingCopy, conversationId: string, byAgentId: string, toAgentId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
  const found = copy.assignedItem(conversationId);
  if (!found.ok) return found;
  const item = found.value;
  const now = ctx.clock.now();
  const cfg = prepareConfig(config);
  const ws = cfg.workstreams.get(item.workstreamId);
  const to = copy.pool.agents.get(toAgentId);
  if (!ws) return fail('engine.unknownWorkstream', `Workstream ${item.workstreamId} is not configured`);
  if (!to) return fail('engine.unknownAgent', `Agent ${toAgentId} is not known`);
  if (to.presenceBase === 'Offline') return fail('engine.notEligible', `Agent ${toAgentId} is offline`);
  const moved = transferToAgentRecord(item.conversation, byAgentId, toAgentId, now);
  if (!moved.ok) return fail(moved.error.code, moved.error.message);
  const demand = ws.capacityProfileId ? { units: ws.capacityUnits, profileId: ws.capacityProfileId } : { units: ws.capacityUnits };
  if (!hasCapacityFor(to.capacity, { usedUnits: to.usedUnits, profileUsed: to.profileUsed }, demand, cfg.profileDefaults)) {
    return fail('engine.noCapacity', `Agent ${toAgentId} has no capacity left for this conversation`);
  }
  item.conversation = moved.value;
  const out: RoutingDecision[] = [];
  const from = copy.pool.agents.get(byAgentId);
  if (from) copy.release(from, item.id, now, true, out);
  copy.charge(to, item, ws, 'active', out);
  out.push({ kind: 'transferred', conversationId, fromAgentId: byAgentId, toAgentId });
  return ok(out);
}

export function transferToQueue(copy: WorkingCopy, routing: Requeue, conversationId: string, byAgentId: string, queueId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
  const found = copy.assignedItem(conversationId);
  if (!found.ok) return found;
  const item = found.value;
  const cfg = prepareConfig(config);
  if (!cfg.queues.has(queueId)) return fail('engine.unknownQueue', `Queue ${queueId} is not configured`);
  const now = ctx.clock.now();
  const moved = transferToQueueRecord(item.conversation, byAgentId, now);
  if (!moved.ok) return fail(moved.error.code, moved.error.message);
  const leaving = item.conversation.participants.filter((p) => p.leftOn === undefined).map((p) => p.agentId);
  item.conversation = moved.value;
  const out: RoutingDecision[] = [];
  for (const id of leaving) {
    const a = copy.pool.agents.get(id);
    if (a) copy.release(a, item.id, now, true, out);
  }
  item.declines.clear();
  out.push({ kind: 'transferred', conversationId, fromAgentId: byAgentId, toQueueId: queueId });
  routing.enqueue(item, queueId, 'transfer', null, cfg, now, out);
  return ok(out);
}

/** Consult: any agent of the conversation's queue whose presence the workstream allows and who has capacity left; it costs them none. */
export function startConsult(copy: WorkingCopy, conversationId: string, byAgentId: string, consultAgentId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
  const found = copy.assignedItem(conversationId);
  if (!found.ok) return found;
  const item = found.value;
  const c = copy.pool.agents.get(consultAgentId);
  if (!c) return fail('engine.unknownAgent', `Agent ${consultAgentId} is not known`);
  // Who may ask comes before who may be asked: "only the primary" is the clearer answer.
  const moved = startConsultRecord(item.conversation, byAgentId, consultAgentId, ctx.clock.now());
  if (!moved.ok) return fail(moved.error.code, moved.error.message);
  const ws = prepareConfig(config).workstreams.get(item.workstreamId);
  if (!c.queueIds.includes(item.queueId) || !ws?.allowedPresences.includes(c.presenceBase) || remainingUnits(c) <= 0) {
    return fail('engine.notEligible', `Agent ${consultAgentId} cannot be consulted on this conversation now`);
  }
  item.conversation = moved.value;
  return ok([{ kind: 'consult-started', conversationId, agentId: consultAgentId }]);
}

export function endConsult(copy: WorkingCopy, conversationId: string, consultAgentId: string, ctx: DecisionContext): Decisions {
  const item = copy.items.get(conversationId);
  if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
  const moved = endConsultRecord(item.conversation, consultAgentId, ctx.clock.now());
  if (!moved.ok) return fail(moved.error.code, moved.error.message);
  item.conversation = moved.value;
  return ok([{ kind: 'consult-ended', conversationId, agentId: consultAgentId }]);
}
