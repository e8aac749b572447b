// All Dataverse access of the controls, over context.webAPI only, so the signed-in
// agent's security roles apply. Agent actions are row writes; plugin steps do the work
// (send the SMS, re-route, release capacity).
import { ConversationState, MessageDirection, AuthorKind, Visibility, DeliveryStatus, OfferResponse, Presence, SessionRole, SessionState, IdentificationResult } from '../model/choices';
import type { AgentStatusRow, ConversationRow, MessageRow, OfferRow, SessionRow, TemplateRow } from '../model/rows';
import { T, bind } from '../model/tables';
import { parsePreChatQuestions, type PreChatQuestion } from '../logic/pre-chat';
import type { PresenceBase } from '@switchboard/core';
import { presenceChoiceOf } from '@switchboard/core';

type WebApi = ComponentFramework.WebApi;

const QUEUE_MEMBERS = 'queuemembership_association';

const MESSAGE_SELECT =
  'swb_messageid,swb_direction,swb_authorkind,swb_visibility,swb_body,swb_deliverystatus,swb_sequence,swb_authorname,_swb_authoragentid_value,swb_error,createdon';

const CONVERSATION_SELECT = [
  'activityid', 'subject', 'swb_state', 'swb_channeltype', '_swb_queueid_value', '_swb_workstreamid_value', '_swb_customerid_value',
  '_swb_primaryagentid_value', 'swb_customername', 'swb_customerphone', 'swb_identificationresult', 'swb_candidateids',
  'swb_prechatanswers', 'swb_context', 'swb_sentiment', 'swb_sentimenttrend', 'swb_openedon', 'swb_queuedon', 'swb_firstassignedon', 'swb_activeon',
  'swb_wrapupon', 'swb_closedon', 'swb_reopenedon', 'swb_lastmessagesequence', 'createdon', '_swb_chatwidgetid_value', 'swb_language',
].join(',');

/** What an offer card shows of its conversation: who, which channel, since when. */
const OFFERED_CONVERSATION_SELECT = [
  'activityid', 'subject', 'swb_channeltype', '_swb_customerid_value', 'swb_customername', 'swb_customerphone', 'swb_prechatanswers',
  '_swb_chatwidgetid_value', 'swb_queuedon', 'swb_openedon', 'createdon',
].join(',');

const SESSION_SELECT = 'activityid,_swb_conversationid_value,_swb_agentid_value,swb_role,swb_state,swb_joinedon,swb_wrapupon,swb_lefton,createdon';

/** GUIDs go into OData filters unquoted; anything else is refused so a filter cannot be injected. */
export function guid(id: string): string {
  const clean = id.replace(/[{}]/g, '');
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(clean)) throw new Error(`not a GUID: ${id}`);
  return clean.toLowerCase();
}

export interface CustomerRef {
  table: 'contact' | 'account';
  id: string;
}

const MAX_SEQUENCE_ATTEMPTS = 5;
/** Dataverse's "duplicate key" (0x80040237), as the PCF webAPI or a plain Web API error carries it. */
const DUPLICATE_KEY = 0x80040237;

export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { errorCode?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.errorCode === 'number' ? e.errorCode : typeof e.code === 'string' ? Number.parseInt(e.code, 16) : NaN;
  return (code >>> 0) === DUPLICATE_KEY;
}

export class SwitchboardData {
  /** Pre-chat question definitions by widget id: admins rarely change them, so one read per control. */
  private readonly questions = new Map<string, Promise<PreChatQuestion[]>>();

  constructor(
    private readonly api: WebApi,
    private readonly userId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get currentUserId(): string {
    return guid(this.userId);
  }

  private async all<R>(table: string, query: string, pageSize = 5000): Promise<R[]> {
    const rows: R[] = [];
    let options: string | undefined = query;
    // nextLink carries the whole URL; the PCF API wants just its query part back.
    while (options !== undefined) {
      const page: ComponentFramework.WebApi.RetrieveMultipleResponse = await this.api.retrieveMultipleRecords(table, options, pageSize);
      rows.push(...(page.entities as R[]));
      options = page.nextLink ? `?${page.nextLink.split('?')[1]}` : undefined;
    }
    return rows;
  }

  async conversation(id: string): Promise<ConversationRow> {
    return (await this.api.retrieveRecord(T.conversation, guid(id), `?$select=${CONVERSATION_SELECT}`)) as ConversationRow;
  }

  messagesFrom(conversationId: string, fromSequence: number): Promise<MessageRow[]> {
    return this.all<MessageRow>(
      T.message,
      `?$select=${MESSAGE_SELECT}&$filter=_swb_conversationid_value eq ${guid(conversationId)} and swb_sequence ge ${Math.max(1, Math.floor(fromSequence))}&$orderby=swb_sequence asc`,
    );
  }

  /**
   * `shown`: the highest sequence the pane displays. Every message needs the next swb_sequence
   * of its conversation. PCF's webAPI cannot send If-Match and a consultant may not write the
   * conversation, so the pane takes the next number after the conversation's counter (numbers
   * the app has claimed) and what it knows was stored (what it shows, what it sent itself: the
   * counter lags a person's messages until the message-created step catches it up), and lets
   * the (conversation, sequence) alternate key refuse a collision; the loser reads the last
   * stored row too and takes the next. Never below the counter: readers poll `after=N`, and a
   * number filled in behind them would never be read. One read in the usual case.
   */
  /** The sequence this agent's last message in the conversation was stored under (this page). */
  sentSequence(conversationId: string): number | undefined {
    return this.sentLast.get(guid(conversationId));
  }

  async sendMessage(conversationId: string, body: string, internal: boolean, shown = 0): Promise<string> {
    const id = guid(conversationId);
    for (let attempt = 1; ; attempt++) {
      // A pane that shows the transcript (kept current by push) numbers from what it shows: one
      // request per reply. Only an empty pane, or a number already taken (the alternate key says
      // so), reads the conversation's counter and the newest stored message first.
      const known = Math.max(shown, this.sentLast.get(id) ?? 0);
      const [conversation, last] =
        attempt === 1 && known > 0
          ? [null, known]
          : await Promise.all([
              this.api.retrieveRecord(T.conversation, id, '?$select=swb_lastmessagesequence') as Promise<ConversationRow>,
              attempt === 1 ? known : this.lastSequence(id),
            ]);
      const sequence = Math.max(conversation?.swb_lastmessagesequence ?? 0, last) + 1;
      try {
        // Only what the agent decides: the text and whether it is a note. Direction, author and
        // delivery are checked by the message-guard step, which refuses anything else.
        const created = await this.api.createRecord(T.message, {
          'swb_conversationid@odata.bind': bind(T.conversation, id),
          'swb_authoragentid@odata.bind': bind(T.systemuser, this.currentUserId),
          swb_name: body.slice(0, 100),
          swb_sequence: sequence,
          swb_direction: MessageDirection.Outbound,
          swb_authorkind: AuthorKind.Agent,
          swb_visibility: internal ? Visibility.Internal : Visibility.Public,
          swb_body: body,
          // Internal notes never travel through a channel, so they carry no delivery status.
          ...(internal ? {} : { swb_deliverystatus: DeliveryStatus.Pending }),
        });
        this.sentLast.set(id, sequence);
        return created.id;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= MAX_SEQUENCE_ATTEMPTS) throw error;
      }
    }
  }

  /** The number of the last message this pane stored, per conversation. */
  private readonly sentLast = new Map<string, number>();

  private async lastSequence(conversationId: string): Promise<number> {
    const page = await this.api.retrieveMultipleRecords(
      T.message,
      `?$select=swb_sequence&$filter=_swb_conversationid_value eq ${conversationId}&$orderby=swb_sequence desc&$top=1`,
    );
    return Number((page.entities[0] as MessageRow | undefined)?.swb_sequence ?? 0);
  }

  /**
   * My newest session in the conversation, open or not: a closed one tells the pane and the timer
   * that the agent was transferred away or their consult ended, and when.
   */
  async myLatestSession(conversationId: string): Promise<SessionRow | undefined> {
    const page = await this.api.retrieveMultipleRecords(
      T.session,
      `?$select=${SESSION_SELECT}&$filter=_swb_conversationid_value eq ${guid(conversationId)} and _swb_agentid_value eq ${this.currentUserId}&$orderby=createdon desc&$top=1`,
    );
    return page.entities[0] as SessionRow | undefined;
  }

  /** Agents with an open session in the conversation (primary or consult). */
  async participants(conversationId: string): Promise<string[]> {
    const rows = await this.all<SessionRow>(
      T.session,
      `?$select=_swb_agentid_value&$filter=_swb_conversationid_value eq ${guid(conversationId)} and swb_state ne ${SessionState.Closed}`,
    );
    return rows.map((r) => r._swb_agentid_value);
  }

  /** Active templates usable on this channel (no channel type = every channel). */
  async templates(channelType?: number | null): Promise<TemplateRow[]> {
    const rows = await this.all<TemplateRow>(T.template, `?$select=swb_messagetemplateid,swb_name,swb_kind,swb_body,swb_locale,swb_channeltype&$filter=statecode eq 0&$orderby=swb_name asc`);
    return rows.filter((r) => r.swb_channeltype == null || channelType == null || r.swb_channeltype === channelType);
  }

  async queues(): Promise<{ id: string; name: string }[]> {
    const rows = await this.all<{ queueid: string; name: string }>(T.queue, `?$select=queueid,name&$orderby=name asc`);
    return rows.map((r) => ({ id: r.queueid, name: r.name }));
  }

  /** The queue's members who are enabled users, through its N:N relationship (the intersect table has no entity set of its own). */
  async queueMembers(queueId: string): Promise<string[]> {
    const row = await this.api.retrieveRecord(T.queue, guid(queueId), `?$select=queueid&$expand=${QUEUE_MEMBERS}($select=systemuserid,isdisabled)`);
    const members = (row[QUEUE_MEMBERS] ?? []) as { systemuserid: string; isdisabled?: boolean | null }[];
    return members.filter((m) => m.isdisabled !== true).map((m) => m.systemuserid);
  }

  agentStatuses(agentIds: readonly string[]): Promise<AgentStatusRow[]> {
    if (agentIds.length === 0) return Promise.resolve([]);
    const ors = agentIds.map((id) => `_swb_agentid_value eq ${guid(id)}`).join(' or ');
    return this.all<AgentStatusRow>(
      T.agentStatus,
      `?$select=swb_agentstatusid,_swb_agentid_value,swb_basepresence,swb_presencelabel,swb_manualoverride,swb_capacityused,swb_capacitymax&$filter=(${ors})`,
    );
  }

  async userNames(ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (ids.length === 0) return names;
    const ors = ids.map((id) => `systemuserid eq ${guid(id)}`).join(' or ');
    const rows = await this.all<{ systemuserid: string; fullname: string }>(T.systemuser, `?$select=systemuserid,fullname&$filter=(${ors})`);
    for (const r of rows) names.set(r.systemuserid.toLowerCase(), r.fullname);
    return names;
  }

  async consult(conversationId: string, agentId: string): Promise<void> {
    await this.api.createRecord(T.session, {
      'swb_conversationid@odata.bind': bind(T.conversation, guid(conversationId)),
      'swb_agentid@odata.bind': bind(T.systemuser, guid(agentId)),
      swb_role: SessionRole.Consult,
      swb_state: SessionState.Active,
      // No swb_joinedon: times are the server's (a secured column). The row's createdon is when
      // the consultant joined, and the timer counts from it, even after a transfer to them.
    });
  }

  /** Back to routing through another queue; the routing step clears the primary agent. */
  async transferToQueue(conversationId: string, queueId: string): Promise<void> {
    await this.api.updateRecord(T.conversation, guid(conversationId), {
      'swb_queueid@odata.bind': bind(T.queue, guid(queueId)),
      swb_state: ConversationState.Open,
    });
  }

  /** The receiver becomes primary; the session step moves the sessions. */
  async transferToAgent(conversationId: string, agentId: string): Promise<void> {
    await this.api.updateRecord(T.conversation, guid(conversationId), {
      'swb_primaryagentid@odata.bind': bind(T.systemuser, guid(agentId)),
    });
  }

  // Only the state: the conversation-state step stamps swb_wrapupon / swb_closedon with the
  // operation's own time (secured columns a person may not set).
  async endConversation(conversationId: string): Promise<void> {
    await this.api.updateRecord(T.conversation, guid(conversationId), { swb_state: ConversationState.WrapUp });
  }

  async closeConversation(conversationId: string): Promise<void> {
    await this.api.updateRecord(T.conversation, guid(conversationId), { swb_state: ConversationState.Closed });
  }

  async recordName(ref: CustomerRef): Promise<string> {
    const key = ref.table === 'contact' ? 'fullname' : 'name';
    const row = await this.api.retrieveRecord(ref.table, guid(ref.id), `?$select=${key}`);
    return String(row[key] ?? '');
  }

  /** The agent settles an ambiguous identification by choosing one candidate. */
  async chooseCustomer(conversationId: string, ref: CustomerRef): Promise<void> {
    await this.api.updateRecord(T.conversation, guid(conversationId), {
      [`swb_customerid_${ref.table}@odata.bind`]: bind(ref.table, guid(ref.id)),
      swb_identificationresult: IdentificationResult.Identified,
    });
  }

  earlierConversations(customerId: string, excludeId: string, top = 5): Promise<ConversationRow[]> {
    return this.all<ConversationRow>(
      T.conversation,
      `?$select=activityid,subject,swb_state,swb_channeltype,swb_openedon,createdon&$filter=_swb_customerid_value eq ${guid(customerId)} and activityid ne ${guid(excludeId)}&$orderby=createdon desc&$top=${top}`,
    );
  }

  /** The conversations of these offers, for their cards. */
  conversationsByIds(ids: readonly string[]): Promise<ConversationRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    const ors = [...new Set(ids.map((id) => guid(id)))].map((id) => `activityid eq ${id}`).join(' or ');
    return this.all<ConversationRow>(T.conversation, `?$select=${OFFERED_CONVERSATION_SELECT}&$filter=(${ors})`);
  }

  /** The widget's pre-chat questions (labels per language, choices, name fields); none when unreadable. */
  preChatQuestions(widgetId: string): Promise<PreChatQuestion[]> {
    const id = guid(widgetId);
    let pending = this.questions.get(id);
    if (!pending) {
      pending = this.api.retrieveRecord(T.chatWidget, id, '?$select=swb_prechatquestions').then(
        (row) => parsePreChatQuestions(row['swb_prechatquestions'] as string | null | undefined),
        () => {
          // Labels fall back to the answer keys; try again next time rather than remember a failure.
          this.questions.delete(id);
          return [];
        },
      );
      this.questions.set(id, pending);
    }
    return pending;
  }

  async myAgentStatus(): Promise<AgentStatusRow | undefined> {
    const rows = await this.agentStatuses([this.currentUserId]);
    return rows[0];
  }

  async setPresence(statusRowId: string, presence: Presence): Promise<void> {
    // A manual choice overrides capacity-driven presence until the agent goes inactive or signs out.
    await this.api.updateRecord(T.agentStatus, guid(statusRowId), { swb_basepresence: presence, swb_manualoverride: true, swb_overridesetton: this.now().toISOString() });
  }

  /** Hands presence back to capacity: the presence it gives now, and no manual override. */
  async useAutomaticPresence(statusRowId: string, presence: PresenceBase): Promise<void> {
    await this.api.updateRecord(T.agentStatus, guid(statusRowId), { swb_basepresence: presenceChoiceOf(presence), swb_manualoverride: false });
  }

  myPendingOffers(): Promise<OfferRow[]> {
    return this.all<OfferRow>(
      T.offer,
      `?$select=swb_offerid,_swb_conversationid_value,_swb_agentid_value,_swb_queueid_value,swb_response,swb_offeredon,swb_expireson&$filter=_swb_agentid_value eq ${this.currentUserId} and swb_response eq ${OfferResponse.Pending}&$orderby=swb_offeredon asc`,
    );
  }

  async answerOffer(offerId: string, accept: boolean): Promise<void> {
    // The answer only: the offer-guard step refuses any other column, and the offer-response
    // step stamps when it was given.
    await this.api.updateRecord(T.offer, guid(offerId), { swb_response: accept ? OfferResponse.Accepted : OfferResponse.Declined });
  }

  /** Conversations another agent invited me to consult on, while my consult session is open. */
  async myConsultConversations(): Promise<ConversationRow[]> {
    const sessions = await this.all<SessionRow>(
      T.session,
      `?$select=_swb_conversationid_value&$filter=_swb_agentid_value eq ${this.currentUserId} and swb_role eq ${SessionRole.Consult} and swb_state ne ${SessionState.Closed}`,
    );
    const ids = [...new Set(sessions.map((r) => r._swb_conversationid_value?.toLowerCase()).filter((id): id is string => Boolean(id)))];
    if (ids.length === 0) return [];
    const ors = ids.map((id) => `activityid eq ${guid(id)}`).join(' or ');
    return this.all<ConversationRow>(
      T.conversation,
      `?$select=activityid,subject,swb_state,swb_channeltype,swb_customername,swb_customerphone,swb_prechatanswers,_swb_customerid_value,_swb_queueid_value,_swb_primaryagentid_value,swb_activeon&$filter=(${ors}) and swb_state eq ${ConversationState.Active}&$orderby=swb_activeon desc`,
    );
  }

  myOpenConversations(): Promise<ConversationRow[]> {
    return this.all<ConversationRow>(
      T.conversation,
      `?$select=activityid,subject,swb_state,swb_channeltype,swb_customername,swb_customerphone,swb_prechatanswers,_swb_customerid_value,_swb_queueid_value,swb_activeon,swb_wrapupon,swb_lastmessagesequence&$filter=_swb_primaryagentid_value eq ${this.currentUserId} and (swb_state eq ${ConversationState.Active} or swb_state eq ${ConversationState.WrapUp})&$orderby=swb_activeon desc`,
    );
  }
}
