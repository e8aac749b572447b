// Every read and write of the supervisor desk, over context.webAPI only, so the supervisor's
// Dataverse roles apply and the plugin steps judge each action.
//
// A refresh costs a fixed number of requests, whatever the size of the floor once it is
// loaded (Dataverse's API budget is the binding constraint, not CPU):
//
//   conversations changed since the last refresh (modifiedon after a watermark, see Watermark), any queue,
//   closed ones included, so the desk drops them and those that left its queues . . . . . . 1
//   consult sessions changed since the last refresh . . . . . . . . . . . . . . . . . . . . 1
//   agent status rows changed since the last refresh . . . . . . . . . . . . . . . . . . . . 1
//   conversations held per agent ($apply groupby) . . . . . . . . . . . . . . . . . . . . . 1
//   pending offers per agent and conversation ($apply groupby) . . . . . . . . . . . . . . . 1
//   today's first-wait outcomes per queue ($apply groupby, stamped by floor-stamps) . . . . . 1
//
// The first refresh, and every FULL_EVERY-th (rows deleted, or missed), reads the roster — the
// supervisor's queues with their members (one $expand) and capacity profiles — and the full
// sets instead: ⌈rows / 5,000⌉ requests per table. A push "something changed" event calls the
// same refresh.
import { ConversationState, OfferResponse, Presence, SessionRole, SessionState, bind, guid, type AgentStatusRow, type ConversationRow, type SessionRow } from '../../../shared/src';
import { AgentConnectionState, SupervisorAction } from '../logic/choices';
import { emptyFloor, floorState, isOpenConsult, mergeRows, watermarkOf, type AgentInfo, type Floor, type ProfileInfo, type QueueInfo, type TodayGroup } from '../logic/floor';

type WebApi = ComponentFramework.WebApi;

// Writes return plain promises (no async): pcf-scripts' Babel turns every async function into
// a generator wrapper, and the desk has many one-write actions.
const done = (): void => undefined;

/** Full reload every so many refreshes: deletions leave no modifiedon behind. */
export const FULL_EVERY = 20;
/** Rows stamped in the same second, or committed a little after a later stamp, are read again. */
export const DELTA_OVERLAP_MS = 10_000;

const CONVERSATION_COLUMNS = [
  'activityid', 'subject', 'swb_state', 'swb_channeltype', '_swb_queueid_value', '_swb_primaryagentid_value', '_swb_customerid_value',
  'swb_customername', 'swb_customerphone', 'swb_openedon', 'swb_queuedon', 'swb_firstassignedon', 'swb_activeon', 'swb_wrapupon',
  'swb_waitseconds', 'swb_lastcustomermessageon', 'swb_sentiment', 'modifiedon', 'createdon',
].join(',');
const SESSION_COLUMNS = 'activityid,_swb_conversationid_value,_swb_agentid_value,swb_role,swb_state,modifiedon';
const STATUS_COLUMNS = [
  'swb_agentstatusid', '_swb_agentid_value', 'swb_basepresence', 'swb_presencelabel', 'swb_manualoverride', 'swb_overridesetton',
  'swb_connectionstate', 'swb_capacityused', 'swb_capacitymax', 'swb_profileusage', 'swb_presencesince', 'modifiedon',
].join(',');
const QUEUE_MEMBERS = 'queuemembership_association';

interface RosterQueue {
  queueid: string;
  name?: string | null;
  [QUEUE_MEMBERS]?: { systemuserid: string; fullname?: string | null; isdisabled?: boolean | null }[];
}

export interface RefreshResult {
  floor: Floor;
  /** Dataverse requests this refresh made (each page counts). */
  requests: number;
  full: boolean;
  /** Figures that could not be read this time (an aggregate over its limit, say): shown as unknown. */
  partial: string[];
}

/**
 * Where the next delta read starts. A change stamped a little before the newest one seen may
 * still be committing when we read (Dataverse stamps modifiedon before it commits, to the
 * second), so reads overlap by DELTA_OVERLAP_MS until one has run that long after the newest
 * stamp was first seen; from then on only later changes are asked for, and a quiet floor costs
 * an empty answer instead of the same recent rows again and again.
 */
export interface Watermark {
  /** The newest modifiedon seen. */
  at: string;
  /** When (client clock) this stamp was first seen. */
  seenAt: number;
  /** A read has covered the overlap: later reads ask for `gt at`. */
  settled: boolean;
}

export function deltaFilter(w: Watermark): string {
  return w.settled ? `modifiedon gt ${w.at}` : `modifiedon ge ${new Date(Date.parse(w.at) - DELTA_OVERLAP_MS).toISOString()}`;
}

/** The watermark after a read that started at `startedAt` (client clock) and returned `rows`. */
export function nextWatermark(previous: Watermark | null, rows: readonly { modifiedon?: string | null }[], startedAt: number): Watermark | null {
  const at = watermarkOf(rows, previous?.at ?? null);
  if (at === null) return null;
  if (!previous || at !== previous.at) return { at, seenAt: startedAt, settled: false };
  return previous.settled || startedAt - previous.seenAt < DELTA_OVERLAP_MS ? previous : { ...previous, settled: true };
}

/** Start of today in the user's time zone (Dataverse's user setting, minutes east of UTC), as an instant. */
export function startOfToday(now: number, offsetMinutes: number): Date {
  const local = new Date(now + offsetMinutes * 60_000);
  local.setUTCHours(0, 0, 0, 0);
  return new Date(local.getTime() - offsetMinutes * 60_000);
}

export class FloorSource {
  private floor: Floor = emptyFloor();
  private watermarks: Record<'conversations' | 'sessions' | 'statuses', Watermark | null> = { conversations: null, sessions: null, statuses: null };
  private refreshes = 0;
  private requests = 0;
  private forbidden: boolean | undefined;

  constructor(
    private readonly api: WebApi,
    private readonly me: string,
    private readonly clock: () => number = Date.now,
    private readonly offsetMinutes: () => number = () => 0,
  ) {}

  get userId(): string {
    return guid(this.me);
  }

  private async page(table: string, options: string): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    this.requests++;
    return this.api.retrieveMultipleRecords(table, options, 5000);
  }

  private async all<R>(table: string, query: string): Promise<R[]> {
    const rows: R[] = [];
    let options: string | undefined = query;
    while (options !== undefined) {
      const page = await this.page(table, options);
      rows.push(...(page.entities as R[]));
      options = page.nextLink ? `?${page.nextLink.split('?')[1]}` : undefined;
    }
    return rows;
  }

  /**
   * Whether the signed-in user may use the desk at all: only supervisors read the audit trail.
   * Asked once; Dataverse's refusal, not a role name, decides (role ids differ per business unit).
   */
  async allowed(): Promise<boolean> {
    if (this.forbidden === undefined) {
      try {
        await this.page('swb_supervisoraction', '?$select=swb_supervisoractionid&$top=1');
        this.forbidden = false;
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (status !== undefined && status !== 401 && status !== 403) throw e;
        this.forbidden = true;
      }
    }
    return !this.forbidden;
  }

  async refresh(options: { full?: boolean } = {}): Promise<RefreshResult> {
    const before = this.requests;
    const full = options.full === true || this.refreshes % FULL_EVERY === 0;
    this.refreshes++;
    const partial: string[] = [];
    let { queues, agents, profiles } = this.floor;
    if (full) ({ queues, agents, profiles } = await this.roster());
    const mine = new Set(queues.map((q) => q.id));
    const queueFilter = queues.map((q) => `_swb_queueid_value eq ${q.id}`).join(' or ');
    const startedAt = this.clock();
    const since = (w: Watermark | null) => (full || !w ? null : deltaFilter(w));

    const cSince = since(this.watermarks.conversations);
    const sSince = since(this.watermarks.sessions);
    const aSince = since(this.watermarks.statuses);
    const [conversations, sessions, statuses, held, offers, today] = await Promise.all([
      cSince
        ? this.all<ConversationRow>('swb_conversation', `?$select=${CONVERSATION_COLUMNS}&$filter=${cSince}`)
        : queueFilter
          ? this.all<ConversationRow>('swb_conversation', `?$select=${CONVERSATION_COLUMNS}&$filter=swb_state ne ${ConversationState.Closed} and (${queueFilter})`)
          : Promise.resolve([]),
      this.all<SessionRow>('swb_session', `?$select=${SESSION_COLUMNS}&$filter=swb_role eq ${SessionRole.Consult} and ${sSince ?? `swb_state ne ${SessionState.Closed}`}`),
      this.all<AgentStatusRow>('swb_agentstatus', `?$select=${STATUS_COLUMNS}${aSince ? `&$filter=${aSince}` : ''}`),
      this.countBy('swb_conversation', `filter(swb_state eq ${ConversationState.Active} or swb_state eq ${ConversationState.WrapUp})`, '_swb_primaryagentid_value', partial, 'held'),
      this.pendingOffers(partial),
      queueFilter ? this.today(queueFilter, partial) : Promise.resolve([]),
    ]);

    const belongs = (c: ConversationRow) => floorState(c.swb_state) !== null && Boolean(c._swb_queueid_value && mine.has(c._swb_queueid_value.toLowerCase()));
    const base = full ? emptyFloor() : this.floor;
    const consults = new Map(base.consults);
    for (const s of sessions) {
      const key = s.activityid.toLowerCase();
      if (isOpenConsult(s)) consults.set(key, { conversationId: s._swb_conversationid_value.toLowerCase(), agentId: s._swb_agentid_value.toLowerCase() });
      else consults.delete(key);
    }
    this.floor = {
      queues,
      agents,
      profiles,
      conversations: mergeRows(base.conversations, conversations, (c) => c.activityid, belongs),
      consults,
      statuses: mergeRows(base.statuses, statuses, (s) => s._swb_agentid_value, () => true),
      held: held ?? base.held,
      offers: offers?.perAgent ?? base.offers,
      offeredTo: offers?.offeredTo ?? base.offeredTo,
      today: today ?? base.today,
    };
    const advance = (w: Watermark | null, rows: readonly { modifiedon?: string | null }[]) => nextWatermark(full ? null : w, rows, startedAt);
    this.watermarks = {
      conversations: advance(this.watermarks.conversations, conversations),
      sessions: advance(this.watermarks.sessions, sessions),
      statuses: advance(this.watermarks.statuses, statuses),
    };
    return { floor: this.floor, requests: this.requests - before, full, partial };
  }

  /** My queues with their members, and the capacity profiles: what changes by administration, not by the minute. */
  private async roster(): Promise<{ queues: QueueInfo[]; agents: Map<string, AgentInfo>; profiles: Map<string, ProfileInfo> }> {
    this.requests++;
    const [me, profileRows] = await Promise.all([
      this.api.retrieveRecord(
        'systemuser',
        this.userId,
        `?$select=systemuserid&$expand=${QUEUE_MEMBERS}($select=queueid,name;$filter=statecode eq 0;$expand=${QUEUE_MEMBERS}($select=systemuserid,fullname,isdisabled))`,
      ),
      this.all<{ swb_capacityprofileid: string; swb_name?: string | null; swb_maxunits?: number | null }>('swb_capacityprofile', '?$select=swb_capacityprofileid,swb_name,swb_maxunits'),
    ]);
    const queues: QueueInfo[] = [];
    const agents = new Map<string, AgentInfo>();
    for (const q of ((me[QUEUE_MEMBERS] ?? []) as RosterQueue[])) {
      const id = q.queueid.toLowerCase();
      const members = (q[QUEUE_MEMBERS] ?? []).filter((m) => m.isdisabled !== true);
      queues.push({ id, name: q.name ?? '', members: members.map((m) => m.systemuserid.toLowerCase()) });
      for (const m of members) {
        const a = m.systemuserid.toLowerCase();
        const known = agents.get(a) ?? { id: a, name: m.fullname ?? '', queues: [] };
        known.queues.push(id);
        agents.set(a, known);
      }
    }
    queues.sort((x, y) => x.name.localeCompare(y.name));
    const profiles = new Map(profileRows.map((p) => [p.swb_capacityprofileid.toLowerCase(), { id: p.swb_capacityprofileid.toLowerCase(), name: p.swb_name ?? '', maxItems: p.swb_maxunits ?? 3 }]));
    return { queues, agents, profiles };
  }

  /** A count per lookup value in one grouped query; null (and noted) when Dataverse refuses it, e.g. past its 50,000-row aggregate limit. */
  private async countBy(table: string, filter: string, by: string, partial: string[], what: string): Promise<Map<string, number> | null> {
    try {
      const rows = await this.all<Record<string, unknown>>(table, `?$apply=${filter}/groupby((${by}),aggregate($count as n))`);
      return new Map(rows.filter((r) => typeof r[by] === 'string').map((r) => [String(r[by]).toLowerCase(), Number(r['n'] ?? 0)]));
    } catch {
      partial.push(what);
      return null;
    }
  }

  /**
   * Pending offers grouped by agent and conversation (one row per live offer, a handful): the
   * count per agent and whom each waiting conversation is offered to, in one request.
   */
  private async pendingOffers(partial: string[]): Promise<{ perAgent: Map<string, number>; offeredTo: Map<string, string> } | null> {
    try {
      const rows = await this.all<Record<string, unknown>>('swb_offer', `?$apply=filter(swb_response eq ${OfferResponse.Pending})/groupby((_swb_agentid_value,_swb_conversationid_value),aggregate($count as n))`);
      const perAgent = new Map<string, number>();
      const offeredTo = new Map<string, string>();
      for (const r of rows) {
        if (typeof r['_swb_agentid_value'] !== 'string') continue;
        const agent = r['_swb_agentid_value'].toLowerCase();
        perAgent.set(agent, (perAgent.get(agent) ?? 0) + Number(r['n'] ?? 0));
        if (typeof r['_swb_conversationid_value'] === 'string') offeredTo.set(r['_swb_conversationid_value'].toLowerCase(), agent);
      }
      return { perAgent, offeredTo };
    } catch {
      partial.push('offers');
      return null;
    }
  }

  private async today(queueFilter: string, partial: string[]): Promise<TodayGroup[] | null> {
    const from = startOfToday(this.clock(), this.offsetMinutes()).toISOString();
    try {
      const rows = await this.all<Record<string, unknown>>(
        'swb_conversation',
        `?$apply=filter(swb_waitendedon ge ${from} and (${queueFilter}))/groupby((_swb_queueid_value,swb_waitoutcome),aggregate($count as n,swb_waitseconds with sum as seconds))`,
      );
      return rows
        .filter((r) => typeof r['_swb_queueid_value'] === 'string' && typeof r['swb_waitoutcome'] === 'number')
        .map((r) => ({ queueId: String(r['_swb_queueid_value']).toLowerCase(), outcome: Number(r['swb_waitoutcome']), count: Number(r['n'] ?? 0), seconds: Number(r['seconds'] ?? 0) }));
    } catch {
      partial.push('today');
      return null;
    }
  }

  // ---- actions: each one row write, judged by the plugin steps

  /** Recorded before the transcript opens: reading is allowed by the role, monitoring is accountable. */
  monitor(conversationId: string, queueId: string | null, label: string): Promise<void> {
    return this.api.createRecord('swb_supervisoraction', {
      swb_name: label.slice(0, 200),
      swb_action: SupervisorAction.Monitor,
      'swb_supervisorid@odata.bind': bind('systemuser', this.userId),
      'swb_conversationid@odata.bind': bind('swb_conversation', guid(conversationId)),
      ...(queueId ? { 'swb_queueid@odata.bind': bind('queue', guid(queueId)) } : {}),
    }).then(done);
  }

  /** A consult session for oneself: joining is a consult (no capacity, internal notes only). */
  join(conversationId: string): Promise<void> {
    return this.api.createRecord('swb_session', {
      subject: 'Supervisor',
      'swb_conversationid@odata.bind': bind('swb_conversation', guid(conversationId)),
      'swb_agentid@odata.bind': bind('systemuser', this.userId),
      swb_role: SessionRole.Consult,
      swb_state: SessionState.Active,
    }).then(done);
  }

  /** A waiting conversation to an agent: Active with them, in one write (the guard checks capacity unless forced). */
  assign(conversationId: string, agentId: string, overCapacity: boolean): Promise<void> {
    return this.api.updateRecord('swb_conversation', guid(conversationId), {
      swb_state: ConversationState.Active,
      'swb_primaryagentid@odata.bind': bind('systemuser', guid(agentId)),
      swb_forcedassignment: overCapacity,
    }).then(done);
  }

  transferToAgent(conversationId: string, agentId: string, overCapacity: boolean): Promise<void> {
    return this.api.updateRecord('swb_conversation', guid(conversationId), {
      'swb_primaryagentid@odata.bind': bind('systemuser', guid(agentId)),
      swb_forcedassignment: overCapacity,
    }).then(done);
  }

  /** Back to routing through a queue (the same write an agent's transfer to a queue makes). */
  transferToQueue(conversationId: string, queueId: string): Promise<void> {
    return this.api.updateRecord('swb_conversation', guid(conversationId), { 'swb_queueid@odata.bind': bind('queue', guid(queueId)), swb_state: ConversationState.Open }).then(done);
  }

  forceClose(conversationId: string): Promise<void> {
    return this.api.updateRecord('swb_conversation', guid(conversationId), { swb_state: ConversationState.Closed }).then(done);
  }

  setPresence(statusId: string, presence: Presence): Promise<void> {
    return this.api.updateRecord('swb_agentstatus', guid(statusId), { swb_basepresence: presence, swb_manualoverride: true, swb_overridesetton: new Date(this.clock()).toISOString() }).then(done);
  }

  /** Signed out and Offline; the override goes, as it does when an agent signs out. */
  signOut(statusId: string): Promise<void> {
    return this.api.updateRecord('swb_agentstatus', guid(statusId), { swb_basepresence: Presence.Offline, swb_connectionstate: AgentConnectionState.SignedOut, swb_manualoverride: false }).then(done);
  }
}
