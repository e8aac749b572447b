// An agent's or supervisor's browser joins live updates without a secret in the page: the
// control creates a swb_pushticket row as the signed-in user, and this step — running as the
// app, after the row exists — writes on it a short-lived Web PubSub client URL for the user who
// created it (the initiating user Dataverse vouches for, never a column they typed), in the
// groups of the conversations they take part in and, for a supervisor, of their queues. The row
// is user-owned and read at user depth, and its URL column is secured: only its creator reads it.
//
// Asking for a ticket is also how an agent comes back after a lost connection (a reload, a
// reconnect): their presence, taken to Offline after the grace, is recomputed here.
import { SUPERVISORS_GROUP, conversationGroup, queueGroup } from '@switchboard/core';
import { connectionBack } from '../capacity/connection-presence';
import { type StepContext, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { supervisedQueues } from './supervisor-scope';

/** How long a client URL works; a connection outlives it, a reconnection asks for a new ticket. */
export const TICKET_MINUTES = 60;

export const TicketError = {
  NotConfigured: 'push-not-configured',
  NotTheOwner: 'not-the-owner',
} as const;

async function handle(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const ticketId = ctx.primaryEntityId;
  const userId = ctx.initiatingUserId.toLowerCase();
  const owner = refId(ctx.target?.attributes['ownerid']);
  // The control deletes a ticket it stopped waiting for: answering it then is a 404, not a failure
  // for Dataverse to retry.
  const answer = async (patch: Record<string, unknown>): Promise<boolean> => {
    try {
      await deps.data.updateRow('swb_pushticket', ticketId, patch);
      return true;
    } catch (error) {
      if ((error as { status?: unknown } | null)?.status === 404) return false;
      throw error;
    }
  };
  // A ticket made out to someone else would put that person's address where its creator cannot
  // read it, or the creator's where someone else can: neither is given.
  if (owner && owner !== userId) {
    await answer({ swb_error: TicketError.NotTheOwner });
    return ok(`ticket owned by ${owner}, created by ${userId}: refused`);
  }
  if (!deps.push) {
    await answer({ swb_error: TicketError.NotConfigured });
    return ok('push not configured');
  }
  const [conversations, queues] = await Promise.all([deps.data.listUserConversations(userId), supervisedQueues(userId, deps)]);
  // A supervisor (the role: supervisedQueues is empty without it) also hears every agent's presence.
  const groups = [...conversations.map(conversationGroup), ...[...queues].map(queueGroup), ...(queues.size > 0 ? [SUPERVISORS_GROUP] : [])];
  const url = await deps.push.clientUrl(userId, groups, TICKET_MINUTES);
  if (!url) {
    await answer({ swb_error: TicketError.NotConfigured });
    return ok('push gave no address');
  }
  const expires = new Date(deps.clock.now() + TICKET_MINUTES * 60_000).toISOString();
  if (!(await answer({ swb_url: url, swb_expireson: expires }))) return ok('ticket gone: its creator stopped waiting and will ask again');
  const back = await connectionBack(userId, deps);
  return ok(`address for ${userId} in ${groups.length} groups; presence ${back}`);
}

export const pushTicketStep: StepDefinition = {
  name: 'push-ticket',
  description: "Answers a user's push ticket with a short-lived Web PubSub address for them, in the groups of their conversations and queues.",
  triggers: [{ message: 'Create', table: 'swb_pushticket', stage: 40, mode: 'async', description: 'swb_pushticket Create: write the client address' }],
  handler: handle,
};
