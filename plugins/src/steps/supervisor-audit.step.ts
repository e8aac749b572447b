// What a supervisor did, recorded by the app from the write that did it — so going around the
// desk (straight to the Web API) is recorded all the same — and the loose ends of that write:
//
// - an audit row (swb_supervisoraction) for every join, assignment, transfer, force-close and
//   presence change made by someone other than the agent concerned;
// - an internal system note in the transcript for the moves the agents of the conversation must
//   see (joined, assigned, transferred, closed). Monitoring leaves no note: a monitor that
//   announces itself is no longer silent; its audit row is written by the supervisor's own
//   create (see supervisor-guard);
// - a waiting conversation assigned, closed or sent to another queue by a supervisor may have a
//   live offer: it is withdrawn (not a decline: routing does not hold it against the agent) and
//   the offered agent's reservation released by recomputing them from rows;
// - an assigned conversation is owned by its agent, who must own it to end and close it (the
//   Agent role writes only its own rows), as an accepted offer is.
//
// Post-operation, async: the supervisor's save does not wait for any of this, and Dataverse
// retries a failure. Rows get ids derived from the operation, so a retry finds its own rows.
import { createHash } from 'node:crypto';
import {
  AgentConnectionState,
  AuthorKind,
  ConversationState,
  MessageDirection,
  OfferResponse,
  SessionRole,
  SupervisorAction,
  Visibility,
  metadata,
  model,
} from '@switchboard/solution';
import { type EntityImage, type StepContext, numberValue, refId } from '../context/execution-context';
import { recomputeAgent } from '../capacity/recompute-agent';
import type { RowPatch, StepDeps } from '../ports';
import { type MessageKey, localize } from '../resources/resources';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { isTrusted } from './caller';
import { userName } from './supervisor-scope';

const IMAGE = 'Image';
const WAITING: readonly number[] = [ConversationState.Open, ConversationState.Waiting];

/** A GUID that is the same for the same operation and purpose: a retried job re-creates nothing. */
export function operationGuid(ctx: StepContext, purpose: string): string {
  const seed = [ctx.requestId ?? ctx.correlationId, ctx.primaryEntityId, ctx.messageName, ctx.operationCreatedOn?.getTime() ?? '', purpose].join('|');
  const h = createHash('sha256').update(seed).digest('hex');
  // Version 5 layout (name-based), so it reads as a well-formed GUID anywhere.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

const bind = (table: string, id: string) => `/${metadata.entities[table]!.entitySetName}(${id})`;

export type ConversationMove =
  | { kind: 'assign' | 'transfer-agent'; agent: string; forced: boolean }
  | { kind: 'transfer-queue'; queue: string }
  | { kind: 'close' }
  | { kind: 'none' };

/** What a supervisor's write did to a conversation, from the images before and after it. */
export function classifyMove(pre: EntityImage['attributes'], post: EntityImage['attributes']): ConversationMove {
  const from = numberValue(pre['swb_state']);
  const to = numberValue(post['swb_state']);
  const agentBefore = refId(pre['swb_primaryagentid']);
  const agentAfter = refId(post['swb_primaryagentid']);
  const queueBefore = refId(pre['swb_queueid']);
  const queueAfter = refId(post['swb_queueid']);
  if (to === ConversationState.Closed && from !== ConversationState.Closed) return { kind: 'close' };
  if (agentAfter && agentAfter !== agentBefore && to === ConversationState.Active) {
    return { kind: from !== null && WAITING.includes(from) ? 'assign' : 'transfer-agent', agent: agentAfter, forced: post['swb_forcedassignment'] === true };
  }
  if (queueAfter && (queueAfter !== queueBefore || (to !== from && to !== null && WAITING.includes(to)))) return { kind: 'transfer-queue', queue: queueAfter };
  return { kind: 'none' };
}

async function queueName(queueId: string, deps: StepDeps): Promise<string> {
  const row = await deps.data.getRow('queue', queueId, ['name']);
  const name = row?.row['name'];
  return typeof name === 'string' && name ? name : queueId;
}

function text(key: MessageKey, deps: StepDeps, args: Record<string, string>): string {
  return localize(key, undefined, deps.config.defaultLanguage, args);
}

async function audit(ctx: StepContext, deps: StepDeps, row: RowPatch & { swb_action: SupervisorAction; swb_name: string }): Promise<'created' | 'duplicate'> {
  return deps.data.createRow('swb_supervisoraction', {
    swb_supervisoractionid: operationGuid(ctx, 'audit'),
    'swb_supervisorid@odata.bind': bind('systemuser', ctx.initiatingUserId),
    swb_occurredon: (ctx.operationCreatedOn ?? new Date(deps.clock.now())).toISOString(),
    ...row,
    swb_name: row.swb_name.slice(0, 200),
  });
}

/**
 * An internal system note, numbered as the app numbers messages: claim the conversation's
 * counter with If-Match, then create with that sequence; the (conversation, sequence) key
 * refuses a number an agent's pane took meanwhile (panes number from the rows, not the counter),
 * and the loop takes the next. The note's own id tells a retried job that it is already there.
 */
export async function appendSystemNote(ctx: StepContext, conversationId: string, body: string, deps: StepDeps): Promise<'created' | 'exists'> {
  const messageId = operationGuid(ctx, 'note');
  for (let attempt = 1; attempt <= 8; attempt++) {
    const conversation = await deps.data.getConversation(conversationId);
    if (!conversation) return 'exists';
    const sequence = Math.max(conversation.row.swb_lastmessagesequence ?? 0, await deps.data.lastMessageSequence(conversationId)) + 1;
    if ((await deps.data.updateConversation(conversationId, { swb_lastmessagesequence: sequence }, conversation.etag)) === 'conflict') continue;
    const created = await deps.data.createRow('swb_message', {
      swb_messageid: messageId,
      'swb_conversationid@odata.bind': bind('swb_conversation', conversationId),
      swb_name: body.slice(0, 100),
      swb_sequence: sequence,
      swb_direction: MessageDirection.Outbound,
      swb_authorkind: AuthorKind.System,
      swb_visibility: Visibility.Internal,
      swb_body: body,
    });
    if (created === 'created' || (await deps.data.getMessage(messageId))) return created === 'created' ? 'created' : 'exists';
  }
  throw new Error(`could not number a system note in ${conversationId}: the sequence kept being taken`);
}

/** Live offers of a conversation a supervisor took out of routing's hands, withdrawn and their reservation released. */
async function withdrawOffers(ctx: StepContext, conversationId: string, deps: StepDeps): Promise<string[]> {
  const offers = await deps.data.listPendingOffersFor(conversationId);
  if (offers.length === 0) return [];
  const at = (ctx.operationCreatedOn ?? new Date(deps.clock.now())).toISOString();
  for (const o of offers) {
    await deps.data.updateRow('swb_offer', o.swb_offerid, { swb_response: OfferResponse.Withdrawn, swb_respondedon: at });
    if (o._swb_agentid_value) await deps.push?.toUser(o._swb_agentid_value, { kind: 'offer', conversationId, change: 'withdrawn' });
  }
  // Routing's view of the live offer on the conversation, if it keeps one: a conversation sent to
  // another queue still waits, and must not look offered.
  const view = await deps.data.getRow('swb_conversation', conversationId, ['_swb_offeredto_value']);
  if (view?.row['_swb_offeredto_value']) await deps.data.updateConversation(conversationId, { 'swb_offeredto@odata.bind': null });
  const notes: string[] = [];
  for (const agentId of new Set(offers.map((o) => o._swb_agentid_value?.toLowerCase()).filter((a): a is string => Boolean(a)))) {
    const outcome = await recomputeAgent(agentId, deps);
    if (outcome.released) await deps.routingTrigger.enqueue({ kind: 'route-agent', agentId, reason: `offer of ${conversationId} withdrawn by a supervisor` });
    notes.push(`offer to ${agentId} withdrawn (${outcome.previousUnits}→${outcome.usedUnits} units)`);
  }
  return notes;
}

async function onConversation(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const pre = ctx.preImages[IMAGE]?.attributes ?? {};
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  const caller = ctx.initiatingUserId;
  // The primary agent's own transfer, end or close is their work, not a supervisor's action.
  if (refId(pre['swb_primaryagentid']) === caller) return ok("the primary agent's own move");
  const move = classifyMove(pre, post);
  if (move.kind === 'none') return ok('nothing a supervisor did');
  const conversationId = ctx.primaryEntityId;
  const supervisor = await userName(caller, deps);
  const from = numberValue(pre['swb_state']);
  const wasWaiting = from !== null && WAITING.includes(from);
  const queue = refId(post['swb_queueid']);
  const notes: string[] = [];
  let line: string;
  let row: RowPatch & { swb_action: SupervisorAction };
  switch (move.kind) {
    case 'assign':
    case 'transfer-agent': {
      const agent = await userName(move.agent, deps);
      const key: MessageKey = move.kind === 'assign' ? (move.forced ? 'audit.assignedForced' : 'audit.assigned') : move.forced ? 'audit.transferredToAgentForced' : 'audit.transferredToAgent';
      line = text(key, deps, { supervisor, agent });
      const fromAgent = refId(pre['swb_primaryagentid']);
      row = {
        swb_action: move.kind === 'assign' ? SupervisorAction.Assign : SupervisorAction.Transfer,
        'swb_agentid@odata.bind': bind('systemuser', move.agent),
        ...(fromAgent ? { 'swb_fromagentid@odata.bind': bind('systemuser', fromAgent) } : {}),
        swb_forced: move.forced,
      };
      // conversation-state gives a transferred conversation to its receiver; an assigned one had
      // no agent before, so that rule does not see it.
      if (move.kind === 'assign' && refId(post['ownerid']) !== move.agent) {
        await deps.data.updateConversation(conversationId, { 'ownerid@odata.bind': bind('systemuser', move.agent) });
        notes.push('owner set to the assigned agent');
      }
      break;
    }
    case 'transfer-queue':
      line = text('audit.transferredToQueue', deps, { supervisor, queue: await queueName(move.queue, deps) });
      row = { swb_action: SupervisorAction.Transfer, ...(refId(pre['swb_primaryagentid']) ? { 'swb_fromagentid@odata.bind': bind('systemuser', refId(pre['swb_primaryagentid'])!) } : {}) };
      // A waiting conversation sent to another queue keeps its state, so conversation-state
      // (which reacts to state and agent) does not wake routing for it.
      if (wasWaiting && numberValue(post['swb_state']) === from) {
        await deps.routingTrigger.enqueue({ kind: 'route-conversation', conversationId, queueId: move.queue, reason: 'moved to another queue by a supervisor' });
      }
      break;
    case 'close':
      line = text('audit.closed', deps, { supervisor });
      row = { swb_action: SupervisorAction.ForceClose };
      break;
  }
  if (wasWaiting) notes.push(...(await withdrawOffers(ctx, conversationId, deps)));
  const recorded = await audit(ctx, deps, {
    ...row,
    swb_name: line,
    'swb_conversationid@odata.bind': bind('swb_conversation', conversationId),
    ...(queue ? { 'swb_queueid@odata.bind': bind('queue', queue) } : {}),
  });
  const note = await appendSystemNote(ctx, conversationId, line, deps);
  return ok([`${move.kind} by ${caller}`, `audit ${recorded}`, `note ${note}`, ...notes].join('; '));
}

async function onSession(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const t = ctx.target?.attributes ?? {};
  // Only a supervisor's join creates a consult session for oneself (conversation-guard).
  if (numberValue(t['swb_role']) !== SessionRole.Consult || refId(t['swb_agentid']) !== ctx.initiatingUserId) return ok('not a join');
  const conversationId = refId(t['swb_conversationid']);
  if (!conversationId) return ok('session without a conversation');
  const conversation = await deps.data.getConversation(conversationId);
  const line = text('audit.joined', deps, { supervisor: await userName(ctx.initiatingUserId, deps) });
  const queue = conversation?.row._swb_queueid_value;
  const recorded = await audit(ctx, deps, {
    swb_action: SupervisorAction.Join,
    swb_name: line,
    'swb_conversationid@odata.bind': bind('swb_conversation', conversationId),
    ...(queue ? { 'swb_queueid@odata.bind': bind('queue', queue) } : {}),
  });
  const note = await appendSystemNote(ctx, conversationId, line, deps);
  return ok(`join by ${ctx.initiatingUserId}; audit ${recorded}; note ${note}`);
}

async function onAgentStatus(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const pre = ctx.preImages[IMAGE]?.attributes ?? {};
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  const agent = refId(post['swb_agentid']) ?? refId(pre['swb_agentid']);
  if (!agent || agent === ctx.initiatingUserId) return ok("the agent's own presence");
  const signedOut = numberValue(post['swb_connectionstate']) === AgentConnectionState.SignedOut && numberValue(pre['swb_connectionstate']) !== AgentConnectionState.SignedOut;
  const presence = numberValue(post['swb_basepresence']);
  if (!signedOut && presence === numberValue(pre['swb_basepresence'])) return ok('presence unchanged');
  const args = { supervisor: await userName(ctx.initiatingUserId, deps), agent: await userName(agent, deps), presence: presenceLabel(presence, deps) };
  const recorded = await audit(ctx, deps, {
    swb_action: signedOut ? SupervisorAction.SignOut : SupervisorAction.SetPresence,
    swb_name: text(signedOut ? 'audit.signedOut' : 'audit.presence', deps, args),
    'swb_agentid@odata.bind': bind('systemuser', agent),
    ...(presence !== null ? { swb_presence: presence } : {}),
  });
  return ok(`${signedOut ? 'sign-out' : 'presence'} of ${agent} by ${ctx.initiatingUserId}; audit ${recorded}`);
}

/** The presence's label in the default language, from the data model's choice. */
function presenceLabel(value: number | null, deps: StepDeps): string {
  const option = model.choices.find((c) => c.name === 'swb_presencebase')?.options.find((o) => o.value === value);
  return (deps.config.defaultLanguage === 1036 ? option?.label[1036] : option?.label[1033]) ?? String(value ?? '');
}

export const supervisorAuditStep: StepDefinition = {
  name: 'supervisor-audit',
  description: "Records what supervisors do (audit rows and internal notes), withdraws the offer of a conversation a supervisor assigned or closed, and gives an assigned conversation to its agent.",
  triggers: [
    {
      message: 'Update',
      table: 'swb_conversation',
      stage: 40,
      mode: 'async',
      rank: 2,
      filteringAttributes: ['swb_state', 'swb_primaryagentid', 'swb_queueid'],
      images: [{ alias: IMAGE, type: 'both', attributes: ['swb_state', 'swb_primaryagentid', 'swb_queueid', 'swb_forcedassignment', 'ownerid'] }],
      description: 'swb_conversation Update (state, agent, queue): record a supervisor\'s assignment, transfer or close',
    },
    {
      message: 'Create',
      table: 'swb_session',
      stage: 40,
      mode: 'async',
      rank: 1,
      description: "swb_session Create: record a supervisor's join",
    },
    {
      message: 'Update',
      table: 'swb_agentstatus',
      stage: 40,
      mode: 'async',
      rank: 2,
      filteringAttributes: ['swb_basepresence', 'swb_connectionstate'],
      images: [{ alias: IMAGE, type: 'both', attributes: ['swb_agentid', 'swb_basepresence', 'swb_connectionstate'] }],
      description: "swb_agentstatus Update (presence, connection): record a supervisor's change of an agent's presence",
    },
  ],
  async handler(ctx, deps) {
    if (isTrusted(ctx, deps)) return ok('trusted service user');
    if (ctx.primaryEntityName === 'swb_conversation') return onConversation(ctx, deps);
    if (ctx.primaryEntityName === 'swb_session') return onSession(ctx, deps);
    return onAgentStatus(ctx, deps);
  },
};
