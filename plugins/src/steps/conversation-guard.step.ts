// What an agent may do to a conversation with their own token. In the model a transfer is a
// write to the conversation (a new primary agent, or a new queue with state Open), ending and
// closing are writes of its state, and a consult is a session row created with role Consult —
// so those writes are checked here, synchronously, and a refusal rolls the write back with a
// message the agent reads in their language. Only the primary agent consults, transfers, ends
// and closes; a conversation moves only along its lifecycle (Active → Wrap-up → Closed, or
// back to a queue); the only session a person creates is a consult. The decisions on consult
// and transfer are core's (startConsult / transferToAgent / transferToQueue).
//
// Supervisors of the conversation's queue (the Supervisor role and membership of that queue)
// have their own moves, checked here too: join (a consult session for themselves), assign a
// waiting conversation to an agent of the queue, transfer it to such an agent or to a queue, and
// force-close it. Assigning and transferring to an agent respect that agent's capacity unless
// the same write sets swb_forcedassignment, which nobody else may set. What they did is recorded
// afterwards by the supervisor-audit step, from the write itself.
import {
  type ConversationRecord,
  type LifecycleError,
  startConsult,
  transferToAgent,
  transferToQueue,
} from '@switchboard/core';
import { ConversationState, SessionRole, SessionState } from '@switchboard/solution';
import { type StepContext, isEntityRef, numberValue, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { isTrusted, refuse } from './caller';
import { stateName } from './conversation-state.step';
import { capacityFit, isQueueMember, supervises, userName } from './supervisor-scope';

const PRE_IMAGE = 'PreImage';

async function checkConsult(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const t = ctx.target?.attributes ?? {};
  // Primary sessions are opened by the conversation-state step when routing assigns: a person
  // creating one would make themselves a participant of someone else's conversation.
  if (numberValue(t['swb_role']) !== SessionRole.Consult) return refuse(ctx, deps, 'consult.onlyConsult', 'consult.onlyConsult');
  const sessionState = numberValue(t['swb_state']);
  if (sessionState !== null && sessionState !== SessionState.Active) return refuse(ctx, deps, 'consult.onlyConsult', 'consult.onlyConsult');
  const conversationId = refId(t['swb_conversationid']);
  const consultant = refId(t['swb_agentid']);
  if (!conversationId || !consultant) return ok('consult without conversation or agent: left to required-column checks');
  const conversation = await deps.data.getConversation(conversationId);
  if (!conversation) return refuse(ctx, deps, 'consult.conversationMissing', 'consult.conversationMissing');
  const sessions = await deps.data.listOpenSessions(conversationId);
  const primaryId = conversation.row._swb_primaryagentid_value?.toLowerCase() ?? null;
  // A supervisor joining: a consult session for themselves, in a conversation of their queue.
  if (consultant === ctx.initiatingUserId && primaryId !== consultant && (await supervises(ctx.initiatingUserId, conversation.row._swb_queueid_value ?? null, deps))) {
    if (conversation.row.swb_state !== ConversationState.Active) return refuse(ctx, deps, 'lifecycle.notActive', 'supervisor.joinNotActive');
    const already = sessions.some((s) => s.swb_state !== SessionState.Closed && s._swb_agentid_value?.toLowerCase() === consultant);
    if (already) return refuse(ctx, deps, 'lifecycle.alreadyParticipant', 'consult.alreadyParticipant');
    return ok('a supervisor of the queue joins as a consultant');
  }
  const at = deps.clock.now();
  const primary = conversation.row._swb_primaryagentid_value?.toLowerCase() ?? null;
  const record: ConversationRecord = {
    id: conversationId,
    state: stateName(conversation.row.swb_state) ?? 'Open',
    timestamps: { openedOn: at },
    participants: [
      ...(primary ? [{ agentId: primary, role: 'primary' as const, joinedOn: at }] : []),
      ...sessions
        .filter((s) => s.swb_role === SessionRole.Consult && s.swb_state !== SessionState.Closed && s._swb_agentid_value)
        .map((s) => ({ agentId: s._swb_agentid_value!.toLowerCase(), role: 'consult' as const, joinedOn: at })),
    ],
    reopenCount: 0,
  };
  const decided = startConsult(record, ctx.initiatingUserId, consultant, at);
  if (decided.ok) return ok('consult by the primary agent');
  return refuseFor(ctx, deps, 'consult', decided.error);
}

async function refuseFor(ctx: StepContext, deps: StepDeps, kind: 'consult' | 'transfer', error: LifecycleError, primaryName?: string | null): Promise<StepResult> {
  switch (error.code) {
    case 'lifecycle.notActive':
      return refuse(ctx, deps, error.code, `${kind}.notActive`);
    case 'lifecycle.alreadyParticipant':
      return refuse(ctx, deps, error.code, kind === 'consult' ? 'consult.alreadyParticipant' : 'transfer.toSelf');
    default:
      if (kind === 'consult') return refuse(ctx, deps, error.code, 'consult.notPrimary');
      return primaryName
        ? refuse(ctx, deps, error.code, 'transfer.notPrimary', { primary: primaryName })
        : refuse(ctx, deps, error.code, 'transfer.notPrimaryUnknown');
  }
}

async function checkTransfer(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const pre = ctx.preImages[PRE_IMAGE]?.attributes;
  if (!pre) return ok('no pre-image: step registered without it');
  const primaryRef = pre['swb_primaryagentid'];
  const primary = refId(primaryRef);
  // Someone who is not the primary agent: a supervisor of the queue has moves of their own. The
  // role and membership are read only here, so the primary agent's own writes cost nothing more.
  if (primary !== ctx.initiatingUserId && (await supervises(ctx.initiatingUserId, refId(pre['swb_queueid']), deps))) return checkSupervisorMove(ctx, deps, pre);
  if (ctx.target?.attributes['swb_forcedassignment'] === true) return refuse(ctx, deps, 'supervisor.forceOnlySupervisor', 'supervisor.notSupervisorOf');
  // No primary agent: the conversation waits for routing (or is closed). Only routing — the
  // app, trusted above — assigns, moves or ends it; a person who still owns it from an earlier
  // session (a transfer back to the queue keeps the owner) must not grab or close it.
  if (!primary) return refuse(ctx, deps, 'lifecycle.unassigned', 'conversation.unassigned');
  const t = ctx.target?.attributes ?? {};
  const at = deps.clock.now();
  const record: ConversationRecord = {
    id: ctx.primaryEntityId,
    state: stateName(numberValue(pre['swb_state'])) ?? 'Open',
    timestamps: { openedOn: at },
    participants: [{ agentId: primary, role: 'primary', joinedOn: at }],
    reopenCount: 0,
  };
  const from = numberValue(pre['swb_state']);
  const to = numberValue(t['swb_state']);
  const backToQueue = to === ConversationState.Open || to === ConversationState.Waiting;
  const nextAgent = 'swb_primaryagentid' in t ? refId(t['swb_primaryagentid']) : primary;
  const nextQueue = 'swb_queueid' in t ? refId(t['swb_queueid']) : refId(pre['swb_queueid']);
  let decided;
  if (nextAgent !== primary) {
    decided = nextAgent ? transferToAgent(record, ctx.initiatingUserId, nextAgent, at) : transferToQueue(record, ctx.initiatingUserId, at);
  } else if (nextQueue !== refId(pre['swb_queueid']) || (backToQueue && to !== from)) {
    decided = transferToQueue(record, ctx.initiatingUserId, at);
  } else {
    return checkStateChange(ctx, deps, primary, from);
  }
  if (!decided.ok) {
    const name = isEntityRef(primaryRef) ? primaryRef.name ?? null : null;
    return refuseFor(ctx, deps, 'transfer', decided.error, name);
  }
  // A transfer keeps the conversation Active (to an agent) or sends it back to a queue (Open):
  // a state riding along with it must be one of those, not a close slipped into a transfer.
  const toAgent = nextAgent !== null && nextAgent !== primary;
  const allowed = toAgent ? [ConversationState.Active] : [ConversationState.Open, ConversationState.Waiting];
  if (to !== null && to !== from && !allowed.includes(to)) return refuse(ctx, deps, 'lifecycle.badTransition', 'conversation.badTransition');
  return ok('transfer by the primary agent');
}

/** Where a person may move a conversation they hold; back to a queue is a transfer, checked above. */
const NEXT_STATES: Readonly<Record<number, readonly number[]>> = {
  [ConversationState.Active]: [ConversationState.WrapUp, ConversationState.Closed],
  [ConversationState.WrapUp]: [ConversationState.Closed],
};

async function checkStateChange(ctx: StepContext, deps: StepDeps, primary: string, from: number | null): Promise<StepResult> {
  const to = numberValue(ctx.target?.attributes['swb_state']);
  if (to === null || to === from) return ok('state unchanged');
  if (ctx.initiatingUserId !== primary) return refuse(ctx, deps, 'lifecycle.notPrimary', 'conversation.notPrimary');
  if (from === null || !(NEXT_STATES[from] ?? []).includes(to)) return refuse(ctx, deps, 'lifecycle.badTransition', 'conversation.badTransition');
  return ok('ended or closed by the primary agent');
}

const WAITING: readonly number[] = [ConversationState.Open, ConversationState.Waiting];

/**
 * A supervisor of the conversation's queue moving it: assign (waiting → Active with an agent of
 * the queue), transfer to such an agent (Active stays Active) or to a queue (back to Open), or
 * force-close (any open state → Closed, nothing else in the same write). Ending (wrap-up) stays
 * the primary agent's, and a closed conversation is not reopened by a person.
 */
async function checkSupervisorMove(ctx: StepContext, deps: StepDeps, pre: StepContext['preImages'][string]['attributes']): Promise<StepResult> {
  const t = ctx.target?.attributes ?? {};
  const queue = refId(pre['swb_queueid'])!;
  const primary = refId(pre['swb_primaryagentid']);
  const from = numberValue(pre['swb_state']);
  const to = 'swb_state' in t ? numberValue(t['swb_state']) : from;
  const nextAgent = 'swb_primaryagentid' in t ? refId(t['swb_primaryagentid']) : primary;
  const nextQueue = 'swb_queueid' in t ? refId(t['swb_queueid']) : queue;
  const forced = t['swb_forcedassignment'] === true;
  const waiting = from !== null && WAITING.includes(from);
  const toAgent = nextAgent !== null && nextAgent !== primary;
  if (forced && !toAgent) return refuse(ctx, deps, 'supervisor.forceWithAssignment', 'supervisor.forceWithAssignment');
  if (from === ConversationState.Closed) return to === from && !toAgent && nextQueue === queue ? ok('closed, nothing moved') : refuse(ctx, deps, 'lifecycle.badTransition', 'conversation.badTransition');

  if (to === ConversationState.Closed) {
    if (toAgent || nextQueue !== queue) return refuse(ctx, deps, 'supervisor.closeOnly', 'supervisor.closeOnly');
    return ok('force-closed by a supervisor of the queue');
  }

  if (toAgent) {
    if (!waiting && from !== ConversationState.Active) return refuse(ctx, deps, 'lifecycle.notActive', 'transfer.notActive');
    // Assigned means Active, with the agent in the same write: state and agent move together.
    if (to !== ConversationState.Active || nextQueue !== queue) return refuse(ctx, deps, 'lifecycle.badTransition', 'conversation.badTransition');
    if (!(await isQueueMember(nextAgent, queue, deps))) return refuse(ctx, deps, 'supervisor.agentNotInQueue', 'supervisor.agentNotInQueue', { agent: await userName(nextAgent, deps) });
    if (!forced) {
      const fit = await capacityFit(nextAgent, ctx.primaryEntityId, deps);
      if (fit === 'full') return refuse(ctx, deps, 'supervisor.agentFull', 'supervisor.agentFull', { agent: await userName(nextAgent, deps) });
      if (fit === 'no-status') return refuse(ctx, deps, 'supervisor.agentNoStatus', 'supervisor.agentNoStatus', { agent: await userName(nextAgent, deps) });
    }
    return ok(`${waiting ? 'assigned' : 'transferred'} to an agent by a supervisor of the queue${forced ? ', over capacity' : ''}`);
  }

  if (nextQueue !== queue || (to !== from && to !== null && WAITING.includes(to))) {
    if (!nextQueue || (from === ConversationState.WrapUp)) return refuse(ctx, deps, 'lifecycle.badTransition', 'conversation.badTransition');
    // Out of the hands of its agent and back to routing: Open (or still waiting, for a waiting one).
    if (to === null || !WAITING.includes(to)) return refuse(ctx, deps, 'lifecycle.badTransition', 'conversation.badTransition');
    return ok('transferred to a queue by a supervisor of the queue');
  }

  if (to !== from) return refuse(ctx, deps, 'supervisor.notAMove', 'supervisor.notAMove');
  return ok('nothing guarded changed');
}

export const conversationGuardStep: StepDefinition = {
  name: 'conversation-guard',
  description: 'Refuses consults, transfers, ends and closes by anyone but the primary agent or a supervisor of the queue, and state changes outside the lifecycle.',
  triggers: [
    {
      message: 'Create',
      table: 'swb_session',
      stage: 20,
      mode: 'sync',
      rank: 1,
      description: 'swb_session Create: only the primary agent may invite a consult; a supervisor of the queue may join',
    },
    {
      message: 'Update',
      table: 'swb_conversation',
      stage: 20,
      mode: 'sync',
      rank: 1,
      filteringAttributes: ['swb_primaryagentid', 'swb_queueid', 'swb_state', 'swb_forcedassignment'],
      images: [{ alias: PRE_IMAGE, type: 'pre', attributes: ['swb_state', 'swb_primaryagentid', 'swb_queueid'] }],
      description: 'swb_conversation Update (agent, queue, state, over capacity): only the primary agent may transfer, end or close; a supervisor of the queue may assign, transfer and force-close',
    },
  ],
  async handler(ctx, deps) {
    if (isTrusted(ctx, deps)) return ok('trusted service user');
    if (ctx.primaryEntityName === 'swb_session') return checkConsult(ctx, deps);
    return checkTransfer(ctx, deps);
  },
};
