// Dataverse rows → core's RoutingConfig. Pure: the loader fetches, this maps, so the mapping
// is tested without a server.
import {
  type AssignmentMethodConfig,
  type BotConfig,
  type ClassificationRule,
  type OperatingHours,
  type OpeningSlot,
  type OverflowAction as CoreOverflowAction,
  type OverflowConfig,
  type PresenceBase,
  type QueueConfig,
  type RouteToQueueRule,
  type RoutingConfig,
  type WorkstreamConfig,
  presenceBaseOf,
} from '@switchboard/core';
import {
  AssignmentMethod,
  BotKind,
  ChannelType,
  OverflowAction,
  OverflowCondition,
  RoutingRuleKind,
  SkillMatching,
  WrapUpBlocking,
  type BotRow,
  type CapacityProfileRow,
  type OperatingHoursRow,
  type QueueRow,
  type RoutingRuleRow,
  type WorkstreamRow,
} from '@switchboard/solution';
import { parseSurveyTexts } from '../survey/survey-settings';

const METHODS: Readonly<Record<number, AssignmentMethodConfig>> = {
  [AssignmentMethod.HighestCapacity]: { kind: 'highest-capacity' },
  [AssignmentMethod.AdvancedRoundRobin]: { kind: 'round-robin' },
  [AssignmentMethod.LeastActive]: { kind: 'least-active' },
};

const DAYS: Readonly<Record<string, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function channelName(type: ChannelType | null | undefined): string {
  return type === ChannelType.Sms ? 'sms' : 'livechat';
}

export function operatingHoursFromRow(row: OperatingHoursRow): OperatingHours {
  const weekly: OpeningSlot[] = [];
  const schedule = parseJson<Record<string, [string, string][]>>(row.swb_weeklyschedule, {});
  for (const [day, slots] of Object.entries(schedule)) {
    const d = DAYS[day.slice(0, 3).toLowerCase()];
    if (d === undefined || !Array.isArray(slots)) continue;
    for (const slot of slots) if (Array.isArray(slot) && slot.length === 2) weekly.push({ day: d, from: String(slot[0]), to: String(slot[1]) });
  }
  const holidays = parseJson<{ date?: string }[]>(row.swb_holidays, []);
  return {
    id: row.swb_operatinghoursid,
    timeZone: row.swb_timezone || 'UTC',
    weekly,
    closedDates: holidays.map((h) => h.date).filter((d): d is string => typeof d === 'string'),
  };
}

function overflowOf(row: QueueRow): OverflowConfig | undefined {
  const conditions = new Set((row.swb_overflowconditions ?? '').split(',').map((s) => Number(s.trim())).filter((n) => n > 0));
  let action: CoreOverflowAction | undefined;
  if (row.swb_overflowaction === OverflowAction.TransferToQueue && row._swb_overflowqueueid_value) action = { kind: 'queue', queueId: row._swb_overflowqueueid_value };
  else if (row.swb_overflowaction === OverflowAction.AutomatedMessage) {
    action = row._swb_overflowmessageid_value ? { kind: 'end', messageId: row._swb_overflowmessageid_value } : { kind: 'end' };
  }
  if (!action || conditions.size === 0) return undefined;
  const overflow: OverflowConfig = {};
  if (conditions.has(OverflowCondition.ItemLimitExceeded) && (row.swb_itemlimit ?? 0) > 0) overflow.itemLimit = { limit: row.swb_itemlimit!, action };
  if (conditions.has(OverflowCondition.WaitTimeExceeded) && (row.swb_maxwaitseconds ?? 0) > 0) overflow.waitTime = { seconds: row.swb_maxwaitseconds!, action };
  if (conditions.has(OverflowCondition.OutsideOperatingHours)) overflow.outsideHours = { action };
  return Object.keys(overflow).length > 0 ? overflow : undefined;
}

export function queueFromRow(row: QueueRow, fallbackMethod?: AssignmentMethod | null): QueueConfig {
  const queue: QueueConfig = {
    id: row.queueid,
    name: row.name ?? row.queueid,
    // Dataverse: a higher swb_priority is served first; core: a lower number is.
    priority: 1000 - (row.swb_priority ?? 0),
    assignment: METHODS[row.swb_assignmentmethod ?? fallbackMethod ?? -1] ?? { kind: 'highest-capacity' },
  };
  if (row._swb_operatinghoursid_value) queue.operatingHoursId = row._swb_operatinghoursid_value;
  const overflow = overflowOf(row);
  if (overflow) queue.overflow = overflow;
  return queue;
}

export function workstreamFromRows(row: WorkstreamRow, rules: readonly RoutingRuleRow[], fallbackQueueId: string): WorkstreamConfig {
  const presences = (row.swb_allowedpresences ?? '')
    .split(',')
    .map((s) => presenceBaseOf(Number(s.trim())))
    .filter((p): p is PresenceBase => p !== undefined);
  const mine = rules.filter((r) => r._swb_workstreamid_value === row.swb_workstreamid && r.swb_isenabled !== false).sort((a, b) => (a.swb_order ?? 0) - (b.swb_order ?? 0));
  const classification: ClassificationRule[] = mine
    .filter((r) => r.swb_kind === RoutingRuleKind.Classification)
    .map((r) => {
      const set = parseJson<ClassificationRule['set']>(r.swb_actions, {});
      // The rule's bot is its lookup, not a JSON action: an admin picks it from the list.
      delete set.botId;
      if (r._swb_botid_value) set.botId = r._swb_botid_value;
      return { id: r.swb_routingruleid, condition: r.swb_condition?.trim() || 'true', set };
    });
  // Percentage routing: consecutive route-to-queue rules with the same condition and a
  // percentage below 100 are one rule splitting its matches between their queues.
  const routeToQueue: RouteToQueueRule[] = [];
  for (const r of mine.filter((x) => x.swb_kind === RoutingRuleKind.RouteToQueue && x._swb_targetqueueid_value)) {
    const condition = r.swb_condition?.trim() || 'true';
    const percent = r.swb_percentage ?? 100;
    const last = routeToQueue[routeToQueue.length - 1];
    if (percent < 100 && last?.distribution && last.condition === condition) {
      last.distribution.push({ queueId: r._swb_targetqueueid_value!, percent });
      continue;
    }
    routeToQueue.push(
      percent < 100
        ? { id: r.swb_routingruleid, condition, distribution: [{ queueId: r._swb_targetqueueid_value!, percent }] }
        : { id: r.swb_routingruleid, condition, queueId: r._swb_targetqueueid_value! },
    );
  }
  const blocking: WorkstreamConfig['wrapUpBlocking'] =
    row.swb_wrapupblocking === WrapUpBlocking.UntilClosed
      ? { kind: 'always' }
      : row.swb_wrapupblocking === WrapUpBlocking.ForDuration
        ? { kind: 'seconds', seconds: row.swb_wrapupseconds ?? 0 }
        : { kind: 'never' };
  return {
    id: row.swb_workstreamid,
    channel: channelName(row.swb_channeltype),
    allowedPresences: presences.length > 0 ? presences : ['Available', 'Busy'],
    capacityUnits: row.swb_capacityunits ?? 1,
    ...(row._swb_capacityprofileid_value ? { capacityProfileId: row._swb_capacityprofileid_value.toLowerCase() } : {}),
    wrapUpBlocking: blocking,
    offerTimeoutSeconds: row.swb_offertimeoutseconds ?? 60,
    declineLimitPerAgent: row.swb_declinelimit ?? 3,
    skillMatch: row.swb_skillmatching === SkillMatching.Closest ? 'closest' : 'exact',
    ruleset: { classification, routeToQueue, fallbackQueueId: row._swb_fallbackqueueid_value ?? fallbackQueueId },
    ...(row.swb_surveyenabled === true ? { survey: { texts: parseSurveyTexts(row.swb_surveytexts) } } : {}),
    ...(row._swb_botid_value ? { botId: row._swb_botid_value } : {}),
    // Read with the rest of the row: whether a message is scored costs no request of its own.
    ...(row.swb_sentimentenabled === false ? { sentiment: false } : {}),
  };
}

export interface ConfigRows {
  workstreams: readonly WorkstreamRow[];
  queues: readonly QueueRow[];
  rules: readonly RoutingRuleRow[];
  hours: readonly OperatingHoursRow[];
  profiles: readonly CapacityProfileRow[];
  bots?: readonly BotRow[];
}

export function botFromRow(row: BotRow): BotConfig {
  return {
    id: row.swb_botid,
    name: row.swb_name ?? row.swb_botid,
    kind: row.swb_kind === BotKind.Webhook ? 'webhook' : 'directline',
    url: row.swb_endpointurl ?? '',
    secretSettingName: row.swb_secretsettingname ?? '',
    timeoutSeconds: row.swb_timeoutseconds ?? 5,
    inactivityMinutes: row.swb_inactivityminutes ?? 30,
    enabled: row.swb_isenabled !== false,
  };
}

export function routingConfigFromRows(rows: ConfigRows): RoutingConfig {
  const fallback = rows.queues.find((q) => q.swb_isfallback)?.queueid ?? rows.queues[0]?.queueid ?? '';
  return {
    queues: rows.queues.map((q) => queueFromRow(q)),
    workstreams: rows.workstreams.map((w) => workstreamFromRows(w, rows.rules, fallback)),
    // Profiles are not applied per agent yet (see README, gaps): units decide capacity.
    capacityProfiles: rows.profiles.map((p) => ({ id: p.swb_capacityprofileid, name: p.swb_name ?? '', defaultMaxItems: p.swb_maxunits ?? 3 })),
    operatingHours: rows.hours.map(operatingHoursFromRow),
    bots: (rows.bots ?? []).map(botFromRow),
  };
}
