// The durable routing pipeline's consumer. Each work item (from the SMS and chat services and
// from the plugin steps: presence changes, capacity releases, configuration changes, and the
// offers' own expiry timers) loads what one decision needs, asks core's engine, and writes the
// decision with claims that make many concurrent instances safe:
// - an offer is one $batch change set: the conversation (If-Match on the version routing saw:
//   it now names who holds its offer), the agent's status row (If-Match: the capacity
//   reservation) and the offer row (create-only, id from conversation and attempt). Two
//   instances that chose the same conversation or the same agent's last unit cannot both win,
//   and the loser writes nothing — no agent over capacity, no conversation offered twice;
// - a pass reads the queue's members (one request) and the head of its waiting list (one
//   request): never the whole list, never the offers of what waits;
// - the configuration is cached (see RoutingConfigCache), and wake-ups that arrive together
//   for one queue merge into one pass (an item older than the last pass's start is covered).
import type { InvocationContext } from '@azure/functions';
import {
  type CapacityDemand,
  type DecisionContext,
  type PushPort,
  type StoredCapacity,
  type RoutingConfig,
  type RoutingDecision,
  type RoutingSnapshot,
  type RoutingTriggerPort,
  type RoutingWork,
  RoutingEngine,
  formatIdNumberMap,
  formatProfileUsage,
  isRoutingWork,
  parseIdNumberMap,
  presenceChoiceOf,
  profileLimitsOf,
  reserveCapacity,
} from '@switchboard/core';
import { presenceAfterLoad, type EndedOffer } from '@switchboard/plugins';
import { BotState, ConversationState, OfferResponse, type AgentStatusRow, type ConversationRow } from '@switchboard/solution';
import { claim, type RowWithETag } from '../dataverse/dataverse-client';
import { ConcurrencyConflict } from '../dataverse/errors';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { bind, iso, ms } from '../dataverse/repositories/odata';
import type { AutomatedMessenger } from '../outbound/automated-messages';
import { queuedColumns } from './arrival';
import { channelName } from './routing-config.mapper';
import type { RoutingConfigCache } from './routing-config.cache';
import { agentInputsOf, arrivalOf, conversationSnapshotOf, declinesOf, storedCapacityOf } from './routing-snapshot.mapper';
import type { RoutingRepository } from './routing.repository';

// Consumes the routing work queue. Throwing makes the host retry the item, then poison it.
export interface RoutingWorker {
  process(workItem: unknown, meta: { dequeueCount: number; messageId: string }, context: InvocationContext): Promise<void>;
}

export interface RoutingWorkerDeps {
  repo: RoutingRepository;
  /** The routing configuration, cached; invalidated by `config-changed` work. */
  config: RoutingConfigCache;
  routing: RoutingTriggerPort;
  automated?: AutomatedMessenger;
  /** The plugins' recomputeAgent: capacity in use and presence, from the agent's rows. */
  recomputeAgent?: (agentId: string) => Promise<unknown>;
  /** The plugins' releaseOffer: a timed-out offer is forgotten, its capacity given back, its queue routed. */
  releaseOffer?: (offer: EndedOffer) => Promise<string>;
  /** The plugins' connectionLost: after the disconnect grace, an agent with no push connection goes Offline. */
  connectionLost?: (agentId: string, since: number) => Promise<string>;
  /** Where offers made and withdrawn are told to the agent at once (best effort). */
  push?: PushPort;
  /** Bot turns, hand-off checks and inactivity (bots/bot.service.ts). */
  bots?: { run(work: Extract<RoutingWork, { kind: 'bot-turn' | 'bot-check' | 'bot-consult' }>): Promise<void> };
  /** Scores a customer message's sentiment (insights/sentiment.service.ts). */
  sentiment?: { run(work: Extract<RoutingWork, { kind: 'score-sentiment' }>): Promise<unknown> };
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

type WaitingRow = ConversationRow & { _swb_workstreamid_value: string; '@odata.etag'?: string };

/** An agent's status row as this pass last wrote it: each offer moves its ETag and its counts. */
interface LiveStatus {
  row: AgentStatusRow;
  etag: string;
}

interface LoadedQueue {
  queueId: string;
  /** More conversations wait than the head this pass read. */
  beyondHead: boolean;
  now: number;
  profileLimits: ReadonlyMap<string, number>;
  statusByAgent: Map<string, LiveStatus>;
  conversations: ReadonlyMap<string, WaitingRow>;
  snapshot: RoutingSnapshot;
}

const OFFER_TIMER_RETRY_SECONDS = 30;

/** How far down a waiting list one pass looks: enough for every agent with room, and a margin for skills. */
export function headSize(agentsWithRoom: number): number {
  return Math.min(200, 10 + 5 * agentsWithRoom);
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
    if (workItem.kind === 'offer-expired') return this.expireNeverLost(workItem, context);
    await this.run(workItem, context);
  }

  /** When the last pass over each queue started (this instance): older wake-ups are covered by it. */
  private readonly passStartedAt = new Map<string, number>();

  async run(work: RoutingWork, context?: InvocationContext): Promise<QueueOutcome[]> {
    switch (work.kind) {
      case 'route-conversation': {
        // Independent reads, in parallel: they are most of a transferred conversation's latency.
        const [config, found] = await Promise.all([this.deps.config.get(), this.deps.repo.getConversation(work.conversationId)]);
        const queueId = await this.arrive(work.conversationId, config, context, found);
        return queueId ? [await this.routeQueue(queueId, config, context)] : [];
      }
      case 'route-queue':
        if (this.covered(work.queueId, work.at)) return [];
        return [await this.routeQueue(work.queueId, await this.deps.config.get(), context)];
      // A presence change is also a repair point: capacity is recomputed from the rows first, so
      // a reservation orphaned by an instance that died holding it is given back the next time
      // the agent touches their presence. A release already recomputed: it says so.
      case 'route-agent':
      case 'recompute-agent': {
        if (this.deps.recomputeAgent && !(work.kind === 'route-agent' && work.recompute === false)) await this.deps.recomputeAgent(work.agentId);
        const queues = (await this.deps.repo.agentQueues(work.agentId)).filter((q: string) => !this.covered(q, work.at));
        return this.routeQueues(queues, await this.deps.config.get(), context);
      }
      case 'config-changed': {
        this.deps.config.invalidate();
        const config = await this.deps.config.get();
        return this.routeQueues(config.queues.map((q) => q.id), config, context);
      }
      case 'offer-expired':
        await this.expireOffer(work, context);
        return [];
      case 'agent-disconnected': {
        const outcome = (await this.deps.connectionLost?.(work.agentId, work.since)) ?? 'not wired';
        this.deps.log?.(`routing: agent ${work.agentId} disconnected since ${new Date(work.since).toISOString()}: ${outcome}`);
        return [];
      }
      case 'bot-turn':
      case 'bot-check':
      case 'bot-consult':
        if (this.deps.bots) await this.deps.bots.run(work);
        else this.log(`routing: ${work.kind} for ${work.conversationId} but no bots are wired`, context);
        return [];
      case 'score-sentiment':
        if (this.deps.sentiment) await this.deps.sentiment.run(work);
        else this.log(`routing: sentiment of ${work.messageId} but no sentiment service is wired`, context);
        return [];
    }
  }

  private covered(queueId: string, enqueuedAt: number | undefined): boolean {
    const started = this.passStartedAt.get(queueId.toLowerCase());
    return enqueuedAt !== undefined && started !== undefined && started > enqueuedAt;
  }

  private async routeQueues(queueIds: readonly string[], config: RoutingConfig, context?: InvocationContext): Promise<QueueOutcome[]> {
    const out: QueueOutcome[] = [];
    for (const q of queueIds) out.push(await this.routeQueue(q, config, context));
    return out;
  }

  /**
   * An offer's timer: still pending at its expiry, it times out (If-Match: an answer landing at
   * the same moment wins) and is released — the conversation forgets it, the agent's capacity
   * comes back, the queue is routed again. Early (clocks differ between instances): wait again.
   */
  private async expireOffer(work: Extract<RoutingWork, { kind: 'offer-expired' }>, context?: InvocationContext): Promise<void> {
    const offer = await this.deps.repo.getOffer(work.offerId);
    if (!offer || offer.row.swb_response !== OfferResponse.Pending) return;
    const now = this.deps.now();
    const expires = ms(offer.row.swb_expireson);
    if (expires !== undefined && expires > now) {
      await this.deps.routing.enqueue({ ...work, at: now }, { delaySeconds: Math.ceil((expires - now) / 1000) });
      return;
    }
    try {
      await this.deps.repo.updateOffer(work.offerId, { swb_response: OfferResponse.TimedOut, swb_respondedon: iso(now) }, offer.etag);
    } catch (err) {
      if (err instanceof ConcurrencyConflict) return; // answered meanwhile: the offer-response step has it
      throw err;
    }
    await this.deps.push?.toUser(work.agentId, { kind: 'offer', conversationId: work.conversationId, change: 'withdrawn' });
    const note = await this.deps.releaseOffer?.({ offerId: work.offerId, conversationId: work.conversationId, agentId: work.agentId, queueId: work.queueId, why: 'timed out' });
    this.log(`routing: ${note ?? `offer ${work.offerId} timed out`}`, context);
  }

  /**
   * An offer's timer is the only thing that times it out (nothing polls): if it failed its way
   * into the poison queue, the offer would hold its conversation and a unit of the agent's
   * capacity for ever. So a failure sends it again, delayed, as a new item; only if that send
   * fails too does the host retry this one.
   */
  private async expireNeverLost(work: Extract<RoutingWork, { kind: 'offer-expired' }>, context?: InvocationContext): Promise<void> {
    try {
      await this.run(work, context);
    } catch (err) {
      this.log(`routing: offer ${work.offerId} timer failed (${(err as Error).message}); trying again in ${OFFER_TIMER_RETRY_SECONDS}s`, context);
      await this.deps.routing.enqueue({ ...work, at: this.deps.now() }, { delaySeconds: OFFER_TIMER_RETRY_SECONDS });
    }
  }

  /** Classifies a new conversation and puts it in its queue; returns the queue, or null when it is not routable. */
  async arrive(conversationId: string, config: RoutingConfig, context?: InvocationContext, preloaded?: RowWithETag<ConversationRow> | null): Promise<string | null> {
    const found = preloaded === undefined ? await this.deps.repo.getConversation(conversationId) : preloaded;
    if (!found) return null;
    const conv = found.row;
    if (conv._swb_primaryagentid_value) return null;
    if (conv.swb_state === ConversationState.Waiting && conv._swb_queueid_value) return conv._swb_queueid_value;
    if (conv.swb_state !== ConversationState.Open) return null;
    // A bot answers it: routing waits for the hand-off (or a failure) to route it.
    if (conv.swb_botstate === BotState.Holding) return null;
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
    const ended = decisions.find((d) => d.kind === 'ended');
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
    const placement = queuedColumns(decisions, workstreamId, now);
    if (!placement) return null;
    const queued = { queueId: placement.queueId };
    const patch = placement.columns;
    // The ETag read above usually still holds; on a 412 re-read and decide again.
    try {
      await this.deps.repo.updateConversation(conversationId, patch, found.etag);
    } catch (err) {
      if (!(err instanceof ConcurrencyConflict)) throw err;
      const written = await claim<ConversationRow, Record<string, unknown>>(this.deps.repo.client, {
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
      const position = await this.deps.repo.waitingCount(queued.queueId);
      await this.deps.automated.send('queued', routed, { queue: { position } }).catch((e: Error) => this.log(`automated "queued" message failed: ${e.message}`, context));
    }
    return queued.queueId;
  }

  /** Offers the queue's waiting conversations to eligible agents, claiming as it goes. */
  async routeQueue(queueId: string, config: RoutingConfig, context?: InvocationContext): Promise<QueueOutcome> {
    const outcome: QueueOutcome = { queueId, offers: [], conflicts: 0 };
    this.passStartedAt.set(queueId.toLowerCase(), this.deps.now());
    const rounds = this.deps.maxRounds ?? 3;
    let lostLastRound = false;
    let beyondHead = false;
    for (let round = 0; round < rounds; round++) {
      const conflictsBefore = outcome.conflicts;
      const offersBefore = outcome.offers.length;
      const made = await this.routeOnce(queueId, config, outcome, context);
      lostLastRound = outcome.conflicts > conflictsBefore && made !== 'nothing-waiting';
      beyondHead = made === 'beyond-head' && outcome.offers.length > offersBefore;
      // Stop when a round lost no race: what is left cannot be placed now.
      if (!lostLastRound) break;
    }
    // Still losing races (a busy queue, a customer typing while waiting): try again shortly
    // rather than leave a placeable conversation waiting for an unrelated event.
    if (lostLastRound) await this.deps.routing.enqueue({ kind: 'route-queue', queueId, reason: 'claims lost to concurrent writers', at: this.deps.now() }, { delaySeconds: 1 });
    // The pass placed what it read and more waits behind it: wake-ups it covered assumed it saw
    // them, so it carries on at once (from a fresh head) rather than wait for the next event.
    else if (beyondHead) await this.deps.routing.enqueue({ kind: 'route-queue', queueId, reason: 'more waiting beyond the head', at: this.deps.now() });
    return outcome;
  }

  private async routeOnce(queueId: string, config: RoutingConfig, outcome: QueueOutcome, context?: InvocationContext): Promise<'done' | 'beyond-head' | 'nothing-waiting'> {
    const queue = await this.loadQueue(queueId, config);
    if (queue === 'nothing-waiting') return 'nothing-waiting';
    if (queue === 'nothing-to-place') return 'done';
    const decisions = RoutingEngine.fromSnapshot(queue.snapshot, config).decide(config, this.ctx());
    for (const d of decisions) await this.apply(d, queue, config, outcome);
    if (outcome.offers.length > 0) this.log(`routing: queue ${queueId}: ${outcome.offers.length} offer(s), ${outcome.conflicts} lost race(s)`, context);
    return queue.beyondHead ? 'beyond-head' : 'done';
  }

  /** The rows one decision on a queue needs — its members, then (only if one has room) the head of its waiting list — and the engine's snapshot of them. */
  private async loadQueue(queueId: string, config: RoutingConfig): Promise<LoadedQueue | 'nothing-waiting' | 'nothing-to-place'> {
    const members = await this.deps.repo.queueAgents(queueId);
    const profileLimits = profileLimitsOf(config.capacityProfiles);
    const now = this.deps.now();
    const agents = agentInputsOf(queueId, members, profileLimits, now);
    const withRoom = agents.filter((a) => a.presence?.signedIn && a.capacity.maxUnits > 0).length;
    if (withRoom === 0) return 'nothing-to-place';
    const head = await this.deps.repo.waitingHead(queueId, headSize(withRoom));
    if (head.rows.length === 0) return 'nothing-waiting';
    const candidates = head.rows.filter((c): c is WaitingRow => !!c._swb_workstreamid_value);
    if (candidates.length === 0) return 'nothing-to-place';
    const statusByAgent = new Map<string, LiveStatus>();
    for (const m of members) {
      const etag = m.status?.['@odata.etag'];
      if (m.status && etag) statusByAgent.set(m.systemuserid, { row: m.status, etag });
    }
    return {
      queueId,
      now,
      profileLimits,
      statusByAgent,
      conversations: new Map(candidates.map((c) => [c.activityid, c])),
      beyondHead: head.total > head.rows.length,
      snapshot: { agents, conversations: candidates.map((c) => conversationSnapshotOf(c, queueId, now)) },
    };
  }

  /** Writes one decision with its claims; a lost race counts as a conflict (the queue is routed again). */
  private async apply(d: RoutingDecision, queue: LoadedQueue, config: RoutingConfig, outcome: QueueOutcome): Promise<void> {
    const { queueId, now } = queue;
    if (d.kind === 'offered') {
      const row = queue.conversations.get(d.conversationId);
      const ws = config.workstreams.find((w) => w.id === row?._swb_workstreamid_value);
      const status = queue.statusByAgent.get(d.agentId);
      if (!row || !ws || !status) return;
      const demand: CapacityDemand = ws.capacityProfileId ? { units: ws.capacityUnits, profileId: ws.capacityProfileId } : { units: ws.capacityUnits };
      const made = await this.persistOffer(d, row, status, demand, queue.profileLimits);
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

  /**
   * The offer's timer first (a delayed work item at its expiry: if the claim below loses, the
   * timer finds no offer and does nothing), then the one change set that makes the offer real.
   */
  private async persistOffer(
    d: Extract<RoutingDecision, { kind: 'offered' }>,
    row: WaitingRow,
    status: LiveStatus,
    demand: CapacityDemand,
    profileLimits: ReadonlyMap<string, number>,
  ): Promise<string | null> {
    const conversationEtag = row['@odata.etag'];
    const reserved = reserveCapacity(storedCapacityOf(status.row), demand, profileLimits);
    if (!conversationEtag || !reserved) return null;
    const attempt = (row.swb_offerattempt ?? 0) + 1;
    const offerId = deterministicId('offer', d.conversationId, String(attempt));
    const now = this.deps.now();
    await this.deps.routing.enqueue(
      { kind: 'offer-expired', offerId, conversationId: d.conversationId, agentId: d.agentId, queueId: d.queueId, reason: 'offer expiry', at: now },
      { delaySeconds: Math.max(1, Math.ceil((d.expiresAt - now) / 1000)) },
    );
    const stamps = parseIdNumberMap(status.row.swb_lastofferstamps);
    stamps[d.queueId.toLowerCase()] = d.stamp;
    const statusPatch: Record<string, unknown> = { ...capacityPatch(reserved, demand), swb_lastofferstamps: formatIdNumberMap(stamps) };
    // The reservation can fill the agent: the automatic presence follows in the same write (Do
    // not disturb at capacity), as a recompute would, since the accept keeps the reservation
    // and recomputes nothing. A presence the agent chose stays.
    const presence = presenceChoiceOf(presenceAfterLoad(status.row, reserved.usedUnits, now));
    if (presence !== status.row.swb_basepresence) Object.assign(statusPatch, { swb_basepresence: presence, swb_presencesince: iso(now) });
    const result = await this.deps.repo.claimOffer({
      offerId,
      conversation: {
        id: d.conversationId,
        etag: conversationEtag,
        patch: {
          'swb_offeredto@odata.bind': bind('systemusers', d.agentId),
          swb_offerattempt: attempt,
          swb_declinecount: Object.values(declinesOf(row)).reduce((n, k) => n + k, 0),
        },
      },
      agentStatus: { id: status.row.swb_agentstatusid, etag: status.etag, patch: statusPatch },
      offer: {
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
      },
    });
    if (result === 'conflict') return null;
    // The agent's inbox hears of it now rather than at its next look.
    await this.deps.push?.toUser(d.agentId, { kind: 'offer', conversationId: d.conversationId, change: 'made' });
    // The next offer to this agent in the same pass claims on top of this one.
    status.etag = result.statusEtag;
    status.row = { ...status.row, swb_capacityused: reserved.usedUnits, ...(demand.profileId ? { swb_profileusage: formatProfileUsage(reserved.profileUsed) } : {}), swb_lastofferstamps: formatIdNumberMap(stamps), swb_basepresence: presence };
    return offerId;
  }
}

/** The status row columns a reservation or release writes: the profile count only for a profiled demand. */
function capacityPatch(next: StoredCapacity, demand: CapacityDemand): Record<string, unknown> {
  return demand.profileId ? { swb_capacityused: next.usedUnits, swb_profileusage: formatProfileUsage(next.profileUsed) } : { swb_capacityused: next.usedUnits };
}
