// Browser side of the two-agent workspace page: each pane's frame reports the conversation it
// opens or closes, and the page writes it into its own address (replaceState), so a reload
// renders every pane where it was. Pickers change a pane's agent or the page's language.
import { isPaneMessage, withAgent, withConversation, workspaceSearch, type WorkspaceState } from '../workspace-url';
import { pageLanguageOf } from '../strings';

export function start(initial: WorkspaceState): void {
  let state = initial;
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== window.location.origin || !isPaneMessage(event.data)) return;
    // Only a pane's own frame speaks for that pane.
    const frame = Array.from(document.querySelectorAll<HTMLIFrameElement>('iframe[data-agent]')).find((f) => f.contentWindow === event.source);
    if (!frame || frame.dataset['agent'] !== event.data.agent) return;
    state = withConversation(state, event.data.agent, event.data.conversationId ?? undefined);
    window.history.replaceState(null, '', `${window.location.pathname}${workspaceSearch(state)}`);
  });
  for (const select of Array.from(document.querySelectorAll<HTMLSelectElement>('select[data-pane]'))) {
    select.addEventListener('change', () => {
      window.location.search = workspaceSearch(withAgent(state, Number(select.dataset['pane']), select.value));
    });
  }
  const language = document.querySelector<HTMLSelectElement>('select[data-language]');
  language?.addEventListener('change', () => {
    const lang = pageLanguageOf(language.value);
    window.location.search = workspaceSearch({ ...state, ...(lang ? { lang } : {}) });
  });
}

(window as unknown as Record<string, unknown>)['SwitchboardWorkspacePage'] = { start };
