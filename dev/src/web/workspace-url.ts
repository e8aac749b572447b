// The two-agent workspace keeps what each pane shows in its own URL, as the single-agent page
// does: `/workspace?agents=alice,bruno&alice=<conversation>&bruno=<conversation>[&lang=fr]`. The
// server renders each pane's frame from it, and each frame reports the conversation it opens so
// the page can write it back; a reload then reopens every pane where it was.
import { pageLanguageOf, type PageLanguage } from './strings';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WorkspacePane {
  agent: string;
  conversationId?: string;
}

export interface WorkspaceState {
  panes: WorkspacePane[];
  lang?: PageLanguage;
}

/** Known agents only, each once, at most four panes; Alice and Bruno when none is named. */
export function workspaceState(search: URLSearchParams, knownAgents: readonly string[], fallback: readonly string[] = ['alice', 'bruno']): WorkspaceState {
  const asked = (search.get('agents') ?? '').split(',').map((k) => k.trim()).filter((k) => knownAgents.includes(k));
  const agents = [...new Set(asked.length ? asked : fallback)].slice(0, 4);
  const lang = pageLanguageOf(search.get('lang'));
  return {
    panes: agents.map((agent) => {
      const id = search.get(agent) ?? '';
      return GUID.test(id) ? { agent, conversationId: id.toLowerCase() } : { agent };
    }),
    ...(lang ? { lang } : {}),
  };
}

export function workspaceSearch(state: WorkspaceState): string {
  const params = new URLSearchParams({ agents: state.panes.map((p) => p.agent).join(',') });
  for (const p of state.panes) if (p.conversationId) params.set(p.agent, p.conversationId);
  if (state.lang) params.set('lang', state.lang);
  return `?${params.toString().replace(/%2C/g, ',')}`;
}

/** The address of one pane's frame: the single-agent page, embedded. */
export function paneSrc(pane: WorkspacePane, lang: PageLanguage | undefined): string {
  const params = new URLSearchParams({ agent: pane.agent, embedded: '1' });
  if (pane.conversationId) params.set('conversation', pane.conversationId);
  if (lang) params.set('lang', lang);
  return `/workspace/agent?${params.toString()}`;
}

/** The state once one pane opened (or closed) a conversation. */
export function withConversation(state: WorkspaceState, agent: string, conversationId: string | undefined): WorkspaceState {
  return {
    ...state,
    panes: state.panes.map((p) => (p.agent !== agent ? p : conversationId && GUID.test(conversationId) ? { agent, conversationId: conversationId.toLowerCase() } : { agent })),
  };
}

/** The state once a pane's agent was changed: the new agent starts with nothing open. */
export function withAgent(state: WorkspaceState, index: number, agent: string): WorkspaceState {
  if (state.panes.some((p, i) => i !== index && p.agent === agent)) return state;
  return { ...state, panes: state.panes.map((p, i) => (i === index ? { agent } : p)) };
}

/** What a pane's frame tells the page when it opens or closes a conversation. */
export interface PaneMessage {
  source: 'switchboard-workspace';
  agent: string;
  conversationId: string | null;
}

export function isPaneMessage(data: unknown): data is PaneMessage {
  if (!data || typeof data !== 'object') return false;
  const m = data as Partial<PaneMessage>;
  return m.source === 'switchboard-workspace' && typeof m.agent === 'string' && (m.conversationId === null || (typeof m.conversationId === 'string' && GUID.test(m.conversationId)));
}
