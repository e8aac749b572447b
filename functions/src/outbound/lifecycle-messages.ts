// Automated messages for lifecycle events that happen in Dataverse (an agent accepts, is
// transferred away, ends): read from the conversation-state plugin step's pre/post images,
// after the step itself succeeded. Occurrence keys make a retried webhook send nothing twice.
import { parseExecutionContext, type AttributeValue, type EntityRef, type StepContext } from '@switchboard/plugins';
import { ConversationState, type ConversationRow } from '@switchboard/solution';
import type { ConversationStore } from '../dataverse/repositories/conversation.repository';
import type { AutomatedEvent, AutomatedMessenger } from './automated-messages';

const IMAGE = 'Image';

function ref(v: AttributeValue | undefined): EntityRef | null {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !Array.isArray(v) && 'id' in v ? v : null;
}

export interface LifecycleEvent {
  event: AutomatedEvent;
  occurrence: string;
  agentId?: string;
  agentName?: string;
}

/** What a conversation update means for the customer, from the step's before/after images. */
export function lifecycleEventOf(ctx: StepContext): LifecycleEvent | null {
  if (ctx.primaryEntityName !== 'swb_conversation' || ctx.messageName !== 'Update') return null;
  const pre = ctx.preImages[IMAGE]?.attributes ?? {};
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  const before = typeof pre['swb_state'] === 'number' ? pre['swb_state'] : null;
  const after = typeof post['swb_state'] === 'number' ? post['swb_state'] : null;
  const agentBefore = ref(pre['swb_primaryagentid']);
  const agentAfter = ref(post['swb_primaryagentid']);
  const ended = (s: number | null) => s === ConversationState.WrapUp || s === ConversationState.Closed;
  if (ended(after) && !ended(before)) return { event: 'ended', occurrence: '' };
  if (after === ConversationState.Active && agentAfter && agentAfter.id.toLowerCase() !== agentBefore?.id.toLowerCase()) {
    return { event: 'assigned', occurrence: `${agentAfter.id.toLowerCase()}:${ctx.correlationId}`, agentId: agentAfter.id, ...(agentAfter.name ? { agentName: agentAfter.name } : {}) };
  }
  if (agentBefore && !agentAfter && !ended(after)) return { event: 'agent-left', occurrence: `${agentBefore.id.toLowerCase()}:${ctx.correlationId}`, agentId: agentBefore.id, ...(agentBefore.name ? { agentName: agentBefore.name } : {}) };
  return null;
}

export async function sendLifecycleMessage(
  executionContext: unknown,
  deps: { automated: AutomatedMessenger; conversations: ConversationStore; agentName?: (agentId: string) => Promise<string | null> },
): Promise<AutomatedEvent | null> {
  const parsed = parseExecutionContext(executionContext);
  if (!parsed.ok) return null;
  const e = lifecycleEventOf(parsed.value);
  if (!e) return null;
  // Nothing configured for the event (the cached list says so): no read at all.
  if (!(await deps.automated.configured(e.event))) return null;
  const conv = await deps.conversations.get(parsed.value.primaryEntityId);
  if (!conv) return null;
  const row = conv.row as ConversationRow;
  if ((await deps.automated.render(e.event, row, {})) === null) return null;
  // First names only: "Sam will help you", never a full name the agent did not choose to share.
  // Images carry the lookup's name only when Dataverse formats it; otherwise read the user row.
  const name = e.agentName ?? (e.agentId && deps.agentName ? await deps.agentName(e.agentId) : null);
  const first = name?.trim().split(/\s+/)[0];
  await deps.automated.send(e.event, row, first ? { agent: { name: first } } : {}, e.occurrence, undefined, { etag: conv.etag, lastSequence: row.swb_lastmessagesequence ?? 0 });
  return e.event;
}
