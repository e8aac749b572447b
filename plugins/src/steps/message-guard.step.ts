// Who may write which message. Agents create messages with their own token (the pane), and a
// table privilege cannot say "only in conversations you take part in", so this synchronous
// pre-validation step does: only a participant writes in a conversation; a consultant writes
// internal notes; only the primary agent replies to the customer, and only while the
// conversation is active. Direction, author and delivery are the server's: an agent's message
// is an outbound agent message signed with their own id, and nothing else is accepted — a
// webhook cannot rewrite the row (only in-process plugins can), so a lie is refused, not fixed.
//
// Pre-validation (stage 10): in Dataverse it runs before the transaction opens, so the reads
// below hold no locks; a refusal is a 403 whose message the agent sees in their language.
import { AuthorKind, ConversationState, DeliveryStatus, MessageDirection, SessionRole, SessionState, Visibility } from '@switchboard/solution';
import { type StepContext, numberValue, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { isTrusted, refuse } from './caller';

/** Set by the app when it sends or receives through a provider; never by a person. */
const DELIVERY_COLUMNS = ['swb_providermessageid', 'swb_channelid', 'swb_senton', 'swb_deliveredon', 'swb_error'];

function forged(ctx: StepContext): boolean {
  const t = ctx.target?.attributes ?? {};
  if (numberValue(t['swb_direction']) !== MessageDirection.Outbound) return true;
  if (numberValue(t['swb_authorkind']) !== AuthorKind.Agent) return true;
  if (t['swb_authoragentid'] !== undefined && refId(t['swb_authoragentid']) !== ctx.initiatingUserId) return true;
  if (DELIVERY_COLUMNS.some((c) => t[c] !== undefined && t[c] !== null)) return true;
  const status = numberValue(t['swb_deliverystatus']);
  return status !== null && status !== DeliveryStatus.Pending;
}

async function guard(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  if (isTrusted(ctx, deps)) return ok('trusted service user');
  if (forged(ctx)) return refuse(ctx, deps, 'message.forged', 'message.forged');
  const t = ctx.target?.attributes ?? {};
  const caller = ctx.initiatingUserId;
  const conversationId = refId(t['swb_conversationid']);
  const conversation = conversationId ? await deps.data.getConversation(conversationId) : null;
  if (!conversationId || !conversation) return refuse(ctx, deps, 'message.notParticipant', 'message.notParticipant');
  const state = conversation.row.swb_state;
  const primary = conversation.row._swb_primaryagentid_value?.toLowerCase() === caller;
  const consulting = !primary && (await deps.data.listOpenSessions(conversationId)).some(
    (s) => s._swb_agentid_value?.toLowerCase() === caller && s.swb_role === SessionRole.Consult && s.swb_state !== SessionState.Closed,
  );
  if (!primary && !consulting) return refuse(ctx, deps, 'message.notParticipant', 'message.notParticipant');
  if (state === ConversationState.Closed) return refuse(ctx, deps, 'message.closed', 'message.closed');
  const internal = numberValue(t['swb_visibility']) === Visibility.Internal;
  if (!internal) {
    if (!primary) return refuse(ctx, deps, 'message.consultInternal', 'message.consultInternal');
    if (state !== ConversationState.Active) return refuse(ctx, deps, 'message.notActive', 'message.notActive');
    return ok('public reply by the primary agent');
  }
  if (state !== ConversationState.Active && state !== ConversationState.WrapUp) return refuse(ctx, deps, 'message.notActive', 'message.notActive');
  return ok(`internal note by the ${primary ? 'primary agent' : 'consultant'}`);
}

export const messageGuardStep: StepDefinition = {
  name: 'message-guard',
  description: 'Refuses messages written by anyone but a participant, public replies by anyone but the primary agent, and forged authors, directions or delivery details.',
  triggers: [
    {
      message: 'Create',
      table: 'swb_message',
      stage: 10,
      mode: 'sync',
      rank: 1,
      description: 'swb_message Create: only participants write; only the primary agent replies to the customer',
    },
  ],
  handler: guard,
};
