// A busy floor for the render benchmark, the screenshots and the Dataverse benchmark: N agents
// over Q queues, M ongoing conversations (waiting, active, wrap-up) with consults and live
// offers, and today's closed conversations with their first-wait outcomes. Deterministic (a
// seeded generator), rows shaped as the Web API returns them (lookups as `_x_value`).
import { ChannelType, ConversationState, OfferResponse, Presence, SessionRole, SessionState } from '../../shared/src/model/choices';
import { WaitOutcome } from '../SupervisorDesk/logic/choices';

export interface FloorFixture {
  supervisorId: string;
  queues: { id: string; name: string }[];
  agents: { id: string; name: string; queues: string[] }[];
  statuses: Record<string, unknown>[];
  conversations: Record<string, unknown>[];
  sessions: Record<string, unknown>[];
  offers: Record<string, unknown>[];
  profiles: Record<string, unknown>[];
}

const FIRST = ['Ana', 'Bo', 'Camille', 'Dana', 'Émile', 'Farah', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea', 'Mo', 'Noor', 'Otto', 'Pia', 'Quinn', 'Rui', 'Sol', 'Tess'];
const LAST = ['Martin', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Garcia', 'Nguyen', 'Okafor', 'Schmidt', 'Rossi', 'Kowalski', 'Silva', 'Tanaka', 'Haddad', 'Larsen'];
const QUEUES = ['Web support', 'Billing', 'SMS support', 'Returns', 'Enterprise', 'Premium', 'Spanish', 'French', 'After hours', 'Escalations', 'Partners', 'Warranty'];

const guid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const PROFILE_ID = guid(0x9f, 1);

export function floorFixture(now: number, options: { agents: number; conversations: number; queues?: number; closedToday?: number; seed?: number }): FloorFixture {
  const r = random(options.seed ?? 7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const iso = (secondsAgo: number) => new Date(now - Math.round(secondsAgo) * 1000).toISOString();
  const supervisorId = guid(0x5a, 1);
  const queues = Array.from({ length: options.queues ?? 10 }, (_, i) => ({ id: guid(0x51, i + 1), name: QUEUES[i % QUEUES.length]! + (i >= QUEUES.length ? ` ${Math.floor(i / QUEUES.length) + 1}` : '') }));
  const agents = Array.from({ length: options.agents }, (_, i) => {
    const home = queues[i % queues.length]!.id;
    const second = queues[(i * 7 + 3) % queues.length]!.id;
    return { id: guid(0xa6, i + 1), name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i + 1}`, queues: home === second ? [home] : [home, second] };
  });
  const presences = [Presence.Available, Presence.Available, Presence.Busy, Presence.Busy, Presence.DoNotDisturb, Presence.Away, Presence.Offline];
  const membersOf = new Map(queues.map((q) => [q.id, agents.filter((a) => a.queues.includes(q.id))]));
  const held = new Map<string, number>();
  const conversations: Record<string, unknown>[] = [];
  const sessions: Record<string, unknown>[] = [];
  const offers: Record<string, unknown>[] = [];
  for (let i = 0; i < options.conversations; i++) {
    const id = guid(0xc0, i + 1);
    const queue = pick(queues);
    const roll = r();
    const state = roll < 0.3 ? ConversationState.Waiting : roll < 0.9 ? ConversationState.Active : ConversationState.WrapUp;
    const queuedAgo = 30 + r() * 3600;
    const row: Record<string, unknown> = {
      activityid: id,
      subject: 'Chat',
      swb_state: state,
      swb_channeltype: r() < 0.7 ? ChannelType.LiveChat : ChannelType.Sms,
      _swb_queueid_value: queue.id,
      swb_customername: `${pick(FIRST)} ${pick(LAST)}`,
      swb_openedon: iso(queuedAgo + 5),
      swb_queuedon: iso(queuedAgo),
      swb_lastcustomermessageon: iso(r() * Math.min(queuedAgo, 600)),
      createdon: iso(queuedAgo + 5),
      modifiedon: iso(r() * 60),
    };
    if (state === ConversationState.Waiting) {
      if (r() < 0.15) {
        const to = pick(membersOf.get(queue.id)!);
        if (to) offers.push({ swb_offerid: guid(0x0f, offers.length + 1), _swb_conversationid_value: id, _swb_agentid_value: to.id, swb_response: OfferResponse.Pending });
      }
    } else {
      const members = membersOf.get(queue.id)!;
      const agent = members[Math.floor(r() * members.length)]!;
      const wait = Math.round(r() < 0.6 ? r() * 20 : r() * 180);
      Object.assign(row, {
        _swb_primaryagentid_value: agent.id,
        swb_firstassignedon: iso(queuedAgo - wait),
        swb_activeon: iso(queuedAgo - wait),
        swb_waitseconds: wait,
        swb_sentiment: r() < 0.7 ? 612400000 + Math.floor(r() * 5) : null,
        ...(state === ConversationState.WrapUp ? { swb_wrapupon: iso(r() * 120) } : {}),
      });
      held.set(agent.id, (held.get(agent.id) ?? 0) + 1);
      if (r() < 0.03) {
        const consultant = pick(members);
        if (consultant.id !== agent.id) sessions.push({ activityid: guid(0x5e, sessions.length + 1), _swb_conversationid_value: id, _swb_agentid_value: consultant.id, swb_role: SessionRole.Consult, swb_state: SessionState.Active, modifiedon: iso(r() * 60) });
      }
    }
    conversations.push(row);
  }
  const outcomes = [WaitOutcome.AnsweredWithin20s, WaitOutcome.AnsweredWithin20s, WaitOutcome.AnsweredWithin20s, WaitOutcome.AnsweredWithin60s, WaitOutcome.AnsweredLater, WaitOutcome.Abandoned];
  for (let i = 0; i < (options.closedToday ?? 0); i++) {
    const outcome = pick(outcomes);
    const seconds = outcome === WaitOutcome.AnsweredWithin20s ? Math.round(r() * 20) : outcome === WaitOutcome.AnsweredWithin60s ? 21 + Math.round(r() * 39) : 61 + Math.round(r() * 300);
    conversations.push({
      activityid: guid(0xcd, i + 1), subject: 'Chat', swb_state: ConversationState.Closed, swb_channeltype: ChannelType.LiveChat, _swb_queueid_value: pick(queues).id,
      swb_customername: `${pick(FIRST)} ${pick(LAST)}`, swb_waitendedon: iso(r() * 3600 * 6), swb_waitoutcome: outcome, swb_waitseconds: seconds, modifiedon: iso(3600 + r() * 3600),
    });
  }
  const statuses = agents.map((a, i) => {
    const max = 3 + (i % 3);
    const used = Math.min(max, held.get(a.id) ?? 0);
    return {
      swb_agentstatusid: guid(0x57, i + 1), _swb_agentid_value: a.id, swb_basepresence: pick(presences), swb_manualoverride: r() < 0.3, swb_capacityused: used, swb_capacitymax: max,
      swb_profileusage: used ? JSON.stringify({ [PROFILE_ID]: used }) : null, swb_presencesince: iso(r() * 7200), modifiedon: iso(r() * 60),
    };
  });
  return { supervisorId, queues, agents, statuses, conversations, sessions, offers, profiles: [{ swb_capacityprofileid: PROFILE_ID, swb_name: 'Standard', swb_maxunits: 5 }] };
}
