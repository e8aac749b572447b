// The durable routing pipeline's consumer. Each work item (from the SMS and chat services and
// from the plugin steps: presence changes, capacity releases, configuration changes) loads the
// snapshot one decision needs from Dataverse, asks core's engine, and writes the decision with
// claims that make many concurrent instances safe:
// - agent capacity is reserved on the agent's status row with If-Match (a 412 re-reads and
//   decides again), so no agent is ever taken over their maximum;
// - the offer row's id is derived from (conversation, attempt number): two instances that
//   chose the same conversation both try to create the same row and exactly one succeeds —
//   the loser gives its capacity reservation back. A conversation is never offered twice.
import type { InvocationContext } from '@azure/functions';
import {
  type CapacityDemand,
  type DecisionContext,
  type StoredCapacity,
  type RoutingConfig,
  type RoutingDecision,
  type RoutingSnapshot,
  type RoutingTriggerPort,
  type RoutingWork,
  RoutingEngine,
  formatProfileUsage,
  isRoutingWork,
  profileLimitsOf,
  releaseCapacity,
  reserveCapacity,
} from '@switchboard/core';
import { ConversationState, OfferResponse, type AgentStatusRow, type ConversationRow } from '@switchboard/solution';
import { claim, type DataverseClient, type RowWithETag } from '../dataverse/dataverse-client';
import { ConcurrencyConflict } from '../dataverse/errors';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { bind, iso } from '../dataverse/repositories/odata';
import type { AutomatedMessenger } from '../outbound/automated-messages';
import { channelName } from './routing-config.mapper';
import { type OfferHistory, agentInputsOf, arrivalOf, conversationSnapshotOf, declineCountOf, offerHistoryOf, storedCapacityOf } from './routing-snapshot.mapper';
import type { RoutingRepository } from './routing.repository';

// Consumes the routing work queue. Throwing makes the host retry the item, then poison it.
export interface RoutingWorker {
  process(workItem: unknown, meta: { dequeueCount: number; messageId: string }, context: InvocationContext): Promise<void>;
}

export interface RoutingWorkerDeps {
  repo: RoutingRepository;
  client: DataverseClient;
  routing: RoutingTriggerPort;
  automated?: AutomatedMessenger;
  /** Runs the plugins' recomputeAgent for `recompute-agent` items (wrap-up timers). */
  recomputeAgent?: (agentId: string) => Promise<unknown>;
  now: () => number;
  random?: () => number;
  /** Rounds of "decide, claim" per queue when claims lose races. */
  maxRounds?: number;
  log?: (line: string) => void;
}

export interface QueueOutcome {
  queueId: string;
  offers: { conversationId: string; agentId: string; offerId: string }[];
  conflicts: number;
}

type WaitingRow = ConversationRow & { _swb_workstreamid_value: string };

interface LoadedQueue {
  queueId: string;
  now: number;
  history: OfferHistory;
  profileLimits: ReadonlyMap<string, number>;
  statusByAgent: ReadonlyMap<string, AgentStatusRow>;
  conversations: ReadonlyMap<string, WaitingRow>;
  snapshot: RoutingSnapshot;
}

export class DataverseRoutingWorker implements RoutingWorker {
  constructor(private readonly deps: RoutingWorkerDeps) {}

  private ctx(): DecisionContext {
    const random = this.deps.random ?? Math.random;
    return { clock: { now: this.deps.now }, rng: { next: random } };
  }

  private log(line: string, context?: InvocationContext): void {
    if (context) context.log(line);
    else this.deps.log?.(line);
  }

  async process(workItem: unknown, meta: { dequeueCount: number; messageId: string }, context?: InvocationContext): Promise<void> {
    // A malformed item can never succeed: retrying it five times would only delay real work.
    if (!isRoutingWork(workItem)) {
      this.log(`routing: dropped malformed work item ${meta.messageId}`, context);
      return;
    }
    await this.run(workItem, context);
  }

  async run(work: RoutingWork, context?: InvocationContext): Promise<QueueOutcome[]> {
    if (work.kind === 'route-conversation') {
      // Independent reads, in parallel: they are most of a new conversation's latency.
      const [config, found] = await Promise.all([this.deps.repo.loadConfig(), this.deps.repo.getConversation(work.conversationId)]);
      const queueId = await this.arrive(work.conversationId, config, context, found);
      return queueId ? [await this.routeQueue(queueId, config, context)] : [];
    }
    const config = await this.deps.repo.loadConfig();
    switch (work.kind) {
      case 'route-queue':
        return [await this.routeQueue(work.queueId, config, context)];
      // A presence change is also a repair point: capacity is recomputed from the rows first, so
      // a reservation orphaned by an instance that died between reserving and creating its
      // offer is given back the next time the agent touches their presence.
      case 'route-agent':
      case 'recompute-agent':
        if (this.deps.recomputeAgent) await this.deps.recomputeAgent(work.agentId);
        return this.routeQueues(await this.deps.repo.agentQueues(work.agentId), config, context);
      case 'config-changed':
        return this.routeQueues(await this.deps.repo.queuesWithWaitingItems(), config, context);
    }
  }

  private async routeQueues(queueIds: readonly string[], config: RoutingConfig, context?: InvocationContext): Promise<QueueOutcome[]> {
    const out: QueueOutcome[] = [];
    for (const q of queueIds) out.push(await this.routeQueue(q, config, context));
    return out;
  }

  /** Classifies a new conversation and puts it in its queue; returns the queue, or null when it is not routable. */
  async arrive(conversationId: string, config: RoutingConfig, context?: InvocationContext, preloaded?: RowWithETag<ConversationRow> | null): Promise<string | null> {
    const found = preloaded === undefined ? await this.deps.repo.getConversation(conversationId) : preloaded;
    if (!found) return null;
    const conv = found.row;
    if (conv._swb_primaryagentid_value) return null;
    if (conv.swb_state === ConversationState.Waiting && conv._swb_queueid_value) return conv._swb_queueid_value;
    if (conv.swb_state !== ConversationState.Open) return null;
    const workstreamId = conv._swb_workstreamid_value ?? config.workstreams.find((w) => w.channel === channelName(conv.swb_channeltype))?.id;
    if (!workstreamId) {
      this.log(`routing: conversation ${conversationId} has no workstream; left unrouted`, context);
      return null;
    }
    const result = new RoutingEngine().arrive(arrivalOf(conversationId, conv, workstreamId), config, this.ctx());
    if (!result.ok) {
      this.log(`routing: ${conversationId}: ${result.error.code} ${result.error.message}`, context);
      return null;
    }
    const decisions = result.value;
    for (const d of decisions) if (d.kind === 'rule-problem') this.log(`routing: rule problem on ${conversationId}: ${JSON.stringify(d.problem)}`, context);
    const classified = decisions.find((d): d is Extract<RoutingDecision, { kind: 'classified' }> => d.kind === 'classified');
    const ended = decisions.find((d) => d.kind === 'ended');
    const queued = [...decisions].reverse().find((d): d is Extract<RoutingDecision, { kind: 'queued' }> => d.kind === 'queued');
    const now = this.deps.now();
    if (ended) {
      // Overflow on arrival that ends the conversation (outside hours with a message).
      const overflow = decisions.find((d): d is Extract<RoutingDecision, { kind: 'overflowed' }> => d.kind === 'overflowed');
      const event = overflow?.reason === 'outside-hours' ? 'outside-hours' : 'ended';
      const chosen = overflow && (overflow.action.kind === 'end' || overflow.action.kind === 'message') ? overflow.action.messageId : undefined;
      await this.deps.repo.updateConversation(conversationId, { swb_state: ConversationState.Closed, swb_closedon: iso(now) }, found.etag);
      const sent = chosen ? this.deps.automated?.sendChosen(event, chosen, conv, {}) : this.deps.automated?.send(event, conv, {});
      await sent?.catch((e: Error) => this.log(`automated message failed: ${e.message}`, context));
      return null;
    }
    if (!queued) return null;
    const patch: Record<string, unknown> = {
      swb_state: ConversationState.Waiting,
      'swb_queueid@odata.bind': bind('queues', queued.queueId),
      swb_queuedon: iso(now),
    };
    if (!conv._swb_workstreamid_value) patch['swb_workstreamid@odata.bind'] = bind('swb_workstreams', workstreamId);
    if (classified) {
      patch['swb_priority'] = classified.priority;
      if (classified.skills.length > 0) patch['swb_requiredskills'] = JSON.stringify(classified.skills.map((s) => s.skillId));
      if (classified.language) patch['swb_language'] = classified.language;
    }
    // The ETag read above usually still holds; on a 412 re-read and decide again.
    try {
      await this.deps.repo.updateConversation(conversationId, patch, found.etag);
    } catch (err) {
      if (!(err instanceof ConcurrencyConflict)) throw err;
      const written = await claim<ConversationRow, Record<string, unknown>>(this.deps.client, {
        collection: 'swb_conversations',
        key: conversationId,
        // Someone else queued it (or an agent took it) since we read: their decision stands.
        decide: (row) => (row.swb_state === ConversationState.Open && !row._swb_primaryagentid_value ? { patch } : { skip: 'already routed' }),
      });
      if (written.outcome === 'skipped') return written.row?._swb_queueid_value ?? null;
    }
    const routed = { ...conv, _swb_workstreamid_value: workstreamId };
    // The position costs a query: only asked for when a "queued" message is configured.
    if (this.deps.automated && (await this.deps.automated.render('queued', routed, {})) !== null) {
      const position = (await this.deps.repo.waitingInQueue(queued.queueId)).length;
      await this.deps.automated.send('queued', routed, { queue: { position } }).catch((e: Error) => this.log(`automated "queued" message failed: ${e.message}`, context));
    }
    return queued.queueId;
  }

  /** Offers the queue's waiting conversations to eligible agents, claiming as it goes. */
  async routeQueue(queueId: string, config: RoutingConfig, context?: InvocationContext): Promise<QueueOutcome> {
    const outcome: QueueOutcome = { queueId, offers: [], conflicts: 0 };
    const rounds = this.deps.maxRounds ?? 3;
    let lostLastRound = false;
    for (let round = 0; round < rounds; round++) {
      const conflictsBefore = outcome.conflicts;
      const made = await this.routeOnce(queueId, config, outcome, context);
      lostLastRound = outcome.conflicts > conflictsBefore && made !== 'nothing-waiting';
      // Stop when a round lost no race: what is left cannot be placed now.
      if (!lostLastRound) break;
    }
    // Still losing races (a busy queue, a customer typing while waiting): try again shortly
    // rather than leave a placeable conversation waiting for an unrelated event.
    if (lostLastRound) await this.deps.routing.enqueue({ kind: 'route-queue', queueId, reason: 'claims lost to concurrent writers' }, { delaySeconds: 1 });
    return outcome;
  }

  private async routeOnce(queueId: string, config: RoutingConfig, outcome: QueueOutcome, context?: InvocationContext): Promise<'done' | 'nothing-waiting'> {
    const queue = await this.loadQueue(queueId, config);
    if (queue === 'nothing-waiting') return 'nothing-waiting';
    if (queue === 'nothing-to-place') return 'done';
    const decisions = RoutingEngine.fromSnapshot(queue.snapshot, config).decide(config, this.ctx());
    for (const d of decisions) await this.apply(d, queue, config, outcome);
    if (outcome.offers.length > 0) this.log(`routing: queue ${queueId}: ${outcome.offers.length} offer(s), ${outcome.conflicts} lost race(s)`, context);
    return 'done';
  }

  /** The rows one decision on a queue needs, read in as few requests as possible, and the engine's snapshot of them. */
  private async loadQueue(queueId: string, config: RoutingConfig): Promise<LoadedQueue | 'nothing-waiting' | 'nothing-to-place'> {
    const waiting = await this.deps.repo.waitingInQueue(queueId);
    if (waiting.length === 0) return 'nothing-waiting';
    const history = offerHistoryOf(await this.deps.repo.offersFor(waiting.map((c) => c.activityid)));
    const candidates = waiting.filter((c): c is WaitingRow => !history.pending.has(c.activityid) && !!c._swb_workstreamid_value);
    if (candidates.length === 0) return 'nothing-to-place';
    const members = await this.deps.repo.queueMembers(queueId);
    if (members.length === 0) return 'nothing-to-place';
    const roundRobin = config.queues.find((q) => q.id === queueId)?.assignment.kind === 'round-robin';
    const [statuses, skills, lastOffers] = await Promise.all([
      this.deps.repo.agentStatuses(members),
      this.deps.repo.agentSkills(members),
      roundRobin ? this.deps.repo.lastOfferByAgent(queueId, members.length) : Promise.resolve(new Map<string, number>()),
    ]);
    const statusByAgent = new Map(statuses.filter((s) => s._swb_agentid_value).map((s) => [s._swb_agentid_value!, s]));
    const profileLimits = profileLimitsOf(config.capacityProfiles);
    const now = this.deps.now();
    return {
      queueId,
      now,
      history,
      profileLimits,
      statusByAgent,
      conversations: new Map(candidates.map((c) => [c.activityid, c])),
      snapshot: {
        agents: agentInputsOf({ queueId, members, statuses: statusByAgent, skills, lastOffers, profileLimits }, now),
        conversations: candidates.map((c) => conversationSnapshotOf(c, queueId, history, now)),
      },
    };
  }

  /** Writes one decision with its claims; a lost race counts as a conflict (the queue is routed again). */
  private async apply(d: RoutingDecision, queue: LoadedQueue, config: RoutingConfig, outcome: QueueOutcome): Promise<void> {
    const { queueId, now } = queue;
    if (d.kind === 'offered') {
      const row = queue.conversations.get(d.conversationId);
      const ws = config.workstreams.find((w) => w.id === row?._swb_workstreamid_value);
      const status = queue.statusByAgent.get(d.agentId);
      if (!ws || !status) return;
      const etag = (row as { '@odata.etag'?: string } | undefined)?.['@odata.etag'];
      const demand: CapacityDemand = ws.capacityProfileId ? { units: ws.capacityUnits, profileId: ws.capacityProfileId } : { units: ws.capacityUnits };
      const attempt = (queue.history.attempts.get(d.conversationId) ?? 0) + 1;
      const made = await this.persistOffer(d, status, demand, queue.profileLimits, attempt, etag, declineCountOf(queue.history, d.conversationId));
      if (made) outcome.offers.push({ conversationId: d.conversationId, agentId: d.agentId, offerId: made });
      else outcome.conflicts++;
    } else if (d.kind === 'overflowed' && d.action.kind === 'queue') {
      const conv = await this.deps.repo.getConversation(d.conversationId);
      if (conv && conv.row._swb_queueid_value === queueId && !conv.row._swb_primaryagentid_value) {
        await this.deps.repo.updateConversation(d.conversationId, { 'swb_queueid@odata.bind': bind('queues', d.action.queueId), swb_queuedon: iso(now) }, conv.etag).catch(() => outcome.conflicts++);
        await this.deps.routing.enqueue({ kind: 'route-queue', queueId: d.action.queueId, reason: `overflow from ${queueId} (${d.reason})` });
      }
    } else if (d.kind === 'ended') {
      const conv = await this.deps.repo.getConversation(d.conversationId);
      if (conv && !conv.row._swb_primaryagentid_value && conv.row.swb_state !== ConversationState.Closed) {
        await this.deps.repo.updateConversation(d.conversationId, { swb_state: ConversationState.Closed, swb_closedon: iso(now) }, conv.etag).catch(() => outcome.conflicts++);
        await this.deps.automated?.send('ended', conv.row, {}).catch(() => undefined);
      }
    }
  }

  private async persistOffer(
    d: Extract<RoutingDecision, { kind: 'offered' }>,
    status: AgentStatusRow,
    demand: CapacityDemand,
    profileLimits: ReadonlyMap<string, number>,
    attempt: number,
    conversationEtag: string | undefined,
    declineCount: number,
  ): Promise<string | null> {
    // The conversation must still be exactly as the snapshot saw it: an If-Match write (of the
    // decline count, recounted from its offers; no plugin step watches it) fails if it was
    // accepted, ended, moved or claimed by another worker since, and bumps the ETag so a twin
    // worker holding the same snapshot fails here too.
    if (!conversationEtag) return null;
    try {
      await this.deps.repo.updateConversation(d.conversationId, { swb_declinecount: declineCount }, conversationEtag);
    } catch (err) {
      if (err instanceof ConcurrencyConflict) return null;
      throw err;
    }
    const reserved = await this.reserve(status.swb_agentstatusid, demand, profileLimits);
    if (!reserved) return null;
    const offerId = deterministicId('offer', d.conversationId, String(attempt));
    let created: Awaited<ReturnType<RoutingRepository['createOffer']>>;
    try {
      created = await this.deps.repo.createOffer(offerId, {
        swb_name: `Offer ${attempt}`,
        'swb_conversationid@odata.bind': bind('swb_conversations', d.conversationId),
        'swb_agentid@odata.bind': bind('systemusers', d.agentId),
        // The Agent role reads and answers only offers it owns (Basic depth): owned by the
        // application user, the offered agent could not even see it.
        'ownerid@odata.bind': bind('systemusers', d.agentId),
        'swb_queueid@odata.bind': bind('queues', d.queueId),
        swb_response: OfferResponse.Pending,
        swb_offeredon: iso(d.offeredAt),
        swb_offerstamp: d.stamp,
        swb_expireson: iso(d.expiresAt),
        swb_attempt: attempt,
      });
    } catch (err) {
      // The offer was not written: the reservation must not outlive it.
      await this.release(status.swb_agentstatusid, demand).catch(() => undefined);
      throw err;
    }
    if (created === 'exists') {
      // Another instance offered this conversation first: give the reservation back.
      await this.release(status.swb_agentstatusid, demand);
      return null;
    }
    return offerId;
  }

  /**
   * Reserves a demand on the agent's status row with If-Match: core's capacity rule decides on
   * the row as it is now (units against the maximum and, for a workstream with a capacity
   * profile, the profile's count against its limit), in one guarded write, so concurrent
   * workers (even routing different queues) can never take an agent past either. False when
   * it no longer fits.
   */
  private async reserve(statusRowId: string, demand: CapacityDemand, profileLimits: ReadonlyMap<string, number>): Promise<boolean> {
    const result = await claim<AgentStatusRow, Record<string, unknown>>(this.deps.client, {
      collection: 'swb_agentstatuses',
      key: statusRowId,
      maxAttempts: 10,
      decide: (row) => {
        const next = reserveCapacity(storedCapacityOf(row), demand, profileLimits);
        return next ? { patch: capacityPatch(next, demand) } : { skip: 'no capacity left for this demand' };
      },
    });
    return result.outcome === 'claimed';
  }

  /** Gives a reservation back (the offer was not written); least-active routing counts returned units as a release. */
  private async release(statusRowId: string, demand: CapacityDemand): Promise<void> {
    await claim<AgentStatusRow, Record<string, unknown>>(this.deps.client, {
      collection: 'swb_agentstatuses',
      key: statusRowId,
      maxAttempts: 10,
      decide: (row) => {
        const patch = capacityPatch(releaseCapacity(storedCapacityOf(row), demand), demand);
        return { patch: demand.units > 0 ? { ...patch, swb_lastreleaseon: iso(this.deps.now()) } : patch };
      },
    });
  }
}

/** The status row columns a reservation or release writes: the profile count only for a profiled demand. */
function capacityPatch(next: StoredCapacity, demand: CapacityDemand): Record<string, unknown> {
  return demand.profileId ? { swb_capacityused: next.usedUnits, swb_profileusage: formatProfileUsage(next.profileUsed) } : { swb_capacityused: next.usedUnits };
}
