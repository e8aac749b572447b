// Where a new conversation goes, decided where it is created. The SMS and chat services ask
// core's RoutingEngine.arrive (rules over conversation, customer and context) on the cached
// configuration, so the conversation is created already Waiting in its queue, with its
// priority, skills and language — no second write, no re-read — and routing only has to offer
// it. Anything else arrival can decide (outside hours, an overflow at the door, no queue, a
// rule problem) is left to the routing worker's `route-conversation`, as before: the
// conversation is created Open.
import { type DecisionContext, type RoutingConfig, type RoutingDecision, RoutingEngine } from '@switchboard/core';
import { ConversationState, type ConversationRow } from '@switchboard/solution';
import { bind, iso } from '../dataverse/repositories/odata';
import { arrivalOf } from './routing-snapshot.mapper';

/** A queue the engine chose, as the columns the conversation stores. */
export interface QueuedPlacement {
  queueId: string;
  columns: Record<string, unknown>;
}

/** The columns of a conversation the engine queued: Waiting, its queue and when, what classification found. */
export function queuedColumns(decisions: readonly RoutingDecision[], workstreamId: string, now: number): QueuedPlacement | null {
  const queued = [...decisions].reverse().find((d): d is Extract<RoutingDecision, { kind: 'queued' }> => d.kind === 'queued');
  if (!queued) return null;
  const classified = decisions.find((d): d is Extract<RoutingDecision, { kind: 'classified' }> => d.kind === 'classified');
  const columns: Record<string, unknown> = {
    swb_state: ConversationState.Waiting,
    'swb_queueid@odata.bind': bind('queues', queued.queueId),
    'swb_workstreamid@odata.bind': bind('swb_workstreams', workstreamId),
    swb_queuedon: iso(now),
  };
  if (classified) {
    columns['swb_priority'] = classified.priority;
    if (classified.skills.length > 0) columns['swb_requiredskills'] = JSON.stringify(classified.skills.map((s) => s.skillId));
    if (classified.language) columns['swb_language'] = classified.language;
  }
  return { queueId: queued.queueId, columns };
}

export interface ArrivalPlacerDeps {
  config: { get(): Promise<RoutingConfig> };
  now: () => number;
  random?: () => number;
  log?: (line: string) => void;
}

export class ArrivalPlacer {
  constructor(private readonly deps: ArrivalPlacerDeps) {}

  /**
   * The queue for a conversation about to be created (`row` as it will be stored), or null
   * when the worker must decide (see the file's comment).
   */
  async place(conversationId: string, row: ConversationRow, workstreamId: string | null | undefined): Promise<QueuedPlacement | null> {
    if (!workstreamId) return null;
    const config = await this.deps.config.get();
    const ctx: DecisionContext = { clock: { now: this.deps.now }, rng: { next: this.deps.random ?? Math.random } };
    const result = new RoutingEngine().arrive(arrivalOf(conversationId, row, workstreamId), config, ctx);
    if (!result.ok) return null;
    const decisions = result.value;
    if (decisions.some((d) => d.kind !== 'classified' && d.kind !== 'queued')) return null;
    return queuedColumns(decisions, workstreamId, this.deps.now());
  }
}
