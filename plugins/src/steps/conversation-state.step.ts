// Conversation state changes: stamp the lifecycle times, move the sessions, release capacity
// at the moment the workstream's wrap-up rule says, recompute presence, and wake routing.
//
// Post-operation, async: an agent ending a conversation must not wait for (or fail because
// of) capacity bookkeeping and routing, and Dataverse's async service retries us on failure.
// Because the job may run seconds after the save, times are stamped with the operation's own
// time (OperationCreatedOn), not the time we happen to run. Everything here is idempotent: a
// stamp is only written where the row has none, capacity is recomputed from rows (see
// capacity/agent-load.ts), routing work is safe to duplicate.
import { type ConversationState as CoreState, type Participant, followStoredMove, wrapUpReleaseAt } from '@switchboard/core';
import { ConversationState, SessionRole, SessionState, type SessionRow } from '@switchboard/solution';
import { type StepContext, dateValue, numberValue, refId } from '../context/execution-context';
import { wrapUpBlockingOf } from '../capacity/agent-load';
import { recomputeAgent } from '../capacity/recompute-agent';
import { randomUUID } from 'node:crypto';
import type { RowPatch, RowWrite, StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { isTrusted } from './caller';

const STATE_NAMES: Record<number, CoreState> = {
  [ConversationState.Open]: 'Open',
  [ConversationState.Waiting]: 'Waiting',
  [ConversationState.Active]: 'Active',
  [ConversationState.WrapUp]: 'WrapUp',
  [ConversationState.Closed]: 'Closed',
};

export function stateName(value: number | null | undefined): CoreState | null {
  return value === null || value === undefined ? null : STATE_NAMES[value] ?? null;
}

const IMAGE = 'Image';
const IMAGE_COLUMNS = [
  'swb_state', 'swb_primaryagentid', 'swb_queueid', 'swb_workstreamid',
  'swb_openedon', 'swb_queuedon', 'swb_firstassignedon', 'swb_activeon', 'swb_wrapupon', 'swb_closedon',
];

/** Which time columns a move into `to` stamps; `fresh` ones are stamped only once in a conversation's life. */
export function lifecycleStamps(from: CoreState | null, to: CoreState, existing: (column: string) => boolean, setByCaller: (column: string) => boolean, at: Date): RowPatch {
  const patch: RowPatch = {};
  const iso = at.toISOString();
  const stamp = (column: string, onlyOnce = false) => {
    if (setByCaller(column)) return;
    if (onlyOnce && existing(column)) return;
    patch[column] = iso;
  };
  if (from === null) stamp('swb_openedon', true);
  switch (to) {
    case 'Open':
    case 'Waiting':
      stamp('swb_queuedon');
      if (from === 'Closed') stamp('swb_reopenedon');
      break;
    case 'Active':
      stamp('swb_activeon');
      stamp('swb_firstassignedon', true);
      break;
    case 'WrapUp':
      stamp('swb_wrapupon');
      break;
    case 'Closed':
      stamp('swb_closedon');
      break;
  }
  return patch;
}

export interface SessionPlan {
  updates: { id: string; patch: RowPatch }[];
  /** The primary agent has no open session yet: one is created (the session timer starts there). */
  create: { agentId: string } | null;
}

const agentOf = (s: SessionRow) => s._swb_agentid_value?.toLowerCase() ?? null;

/**
 * Sessions after a state or primary-agent change, by core's lifecycle rules: the open
 * sessions are the participants, core's followStoredMove says who leaves and who takes part as
 * primary, and each answer becomes a row write. A participant who leaves closes their session;
 * at wrap-up the sessions that stay move to wrap-up; the primary agent's session is created,
 * or, for a consultant receiving a transfer, their session is promoted (the same row, so their
 * session timer goes on).
 */
export function planSessions(from: CoreState | null, to: CoreState, primaryBefore: string | null, primaryAfter: string | null, sessions: readonly SessionRow[], at: Date): SessionPlan {
  const iso = at.toISOString();
  const open = sessions.filter((s) => s.swb_state !== SessionState.Closed);
  const before: Participant[] = open.map((s) => ({ agentId: agentOf(s) ?? '', role: s.swb_role === SessionRole.Consult ? 'consult' : 'primary', joinedOn: at.getTime() }));
  const after = followStoredMove(before, { from, to, primaryBefore, primaryAfter }, at.getTime());
  const receiver = after[before.length]?.agentId ?? null;
  const promoted = receiver === null ? undefined : open.find((s) => agentOf(s) === receiver);
  const wrapsUp = to === 'WrapUp' && from !== null && from !== to;
  const updates: SessionPlan['updates'] = [];
  open.forEach((s, i) => {
    if (s === promoted) return;
    if (after[i]!.leftOn !== undefined) updates.push({ id: s.activityid, patch: { swb_state: SessionState.Closed, swb_lefton: iso } });
    else if (wrapsUp && s.swb_state !== SessionState.WrapUp) updates.push({ id: s.activityid, patch: { swb_state: SessionState.WrapUp, swb_wrapupon: iso } });
  });
  if (promoted && promoted.swb_role !== SessionRole.Primary) updates.push({ id: promoted.activityid, patch: { swb_role: SessionRole.Primary } });
  return { updates, create: receiver !== null && !promoted ? { agentId: receiver } : null };
}

async function handle(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const pre = ctx.preImages[IMAGE]?.attributes ?? {};
  const post = ctx.postImages[IMAGE]?.attributes ?? ctx.target?.attributes ?? {};
  const from = ctx.messageName === 'Create' ? null : stateName(numberValue(pre['swb_state']));
  const to = stateName(numberValue(post['swb_state'] ?? ctx.target?.attributes['swb_state']));
  if (to === null) return ok('no state on the row');
  const primaryBefore = refId(pre['swb_primaryagentid']);
  const primaryAfter = refId(post['swb_primaryagentid']);
  if (from === to && primaryBefore === primaryAfter) return ok(`state and primary agent unchanged (${to})`);

  const conversationId = ctx.primaryEntityId;
  const at = ctx.operationCreatedOn ?? new Date(deps.clock.now());
  const target = ctx.target?.attributes ?? {};
  const patch = from === to ? {} : lifecycleStamps(from, to, (c) => dateValue(post[c]) !== null, (c) => target[c] !== undefined && target[c] !== null, at);
  // Back to a queue (transfer to queue, reopen): nobody owns it until routing assigns it again.
  if ((to === 'Open' || to === 'Waiting') && primaryAfter) patch['swb_primaryagentid@odata.bind'] = null;
  // A transfer to an agent: the receiver must own the row to end and close it (the Agent role
  // writes only what it owns), as an accepted offer does.
  if (to === 'Active' && primaryBefore && primaryAfter && primaryBefore !== primaryAfter) patch['ownerid@odata.bind'] = `/systemusers(${primaryAfter})`;
  const byApp = isTrusted(ctx, deps);
  // An accepted offer (the app writes it, with the primary session, in one change set) turns
  // the offer's reservation into the held conversation: same units, nothing to recompute.
  const accepted = byApp && primaryBefore === null && to === 'Active' && (from === 'Open' || from === 'Waiting');
  // Nobody has a session in a conversation that was never assigned, and the accept opened its own.
  const noSessions = accepted || ((from === null || from === 'Open' || from === 'Waiting') && (to === 'Open' || to === 'Waiting'));
  const sessions = noSessions ? [] : await deps.data.listOpenSessions(conversationId);
  const plan = planSessions(from, to, primaryBefore, primaryAfter, sessions, at);
  // The stamps and the session moves in one change set: one request.
  const writes: RowWrite[] = [];
  if (Object.keys(patch).length > 0) writes.push({ table: 'swb_conversation', id: conversationId, patch });
  for (const u of plan.updates) writes.push({ table: 'swb_session', id: u.id, patch: u.patch });
  if (plan.create && !accepted) writes.push({ table: 'swb_session', id: randomUUID(), create: true, patch: sessionRow(conversationId, plan.create.agentId, at) });
  if (writes.length > 0) await deps.data.writeTogether(writes);

  const notes: string[] = [from === to ? `transfer ${primaryBefore ?? 'none'} → ${primaryAfter ?? 'none'}` : `${from ?? 'new'} → ${to}`];
  const queueId = refId(post['swb_queueid']);
  // Into wrap-up, the workstream says when the conversation stops holding capacity: now (then
  // recompute), at close (the close recomputes), or after a delay (a delayed recompute item).
  let held = false;
  if (to === 'WrapUp' && from !== 'WrapUp' && primaryBefore && primaryBefore === primaryAfter) {
    const workstreamId = refId(post['swb_workstreamid']);
    const blocking = wrapUpBlockingOf(workstreamId ? await deps.data.getWorkstream(workstreamId) : null);
    const wrapUpOn = dateValue(target['swb_wrapupon'])?.getTime() ?? at.getTime();
    const releaseAt = wrapUpReleaseAt(blocking, wrapUpOn);
    held = releaseAt === null || releaseAt > deps.clock.now();
    if (releaseAt !== null && releaseAt > deps.clock.now()) {
      const delaySeconds = Math.ceil((releaseAt - deps.clock.now()) / 1000);
      await deps.routingTrigger.enqueue({ kind: 'recompute-agent', agentId: primaryBefore, reason: `wrap-up of ${conversationId} stops holding capacity` }, { delaySeconds });
      notes.push(`release scheduled in ${delaySeconds}s`);
    }
    if (held) notes.push(`capacity held through wrap-up by ${primaryBefore}`);
  }

  // Nothing to recompute when the capacity simply stays: an accepted offer keeps its
  // reservation, a wrap-up that holds keeps the conversation's units.
  for (const agentId of accepted || held ? [] : new Set([primaryBefore, primaryAfter].filter((a): a is string => a !== null))) {
    const outcome = await recomputeAgent(agentId, deps);
    notes.push(`agent ${agentId}: ${outcome.previousUnits}→${outcome.usedUnits} units, ${outcome.presence ?? 'no status row'}`);
    // One wake-up for the agent's queues: the capacity was just recomputed, so the worker need not again.
    if (outcome.released) await deps.routingTrigger.enqueue({ kind: 'route-agent', agentId, recompute: false, reason: `capacity released by ${conversationId} (${to})`, at: deps.clock.now() });
  }

  // Back to a queue by a person (a transfer to a queue, a reopen): route it. The app routes what
  // it creates and queues itself (the SMS and chat services, the worker), once.
  if ((to === 'Open' || to === 'Waiting') && !byApp) {
    await deps.routingTrigger.enqueue({ kind: 'route-conversation', conversationId, queueId, reason: `${from ?? 'new'} → ${to}`, at: deps.clock.now() });
  }
  return ok(notes.join('; '));
}

/** A primary session as the step opens it (a transfer's receiver who had none). */
function sessionRow(conversationId: string, agentId: string, at: Date): RowPatch {
  return {
    'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`,
    'swb_agentid@odata.bind': `/systemusers(${agentId})`,
    swb_role: SessionRole.Primary,
    swb_state: SessionState.Active,
    swb_joinedon: at.toISOString(),
  };
}

export const conversationStateStep: StepDefinition = {
  name: 'conversation-state',
  description: 'Stamps lifecycle times, releases capacity, recomputes presence and wakes routing when a conversation changes state.',
  triggers: [
    {
      message: 'Create',
      table: 'swb_conversation',
      stage: 40,
      mode: 'async',
      rank: 1,
      images: [{ alias: IMAGE, type: 'post', attributes: IMAGE_COLUMNS }],
      description: 'swb_conversation Create: stamp opened time and queue for routing',
    },
    {
      message: 'Update',
      table: 'swb_conversation',
      stage: 40,
      mode: 'async',
      rank: 1,
      // The primary agent too: a transfer keeps the state but moves sessions and capacity.
      filteringAttributes: ['swb_state', 'swb_primaryagentid'],
      images: [{ alias: IMAGE, type: 'both', attributes: IMAGE_COLUMNS }],
      description: 'swb_conversation Update (state, primary agent): lifecycle times, sessions, capacity, presence, routing',
    },
  ],
  handler: handle,
};
