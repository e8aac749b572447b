import { isPaneMessage, paneSrc, withAgent, withConversation, workspaceSearch, workspaceState } from './workspace-url';

const AGENTS = ['alice', 'bruno', 'chloe', 'sam'];
const C1 = '5eed0000-0000-4000-8000-00000000aaaa';
const C2 = '5eed0000-0000-4000-8000-00000000bbbb';

describe('the two-agent workspace URL', () => {
  test('names each pane\'s agent and the conversation it shows, so a reload reopens both', () => {
    const state = workspaceState(new URLSearchParams(`agents=alice,bruno&alice=${C1}&bruno=${C2.toUpperCase()}&lang=fr`), AGENTS);
    expect(state).toEqual({ panes: [{ agent: 'alice', conversationId: C1 }, { agent: 'bruno', conversationId: C2 }], lang: 'fr' });
    expect(workspaceSearch(state)).toBe(`?agents=alice,bruno&alice=${C1}&bruno=${C2}&lang=fr`);
  });

  test('unknown agents, repeats and anything but a conversation id are dropped; no agents means Alice and Bruno', () => {
    expect(workspaceState(new URLSearchParams('agents=alice,mallory,alice&alice=1 or 1=1'), AGENTS)).toEqual({ panes: [{ agent: 'alice' }] });
    expect(workspaceState(new URLSearchParams(''), AGENTS)).toEqual({ panes: [{ agent: 'alice' }, { agent: 'bruno' }] });
  });

  test('each pane\'s frame is the single-agent page, embedded, with its conversation and the page\'s language', () => {
    expect(paneSrc({ agent: 'bruno', conversationId: C2 }, 'fr')).toBe(`/workspace/agent?agent=bruno&embedded=1&conversation=${C2}&lang=fr`);
    expect(paneSrc({ agent: 'alice' }, undefined)).toBe('/workspace/agent?agent=alice&embedded=1');
  });

  test('a pane opening or closing a conversation changes only its own part', () => {
    const state = workspaceState(new URLSearchParams(`agents=alice,bruno&bruno=${C2}`), AGENTS);
    expect(withConversation(state, 'alice', C1).panes).toEqual([{ agent: 'alice', conversationId: C1 }, { agent: 'bruno', conversationId: C2 }]);
    expect(withConversation(state, 'bruno', undefined).panes).toEqual([{ agent: 'alice' }, { agent: 'bruno' }]);
  });

  test('changing a pane\'s agent starts it empty, and never puts one agent in two panes', () => {
    const state = workspaceState(new URLSearchParams(`agents=alice,bruno&alice=${C1}`), AGENTS);
    expect(withAgent(state, 0, 'chloe').panes).toEqual([{ agent: 'chloe' }, { agent: 'bruno' }]);
    expect(withAgent(state, 0, 'bruno')).toBe(state);
  });

  test('only well-formed messages from a pane are taken', () => {
    expect(isPaneMessage({ source: 'switchboard-workspace', agent: 'alice', conversationId: C1 })).toBe(true);
    expect(isPaneMessage({ source: 'switchboard-workspace', agent: 'alice', conversationId: null })).toBe(true);
    expect(isPaneMessage({ source: 'switchboard-workspace', agent: 'alice', conversationId: 'x' })).toBe(false);
    expect(isPaneMessage({ source: 'other', agent: 'alice', conversationId: null })).toBe(false);
    expect(isPaneMessage('switchboard-workspace')).toBe(false);
  });
});
