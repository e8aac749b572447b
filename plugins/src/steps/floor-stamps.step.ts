// Facts the supervisor desk shows, stamped once on the row they describe, so a desk refresh
// reads rows (and aggregates today's) instead of scanning messages, offers or history:
//
// - swb_conversation.swb_lastcustomermessageon: when the customer last wrote (the desk's "time
//   since the customer's last message");
// - swb_conversation.swb_waitseconds / swb_waitoutcome / swb_waitendedon: how the first wait in
//   a queue ended — answered within 20 s, 60 s, later, or abandoned (closed never answered) —
//   which gives answered today, average speed to answer, service level and abandon rate per queue
//   in one grouped query (core's historical metrics use the same definitions);
// - swb_agentstatus.swb_presencesince: when the presence last changed.
//
// Post-operation, async, and each stamp is idempotent: a retried or late job compares with what
// the row holds and never moves a stamp backwards or writes a wait outcome twice.
import { AuthorKind, ConversationState, MessageDirection, WaitOutcome } from '@switchboard/solution';
import { type StepContext, dateValue, numberValue, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { isTrusted } from './caller';

const IMAGE = 'Image';

/** The outcome of a first wait that ended at `endedAt`, answered or not. */
export function waitOutcome(startedAt: Date, endedAt: Date, answered: boolean): { seconds: number; outcome: WaitOutcome } {
  const seconds = Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000));
  if (!answered) return { seconds, outcome: WaitOutcome.Abandoned };
  return { seconds, outcome: seconds <= 20 ? WaitOutcome.AnsweredWithin20s : seconds <= 60 ? WaitOutcome.AnsweredWithin60s : WaitOutcome.AnsweredLater };
}

function operationTime(ctx: StepContext, deps: StepDeps): Date {
  return ctx.operationCreatedOn ?? new Date(deps.clock.now());
}

async function onMessage(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const t = ctx.target?.attributes ?? {};
  if (numberValue(t['swb_direction']) !== MessageDirection.Inbound || numberValue(t['swb_authorkind']) !== AuthorKind.Customer) return ok('not a customer message');
  const conversationId = refId(t['swb_conversationid']);
  if (!conversationId) return ok('message without a conversation');
  // The app's inbound paths stamp the conversation in the write that numbers the message
  // (functions' arrivalStamps): nothing to read or write. A customer message someone else
  // created (an import, a migration) is stamped here.
  if (isTrusted(ctx, deps)) return ok('stamped by the app with the message');
  const at = operationTime(ctx, deps);
  // If-Match: the inbound path claims this row's message counter at the same time; a lost race
  // re-reads, and a later stamp already there wins.
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await deps.data.getRow('swb_conversation', conversationId, ['swb_lastcustomermessageon']);
    if (!row) return ok('conversation gone');
    const current = row.row['swb_lastcustomermessageon'];
    if (typeof current === 'string' && Date.parse(current) >= at.getTime()) return ok('a later customer message is already stamped');
    if ((await deps.data.updateRow('swb_conversation', conversationId, { swb_lastcustomermessageon: at.toISOString() }, row.etag)) === 'updated') return ok('last customer message stamped');
  }
  return { kind: 'retry', message: 'the conversation kept changing while stamping the last customer message' };
}

async function onConversation(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  if (numberValue(post['swb_waitoutcome']) !== null) return ok('first wait already recorded');
  const state = numberValue(post['swb_state']);
  const answeredAt = dateValue(post['swb_firstassignedon']);
  const abandoned = !answeredAt && state === ConversationState.Closed;
  if (!answeredAt && !abandoned) return ok('still waiting');
  const startedAt = dateValue(post['swb_queuedon']) ?? dateValue(post['swb_openedon']);
  if (!startedAt) return ok('never queued');
  // Abandoned: the close is this operation (its closedon may not be stamped yet: that is async too).
  const endedAt = answeredAt ?? dateValue(post['swb_closedon']) ?? operationTime(ctx, deps);
  const { seconds, outcome } = waitOutcome(startedAt, endedAt, Boolean(answeredAt));
  // Only over an empty outcome: a second job for the same conversation finds it written. The
  // row is busy at this moment (the lifecycle step stamps it too): a lost race re-reads.
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await deps.data.getRow('swb_conversation', ctx.primaryEntityId, ['swb_waitoutcome']);
    if (!row || row.row['swb_waitoutcome'] != null) return ok('first wait already recorded');
    const written = await deps.data.updateRow('swb_conversation', ctx.primaryEntityId, { swb_waitoutcome: outcome, swb_waitseconds: seconds, swb_waitendedon: endedAt.toISOString() }, row.etag);
    if (written === 'updated') return ok(`first wait: ${seconds}s, ${WaitOutcome[outcome]}`);
  }
  return { kind: 'retry', message: 'the conversation kept changing while recording its first wait' };
}

async function onAgentStatus(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const pre = ctx.preImages[IMAGE]?.attributes ?? {};
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  if (numberValue(pre['swb_basepresence']) === numberValue(post['swb_basepresence'])) return ok('presence unchanged');
  // The app's writers (routing's claim, the capacity recompute) stamp it in the same write.
  if (ctx.target?.attributes['swb_presencesince'] != null) return ok('stamped with the presence');
  const at = operationTime(ctx, deps);
  const row = await deps.data.getRow('swb_agentstatus', ctx.primaryEntityId, ['swb_presencesince']);
  if (!row) return ok('status row gone');
  const current = row.row['swb_presencesince'];
  if (typeof current === 'string' && Date.parse(current) >= at.getTime()) return ok('a later presence change is already stamped');
  // No If-Match: routing claims this row with If-Match and would lose to every stamp; a
  // concurrent later stamp is at most a second apart, and the next change heals it.
  await deps.data.updateRow('swb_agentstatus', ctx.primaryEntityId, { swb_presencesince: at.toISOString() });
  return ok('presence since stamped');
}

export const floorStampsStep: StepDefinition = {
  name: 'floor-stamps',
  description: "Stamps what the supervisor desk reads on the rows themselves: the customer's last message, how the first wait ended, when presence changed.",
  triggers: [
    {
      message: 'Create',
      table: 'swb_message',
      stage: 40,
      mode: 'async',
      rank: 2,
      description: "swb_message Create: the customer's last message time on the conversation",
    },
    {
      message: 'Update',
      table: 'swb_conversation',
      stage: 40,
      mode: 'async',
      rank: 3,
      filteringAttributes: ['swb_state', 'swb_firstassignedon'],
      images: [{ alias: IMAGE, type: 'post', attributes: ['swb_state', 'swb_queuedon', 'swb_openedon', 'swb_firstassignedon', 'swb_closedon', 'swb_waitoutcome'] }],
      description: 'swb_conversation Update (state, first assigned): how the first wait ended, once',
    },
    {
      message: 'Update',
      table: 'swb_agentstatus',
      stage: 40,
      mode: 'async',
      rank: 3,
      filteringAttributes: ['swb_basepresence'],
      images: [{ alias: IMAGE, type: 'both', attributes: ['swb_basepresence'] }],
      description: 'swb_agentstatus Update (presence): when it changed',
    },
  ],
  async handler(ctx, deps) {
    if (ctx.primaryEntityName === 'swb_message') return onMessage(ctx, deps);
    if (ctx.primaryEntityName === 'swb_conversation') return onConversation(ctx, deps);
    return onAgentStatus(ctx, deps);
  },
};
