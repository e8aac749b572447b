// Tells the people looking at a row that it changed, over the push service: the agents taking
// part in a conversation (its group), the chat customer (public messages and the end only), the
// agent whose presence or capacity moved (and every supervisor's desk), the supervisors of the
// conversation's queue (a conversation arriving, offered, answered, moved or ended). Events
// carry ids and small facts; every client then reads the rows it may read (push-events.ts).
//
// It also keeps the conversation groups true: a consultant's session or a transfer's receiver
// joins the group, the agent a transfer took it from leaves it, so an agent hears only of the
// conversations they take part in. A connection opened later gets its groups from its ticket
// (push-ticket step).
//
// The functions app publishes what it writes itself where speed matters (a customer's message,
// an offer): this step skips customer messages, and everything else an app write causes arrives
// here as well — a duplicate event costs a client nothing (it reads after the sequence it has).
import { SUPERVISORS_GROUP, type PushEvent, conversationGroup, customerPushUser, queueGroup } from '@switchboard/core';
import { ChannelType, ConversationState, MessageDirection, SessionState, Visibility } from '@switchboard/solution';
import { type StepContext, numberValue, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';

const IMAGE = 'Image';
const CONVERSATION_COLUMNS = ['swb_state', 'swb_primaryagentid', 'swb_queueid', 'swb_channeltype'];

async function onMessage(ctx: StepContext, push: NonNullable<StepDeps['push']>): Promise<StepResult> {
  if (ctx.messageName === 'Update') return onDelivery(ctx, push);
  const t = ctx.target?.attributes ?? {};
  const conversationId = refId(t['swb_conversationid']);
  if (!conversationId) return ok('message without a conversation');
  if (numberValue(t['swb_direction']) === MessageDirection.Inbound) return ok('a customer message: published by the app that stored it');
  const sequence = numberValue(t['swb_sequence']) ?? undefined;
  const internal = numberValue(t['swb_visibility']) === Visibility.Internal;
  const event: PushEvent = { kind: 'message', conversationId, ...(sequence !== undefined ? { sequence } : {}), ...(internal ? { internal: true } : {}) };
  await push.toGroup(conversationGroup(conversationId), event);
  // The customer hears of public messages only; a widget that is not connected simply misses it.
  if (!internal) await push.toUser(customerPushUser(conversationId), { kind: 'message', conversationId, ...(sequence !== undefined ? { sequence } : {}) });
  return ok(`message ${sequence ?? '?'} pushed${internal ? ' (internal)' : ''}`);
}

// A reply's delivery status moved (the provider's report, or the send itself): the agents see it.
async function onDelivery(ctx: StepContext, push: NonNullable<StepDeps['push']>): Promise<StepResult> {
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  const conversationId = refId(post['swb_conversationid']);
  if (!conversationId) return ok('message without a conversation');
  const sequence = numberValue(post['swb_sequence']) ?? undefined;
  await push.toGroup(conversationGroup(conversationId), { kind: 'delivery', conversationId, ...(sequence !== undefined ? { sequence } : {}) });
  return ok(`delivery of ${sequence ?? '?'} pushed`);
}

async function onConversation(ctx: StepContext, push: NonNullable<StepDeps['push']>): Promise<StepResult> {
  const pre = ctx.preImages[IMAGE]?.attributes ?? {};
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  const conversationId = ctx.primaryEntityId.toLowerCase();
  const group = conversationGroup(conversationId);
  const state = numberValue(post['swb_state']) ?? undefined;
  const before = refId(pre['swb_primaryagentid']);
  const after = refId(post['swb_primaryagentid']);
  const notes: string[] = [];
  if (ctx.messageName === 'Create') {
    // A new conversation has nobody in its group yet, and its customer is not connected yet: only
    // the supervisors of its queue hear of it.
    const queueId = refId(post['swb_queueid']);
    if (queueId) await push.toGroup(queueGroup(queueId), { kind: 'queue', queueId });
    return ok(queueId ? `queue ${queueId} told of a new conversation` : 'new conversation in no queue yet');
  }
  // The receiver joins before the event, so their open tabs hear it; the agent it was taken from
  // hears it too (their pane turns read-only) and leaves after.
  if (after && after !== before) {
    await push.join(after, group);
    await push.toUser(after, { kind: 'conversation', conversationId, ...(state !== undefined ? { state } : {}) });
    notes.push(`${after} joined`);
  }
  await push.toGroup(group, { kind: 'conversation', conversationId, ...(state !== undefined ? { state } : {}) });
  if (before && before !== after) {
    await push.leave(before, group);
    notes.push(`${before} left`);
  }
  if (numberValue(post['swb_channeltype']) === ChannelType.LiveChat && state !== numberValue(pre['swb_state'])) {
    await push.toUser(customerPushUser(conversationId), { kind: 'conversation', conversationId, ...(state !== undefined ? { state } : {}) });
  }
  for (const queueId of new Set([refId(pre['swb_queueid']), refId(post['swb_queueid'])])) {
    if (queueId) await push.toGroup(queueGroup(queueId), { kind: 'queue', queueId });
  }
  notes.push(`conversation ${state === ConversationState.Closed ? 'closed' : 'changed'}`);
  return ok(notes.join('; '));
}

async function onSession(ctx: StepContext, push: NonNullable<StepDeps['push']>): Promise<StepResult> {
  const row = { ...(ctx.postImages[IMAGE]?.attributes ?? {}), ...(ctx.target?.attributes ?? {}) };
  const conversationId = refId(row['swb_conversationid']);
  const agentId = refId(row['swb_agentid']);
  if (!conversationId || !agentId) return ok('session without a conversation or agent');
  const group = conversationGroup(conversationId);
  if (ctx.messageName === 'Create') {
    // A consult invitation: the consultant's inbox lists it and their pane follows the conversation.
    await push.join(agentId, group);
    await push.toUser(agentId, { kind: 'conversation', conversationId });
    return ok(`${agentId} joined ${group}`);
  }
  if (numberValue(row['swb_state']) === SessionState.Closed) {
    await push.toUser(agentId, { kind: 'conversation', conversationId });
    await push.leave(agentId, group);
    return ok(`${agentId} left ${group}`);
  }
  return ok('session still open');
}

async function onAgentStatus(ctx: StepContext, push: NonNullable<StepDeps['push']>): Promise<StepResult> {
  const agentId = refId(ctx.postImages[IMAGE]?.attributes['swb_agentid']);
  if (!agentId) return ok('status without an agent');
  await push.toUser(agentId, { kind: 'agent', agentId });
  // The supervisors' desks show every agent's presence and capacity.
  await push.toGroup(SUPERVISORS_GROUP, { kind: 'agent', agentId });
  return ok(`agent ${agentId} told, and the supervisors`);
}

async function handle(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const push = deps.push;
  if (!push) return ok('push not configured');
  switch (ctx.primaryEntityName) {
    case 'swb_message':
      return onMessage(ctx, push);
    case 'swb_conversation':
      return onConversation(ctx, push);
    case 'swb_session':
      return onSession(ctx, push);
    case 'swb_agentstatus':
      return onAgentStatus(ctx, push);
    default:
      return ok(`nothing to push for ${ctx.primaryEntityName}`);
  }
}

export const pushRelayStep: StepDefinition = {
  name: 'push-relay',
  description: 'Tells the agents, customer and supervisors concerned that a message, conversation, session or presence changed, over Web PubSub.',
  triggers: [
    { message: 'Create', table: 'swb_message', stage: 40, mode: 'async', rank: 5, description: 'swb_message Create: tell the conversation' },
    {
      message: 'Update',
      table: 'swb_message',
      stage: 40,
      mode: 'async',
      rank: 5,
      filteringAttributes: ['swb_deliverystatus'],
      images: [{ alias: IMAGE, type: 'post', attributes: ['swb_conversationid', 'swb_sequence'] }],
      description: 'swb_message Update (delivery status): tell the conversation',
    },
    {
      message: 'Create',
      table: 'swb_conversation',
      stage: 40,
      mode: 'async',
      rank: 5,
      images: [{ alias: IMAGE, type: 'post', attributes: CONVERSATION_COLUMNS }],
      description: 'swb_conversation Create: tell the queue',
    },
    {
      message: 'Update',
      table: 'swb_conversation',
      stage: 40,
      mode: 'async',
      rank: 5,
      // swb_offeredto: the supervisors' desks say who a waiting conversation is offered to.
      filteringAttributes: ['swb_state', 'swb_primaryagentid', 'swb_queueid', 'swb_offeredto'],
      images: [{ alias: IMAGE, type: 'both', attributes: CONVERSATION_COLUMNS }],
      description: 'swb_conversation Update (state, primary agent, queue, offer): tell the conversation, the customer and the queue',
    },
    { message: 'Create', table: 'swb_session', stage: 40, mode: 'async', rank: 5, description: 'swb_session Create: a consultant joins the conversation' },
    {
      message: 'Update',
      table: 'swb_session',
      stage: 40,
      mode: 'async',
      rank: 5,
      filteringAttributes: ['swb_state'],
      images: [{ alias: IMAGE, type: 'post', attributes: ['swb_conversationid', 'swb_agentid', 'swb_state'] }],
      description: 'swb_session Update (state): a consultant leaves the conversation',
    },
    {
      message: 'Update',
      table: 'swb_agentstatus',
      stage: 40,
      mode: 'async',
      rank: 5,
      filteringAttributes: ['swb_basepresence', 'swb_capacityused', 'swb_manualoverride'],
      images: [{ alias: IMAGE, type: 'post', attributes: ['swb_agentid'] }],
      description: 'swb_agentstatus Update (presence, capacity): tell the agent',
    },
  ],
  handler: handle,
};
