// Only the primary agent may consult or transfer. In the model a transfer is a write to the
// conversation (a new primary agent, or a new queue with state Open), and a consult is a
// session row created with role Consult — so those writes are checked here, pre-operation and
// sync, and a refusal rolls the write back with a message the agent reads in their language.
// The decision itself is core's (startConsult / transferToAgent / transferToQueue).
import {
  type ConversationRecord,
  type LifecycleError,
  startConsult,
  transferToAgent,
  transferToQueue,
} from '@switchboard/core';
import { SessionRole, SessionState } from '@switchboard/solution';
import { type StepContext, isEntityRef, numberValue, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import { type MessageKey, localize } from '../resources/resources';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { stateName } from './conversation-state.step';

const PRE_IMAGE = 'PreImage';

async function refuse(ctx: StepContext, deps: StepDeps, code: string, key: MessageKey, args: Record<string, string> = {}): Promise<StepResult> {
  let lcid: number | undefined;
  try {
    lcid = await deps.data.getUserLanguage(ctx.initiatingUserId);
  } catch {
    lcid = undefined; // the refusal matters more than its language
  }
  return { kind: 'refuse', code, message: localize(key, lcid, deps.config.defaultLanguage, args) };
}

function isTrusted(ctx: StepContext, deps: StepDeps): boolean {
  const trusted = deps.config.trustedUserIds.map((u) => u.toLowerCase());
  return trusted.includes(ctx.initiatingUserId);
}

async function checkConsult(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const t = ctx.target?.attributes ?? {};
  if (numberValue(t['swb_role']) !== SessionRole.Consult) return ok('not a consult session');
  const conversationId = refId(t['swb_conversationid']);
  const consultant = refId(t['swb_agentid']);
  if (!conversationId || !consultant) return ok('consult without conversation or agent: left to required-column checks');
  const conversation = await deps.data.getConversation(conversationId);
  if (!conversation) return refuse(ctx, deps, 'consult.conversationMissing', 'consult.conversationMissing');
  const sessions = await deps.data.listOpenSessions(conversationId);
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
  // No primary agent yet: this is routing assigning the conversation, not a transfer.
  if (!primary) return ok('unassigned: not a transfer');
  const t = ctx.target?.attributes ?? {};
  const at = deps.clock.now();
  const record: ConversationRecord = {
    id: ctx.primaryEntityId,
    state: stateName(numberValue(pre['swb_state'])) ?? 'Open',
    timestamps: { openedOn: at },
    participants: [{ agentId: primary, role: 'primary', joinedOn: at }],
    reopenCount: 0,
  };
  let decided;
  if ('swb_primaryagentid' in t) {
    const next = refId(t['swb_primaryagentid']);
    if (next === primary) return ok('primary agent unchanged');
    decided = next ? transferToAgent(record, ctx.initiatingUserId, next, at) : transferToQueue(record, ctx.initiatingUserId, at);
  } else if ('swb_queueid' in t) {
    if (refId(t['swb_queueid']) === refId(pre['swb_queueid'])) return ok('queue unchanged');
    decided = transferToQueue(record, ctx.initiatingUserId, at);
  } else {
    return ok('neither agent nor queue changes');
  }
  if (decided.ok) return ok('transfer by the primary agent');
  const name = isEntityRef(primaryRef) ? primaryRef.name ?? null : null;
  return refuseFor(ctx, deps, 'transfer', decided.error, name);
}

export const consultTransferStep: StepDefinition = {
  name: 'consult-transfer',
  description: 'Refuses consults and transfers by anyone but the primary agent.',
  triggers: [
    {
      message: 'Create',
      table: 'swb_session',
      stage: 20,
      mode: 'sync',
      rank: 1,
      description: 'swb_session Create: only the primary agent may invite a consult',
    },
    {
      message: 'Update',
      table: 'swb_conversation',
      stage: 20,
      mode: 'sync',
      rank: 1,
      filteringAttributes: ['swb_primaryagentid', 'swb_queueid'],
      images: [{ alias: PRE_IMAGE, type: 'pre', attributes: ['swb_state', 'swb_primaryagentid', 'swb_queueid'] }],
      description: 'swb_conversation Update (agent or queue): only the primary agent may transfer',
    },
  ],
  async handler(ctx, deps) {
    if (isTrusted(ctx, deps)) return ok('trusted service user');
    if (ctx.primaryEntityName === 'swb_session') return checkConsult(ctx, deps);
    return checkTransfer(ctx, deps);
  },
};
