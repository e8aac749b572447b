// The narrow ports step handlers depend on. Functions builds the real ones (Dataverse over
// dynamics-web-api, its channel delivery, its Storage routing queue); tests pass fakes.
import type { Clock, PushPort, RoutingTriggerPort } from '@switchboard/core';
import type { EntityImage } from './context/execution-context';
import type {
  AgentStatusRow,
  ConversationRow,
  MessageRow,
  OfferRow,
  SessionRole,
  SessionRow,
  WorkstreamRow,
} from '@switchboard/solution';

export interface Versioned<T> {
  row: T;
  /** The row's ETag, for If-Match. */
  etag: string;
}

/** A 412 on If-Match is an expected outcome (someone else wrote first), not an error. */
export type UpdateOutcome = 'updated' | 'conflict';

/** Web API-shaped patch: column values by logical name, lookups as `col@odata.bind`. */
export type RowPatch = Record<string, unknown>;

/** One write of a change set: an update (If-Match when given), or a create under a chosen id (`create: true`). */
export interface RowWrite {
  table: string;
  id: string;
  patch: RowPatch;
  ifMatch?: string;
  create?: boolean;
}

export interface DataversePort {
  getConversation(id: string): Promise<Versioned<ConversationRow> | null>;
  updateConversation(id: string, patch: RowPatch, ifMatch?: string): Promise<UpdateOutcome>;
  getMessage(id: string): Promise<Versioned<MessageRow> | null>;
  /** The message with its conversation's channel, type and number, in one read (an agent's reply about to be sent). */
  getMessageForDelivery(id: string): Promise<(Versioned<MessageRow> & { conversation: ConversationRow | null }) | null>;
  updateMessage(id: string, patch: RowPatch, ifMatch?: string): Promise<UpdateOutcome>;
  getWorkstream(id: string): Promise<WorkstreamRow | null>;
  /** The agent's status row (alternate key: agent). */
  getAgentStatus(agentId: string): Promise<Versioned<AgentStatusRow> | null>;
  updateAgentStatus(rowId: string, patch: RowPatch, ifMatch: string): Promise<UpdateOutcome>;
  /**
   * What loads an agent, in one read: conversations they hold (primary, Active or Wrap-up) and
   * conversations offered to them and still waiting (swb_offeredto). Both reserve capacity.
   */
  listAgentLoad(agentId: string): Promise<ConversationRow[]>;
  /** getAgentStatus and listAgentLoad in one request ($batch, status first: its ETag guards the write). */
  getAgentStatusAndLoad(agentId: string): Promise<{ status: Versioned<AgentStatusRow> | null; load: ConversationRow[] }>;
  /** Sessions of a conversation that have not been closed. */
  listOpenSessions(conversationId: string): Promise<SessionRow[]>;
  /** Ids of the conversations the user takes part in now (a session of theirs not closed: primary or consult). */
  listUserConversations(userId: string): Promise<string[]>;
  updateSession(id: string, patch: RowPatch): Promise<UpdateOutcome>;
  createSession(session: { conversationId: string; agentId: string; role: SessionRole; joinedOn: string }): Promise<string>;
  /** Any row by table logical name, only the columns asked for (phone write-back on contact/account). */
  getRow(table: string, id: string, columns: readonly string[]): Promise<Versioned<Record<string, unknown>> | null>;
  updateRow(table: string, id: string, patch: RowPatch, ifMatch?: string): Promise<UpdateOutcome>;
  /**
   * Several writes in one $batch change set — one request, all or nothing. 'conflict' when an
   * If-Match failed or a row to create exists: then nothing was written.
   */
  writeTogether(writes: readonly RowWrite[]): Promise<UpdateOutcome>;
  /** The ids of the root roles a user holds (a role's copy in a child business unit counts as its root role). */
  getUserRootRoles(userId: string): Promise<string[]>;
  /** The column-security profiles a user belongs to. */
  getUserProfiles(userId: string): Promise<string[]>;
  /** Adds the user to, or removes them from, a column-security profile (systemuserprofiles_association). */
  setUserProfile(userId: string, profileId: string, member: boolean): Promise<void>;
  /** Creates the agent's status row with these columns unless one exists (alternate key: agent). */
  createAgentStatusIfMissing(agentId: string, columns: RowPatch): Promise<'created' | 'exists'>;
  /** The whole row as a webhook image (every column), for contexts Dataverse trimmed; null when gone. */
  readImage(table: string, id: string): Promise<EntityImage | null>;
  /** The user's UI language (LCID, e.g. 1036) from usersettings; undefined when unknown. */
  getUserLanguage(userId: string): Promise<number | undefined>;

  // The supervisor desk's steps (supervisor-guard, supervisor-audit, floor-stamps).
  /** Ids of the queues the user is a member of (queuemembership): a supervisor supervises those. */
  listUserQueues(userId: string): Promise<string[]>;
  /** Offers of a conversation still waiting for an answer. */
  listPendingOffersFor(conversationId: string): Promise<OfferRow[]>;
  /** The highest message sequence stored in the conversation; 0 when it has none. */
  lastMessageSequence(conversationId: string): Promise<number>;
  /**
   * Creates a row whose id the caller chose (in `data`, as the table's primary key), so a retried
   * step finds its own row: 'duplicate' when a row with that id or alternate key already exists.
   */
  createRow(table: string, data: RowPatch): Promise<'created' | 'duplicate'>;
}

// Same shape as functions/src/channels/channel.ts ChannelDelivery/SendResult, restated here
// (plugins may not import functions); TypeScript's structural typing lets functions pass its
// implementation straight in, and a drift there fails functions' typecheck.
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'failed';

export type SendResult =
  | { readonly ok: true; readonly providerMessageId: string; readonly status: DeliveryStatus }
  | { readonly ok: false; readonly failure: { readonly code: string; readonly retryable: boolean; readonly message: string } };

export interface DeliveryPort {
  deliver(channelId: string, to: string, body: string, options?: { readonly clientReference?: string }): Promise<SendResult>;
}

export interface PluginConfig {
  /** Region for phone numbers typed without +country (ISO 3166 alpha-2, e.g. 'FR'). */
  defaultRegion: string;
  /** LCID used when the user's language is unknown or has no resources (1033 English). */
  defaultLanguage: number;
  /**
   * Users allowed to reassign any conversation: the functions app's application user (routing,
   * offer acceptance). Consult/transfer checks do not apply to them.
   */
  trustedUserIds: readonly string[];
}

export interface StepDeps {
  data: DataversePort;
  delivery: DeliveryPort;
  routingTrigger: RoutingTriggerPort;
  clock: Clock;
  config: PluginConfig;
  /** Live updates to browsers (Web PubSub); absent when the deployment has none. */
  push?: PushPort;
  log?: (line: string) => void;
}
