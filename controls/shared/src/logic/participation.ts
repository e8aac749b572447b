// Where the signed-in agent stands in a conversation, from the conversation row (re-read on
// every poll) and their own latest session row (open or closed). The pane offers what the
// server allows for that standing — the message-guard and conversation-guard steps decide — so
// an agent is never handed a box or a button whose every use is refused.
import { ConversationState, SessionRole, SessionState } from '../model/choices';
import { FORMATTED, type ConversationRow, type SessionRow } from '../model/rows';

export type Participation =
  /** The conversation's primary agent: replies, notes, consult, transfer, end, close. */
  | { kind: 'primary' }
  /** Invited to consult: reads along and writes internal notes. */
  | { kind: 'consult'; primaryName: string }
  /** Was in it and handed it over to another agent. */
  | { kind: 'transferred'; toName: string }
  /** Was in it and it went back to a queue. */
  | { kind: 'requeued'; queueName: string }
  /** Was in it (a consult) and that part is over. */
  | { kind: 'left' }
  /** Never took part: a supervisor reading, or an earlier conversation opened from history. */
  | { kind: 'observer' }
  /** Just accepted: routing has not made the agent primary yet. */
  | { kind: 'joining' };

type Row = Pick<ConversationRow, 'swb_state' | '_swb_primaryagentid_value'> & { [annotation: string]: unknown };

const formatted = (row: Row, column: string) => (row[`${column}${FORMATTED}`] as string | undefined) ?? '';

export function participationOf(row: Row, session: Pick<SessionRow, 'swb_role' | 'swb_state'> | undefined, me: string): Participation {
  const primary = row._swb_primaryagentid_value?.toLowerCase();
  if (primary && primary === me.toLowerCase()) return { kind: 'primary' };
  const open = session !== undefined && session.swb_state !== SessionState.Closed;
  if (open && session.swb_role === SessionRole.Consult) return { kind: 'consult', primaryName: formatted(row, '_swb_primaryagentid_value') };
  // The row names the primary agent; an open primary session speaks only while the row names no
  // one (the assignment step writes the session first).
  if (open && !primary) return { kind: 'primary' };
  const waitingForRouting = row.swb_state === ConversationState.Open || row.swb_state === ConversationState.Waiting;
  if (primary) {
    if (!session) return { kind: 'observer' };
    // A consult that ended (with the wrap-up, or by hand) is not a transfer: only a primary hands over.
    return session.swb_role === SessionRole.Consult ? { kind: 'left' } : { kind: 'transferred', toName: formatted(row, '_swb_primaryagentid_value') };
  }
  if (!session) return waitingForRouting ? { kind: 'joining' } : { kind: 'observer' };
  return waitingForRouting ? { kind: 'requeued', queueName: formatted(row, '_swb_queueid_value') } : { kind: 'left' };
}

/** What the composer writes: customer replies (with notes a switch away), internal notes only, or nothing. */
export type ComposeMode = 'reply' | 'note' | 'none';

/**
 * The message-guard step's rules, as the composer offers them: the primary agent replies while
 * the conversation is active; a consultant, and the primary agent during wrap-up, write notes.
 */
export function composeModeOf(participation: Participation, state: number | undefined): ComposeMode {
  const active = state === ConversationState.Active;
  const wrapUp = state === ConversationState.WrapUp;
  if (participation.kind === 'primary') return active ? 'reply' : wrapUp ? 'note' : 'none';
  if (participation.kind === 'consult') return active || wrapUp ? 'note' : 'none';
  return 'none';
}

/** True when the agent's own session row may have changed: read it again on this poll. */
export function sessionMayHaveChanged(before: Row | undefined, after: Row): boolean {
  if (!before) return true;
  return before.swb_state !== after.swb_state || (before._swb_primaryagentid_value ?? null)?.toLowerCase() !== (after._swb_primaryagentid_value ?? null)?.toLowerCase();
}
