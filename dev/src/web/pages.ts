// The :7072 pages. Plain HTML; every value from a request or a row goes through esc().
import { AGENTS, CHANNELS, IDS } from '../seed/demo-data';
import { LANGUAGE_NAMES, PAGE_STRINGS, fill, type PageLanguage } from './strings';
import { paneSrc, type WorkspaceState } from './workspace-url';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
  :root { font-family: "Segoe UI", system-ui, sans-serif; color: #242424; }
  body { margin: 0; background: #f5f5f5; }
  header.bar { display: flex; align-items: center; gap: 16px; padding: 8px 16px; background: #0f6cbd; color: white; }
  header.bar a { color: white; }
  header.bar h1 { font-size: 16px; margin: 0; font-weight: 600; }
  main { padding: 16px; }
  a { color: #0f6cbd; }
  .card { background: white; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.15); padding: 16px; margin-bottom: 16px; }
  code { background: #eee; padding: 1px 4px; border-radius: 3px; }
`;

/** The local pages' icon (browsers ask for one; a 404 in every page load is noise). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0f6cbd"/><path d="M8 11h16v10H14l-4 4v-4H8z" fill="#fff"/></svg>`;
const ICON = '<link rel="icon" href="/favicon.svg" type="image/svg+xml">';

function page(title: string, body: string, head = '', lang: PageLanguage = 'en'): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>${ICON}<style>${STYLE}</style>${head}</head><body>${body}</body></html>`;
}

export function indexPage(u: { functions: string; dataverseApi: string }): string {
  return page(
    'Switchboard local stack',
    `<header class="bar"><h1>Switchboard — local stack</h1></header><main>
<div class="card"><h2>Agent workspace</h2>
<p><a href="/workspace">Two agents side by side</a> (Alice and Bruno) ·
${AGENTS.map((a) => `<a href="/workspace/agent?agent=${a.key}">${esc(a.fullname)}</a>`).join(' · ')}</p></div>
<div class="card"><h2>Supervisor desk</h2><p><a href="/workspace/supervisor">Sam Leroy's desk</a>: ongoing conversations, agents and queues live (<a href="/workspace/supervisor?lang=fr">en français</a>)</p>
<p><a href="/workspace/insights">Insights</a>: history by queue, channel and agent, CSV export (<a href="/workspace/insights?lang=fr">en français</a>)</p></div>
<div class="card"><h2>Widget demo</h2><p><a href="/shop">Fabrikam Outdoor shop</a> (the chat follows you to <a href="/shop/cart">the cart</a>); <a href="/help">help centre</a> (a bot answers first)</p></div>
<div class="card"><h2>Phone simulator</h2><p><a href="/phone">Text the support numbers</a> as a customer (Twilio, TeleSign, ACS)</p></div>
<div class="card"><h2>Services</h2><ul>
<li>Dataverse emulator: <code>${esc(u.dataverseApi)}</code></li>
<li>Functions: <code>${esc(u.functions)}/api/</code></li></ul></div>
</main>`,
  );
}

export function workspacePage(state: WorkspaceState): string {
  const lang = state.lang ?? 'en';
  const t = PAGE_STRINGS[lang];
  const nameOf = (key: string) => AGENTS.find((a) => a.key === key)?.fullname ?? key;
  const options = (selected: string) => AGENTS.map((a) => `<option value="${a.key}"${a.key === selected ? ' selected' : ''}>${esc(a.fullname)}</option>`).join('');
  const languages = (Object.keys(LANGUAGE_NAMES) as PageLanguage[]).map((l) => `<option value="${l}" lang="${l}"${l === lang ? ' selected' : ''}>${esc(LANGUAGE_NAMES[l])}</option>`).join('');
  // One agent picker per pane, here: the frame below is the single-agent page without its header.
  const panes = state.panes
    .map((pane, i) => {
      const title = esc(fill(t.paneTitle, { name: nameOf(pane.agent) }));
      return `<section class="pane" aria-label="${title}"><div class="pane-head"><label>${esc(t.agent)} <select data-pane="${i}">${options(pane.agent)}</select></label></div>
<iframe name="pane-${i}" data-agent="${esc(pane.agent)}" title="${title}" src="${esc(paneSrc(pane, state.lang))}"></iframe></section>`;
    })
    .join('');
  return page(
    t.workspaceTitle,
    `<header class="bar"><h1>${esc(t.workspaceHeading)}</h1><a href="/">${esc(t.home)}</a><a href="/shop" target="_blank">${esc(t.widgetDemo)}</a><a href="/phone" target="_blank">${esc(t.phoneSimulator)}</a>
<label class="language">${esc(t.language)} <select data-language>${languages}</select></label></header>
<div class="panes">${panes}</div>
<script src="/assets/workspace.js"></script>
<script>window.SwitchboardWorkspacePage.start(${JSON.stringify(state).replace(/</g, '\\u003c')});</script>`,
    `<style>html,body{height:100%}body{display:flex;flex-direction:column}
.panes{flex:1;min-height:0;display:flex;gap:8px;padding:8px;box-sizing:border-box}.pane{flex:1;display:flex;flex-direction:column;gap:4px;min-width:0}
.pane-head{display:flex;align-items:center;gap:8px;font-size:14px}.pane-head select{font:inherit;padding:2px 4px}
.pane iframe{flex:1;min-height:0;border:1px solid #ccc;border-radius:6px;background:white;width:100%;box-sizing:border-box}
header.bar .language{margin-left:auto;font-size:14px;display:flex;gap:6px;align-items:center}header.bar select{font:inherit;font-size:13px}</style>`,
    lang,
  );
}

export interface AgentPageOptions {
  agentName: string;
  lang: PageLanguage;
  /** Inside the two-agent workspace: no header (the workspace's pane has the agent picker). */
  embedded: boolean;
}

export function agentPage(configJson: string, o: AgentPageOptions): string {
  const t = PAGE_STRINGS[o.lang];
  const header = o.embedded ? '' : `<header class="bar"><h1>${esc(o.agentName)}</h1><span id="agent-switch"></span></header>`;
  return page(
    fill(t.agentTitle, { name: o.agentName }),
    `${header}
<div class="layout">
  <aside id="inbox" class="col" aria-label="${esc(t.inbox)}"></aside>
  <main class="col main" aria-label="${esc(t.conversation)}">
    <p id="empty" class="empty">${esc(t.noConversation)}</p>
    <div id="conversation" hidden>
      <div class="conversation-head"><div id="timer"></div>
        <button id="close-conversation" type="button" title="${esc(t.closeViewHelp)}" aria-describedby="close-help">${esc(t.closeView)}</button>
        <span id="close-help" class="sr">${esc(t.closeViewHelp)}</span></div>
      <div class="row"><div id="pane"></div><div id="summary"></div></div>
    </div>
  </main>
</div>
<script src="/assets/host.js"></script>
<script src="/controls/AgentInbox/bundle.js"></script>
<script src="/controls/CommunicationPane/bundle.js"></script>
<script src="/controls/SessionTimer/bundle.js"></script>
<script src="/controls/ConversationSummary/bundle.js"></script>
<script>window.SwitchboardWorkspace.start(${configJson});</script>`,
    // The page fills its window (or its pane of the two-agent workspace): the inbox on the left, the
    // conversation on the right. Wide, the summary stands beside the pane; narrow (a pane of the
    // two-agent workspace), it sits under it in its own scrolling area, so neither falls below the fold.
    `<style>html,body{height:100%}body{display:flex;flex-direction:column}
.layout{flex:1;min-height:0;display:flex;gap:8px;padding:8px;box-sizing:border-box}.col{background:white;border-radius:6px}
#inbox{width:220px;flex:none;overflow:auto}.main{flex:1;min-width:0;display:flex;flex-direction:column;padding:8px;overflow:hidden}
#conversation{flex:1;min-height:0;display:flex;flex-direction:column;gap:8px}#conversation[hidden]{display:none}
.conversation-head{display:flex;align-items:center;gap:8px;min-height:32px}#timer{flex:1;min-width:0}
#close-conversation{flex:none;white-space:nowrap;font:inherit;font-size:13px;padding:4px 10px;border:1px solid #d1d1d1;border-radius:4px;background:white;color:#242424;cursor:pointer}
#close-conversation:hover{background:#f5f5f5}#close-conversation:focus-visible{outline:2px solid #0f6cbd;outline-offset:1px}
.row{flex:1;min-height:0;display:flex;gap:8px}#pane{flex:2 1 0;min-width:0;min-height:0}#summary{flex:1 1 0;min-width:240px;overflow:auto}
@media (max-width:900px){.row{flex-direction:column}#pane{flex:1 1 0;min-height:300px}#summary{flex:0 0 36%;min-width:0;border-top:1px solid #e0e0e0}}
.empty{color:#616161;margin:8px}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}</style>`,
    o.lang,
  );
}

/** The supervisor desk, as its form in the app hosts it: the built SupervisorDesk bundle, full width. */
export function supervisorPage(configJson: string, userName: string): string {
  return page(
    `${userName} — supervisor desk`,
    `<header class="bar"><h1>${esc(userName)} — supervisor desk</h1><a href="/">home</a><a href="/workspace" target="_blank">agent workspace</a></header>
<div id="desk" class="desk"></div>
<script src="/assets/host.js"></script>
<script src="/controls/SupervisorDesk/bundle.js"></script>
<script>window.SwitchboardWorkspace.startSupervisor(${configJson});</script>`,
    `<style>.desk{margin:8px;background:white;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.15);height:calc(100vh - 60px);overflow:hidden}</style>`,
  );
}

/** Insights, as the desk form's second tab hosts it: the built Insights bundle, full width, scrolling. */
export function insightsPage(configJson: string, userName: string): string {
  return page(
    `${userName} — insights`,
    `<header class="bar"><h1>${esc(userName)} — insights</h1><a href="/">home</a><a href="/workspace/supervisor">supervisor desk</a></header>
<div id="insights" class="insights"></div>
<script src="/assets/host.js"></script>
<script src="/controls/Insights/bundle.js"></script>
<script>window.SwitchboardWorkspace.startInsights(${configJson});</script>`,
    `<style>.insights{margin:8px;background:white;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.15);min-height:calc(100vh - 60px)}</style>`,
  );
}

const SHOP_STYLE = `<style>
  .shop header { background: #2d5016; color: #fff; padding: 16px 24px; display: flex; gap: 24px; align-items: baseline; }
  .shop header a { color: #e8f5d0; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; padding: 24px; }
  .item { background: white; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  .item .img { height: 110px; border-radius: 6px; background: linear-gradient(135deg, #9bc26b, #2d5016); margin-bottom: 8px; }
</style>`;

export function shopPage(which: 'home' | 'cart', widgetScript: string): string {
  const products = [
    ['Trail tent 2p', 249],
    ['Down sleeping bag', 189],
    ['Titanium stove', 69],
    ['Headlamp 400 lm', 39],
  ] as const;
  const body =
    which === 'home'
      ? `<div class="grid">${products.map(([n, p]) => `<div class="item"><div class="img"></div><strong>${esc(n)}</strong><p>€${p}</p><a href="/shop/cart">Add to cart</a></div>`).join('')}</div>`
      : `<main><div class="card"><h2>Your cart</h2><p>Trail tent 2p — €249</p><p><strong>Total: €249</strong></p><p><a href="/shop">Continue shopping</a></p></div></main>`;
  const context = which === 'cart' ? `{"cartTotal":249,"page":"cart"}` : `{"page":"home"}`;
  return page(
    which === 'home' ? 'Fabrikam Outdoor' : 'Cart — Fabrikam Outdoor',
    `<div class="shop"><header><h1>Fabrikam Outdoor</h1><a href="/shop">Shop</a><a href="/shop/cart">Cart</a></header>${body}</div>
<script src="${esc(widgetScript)}" data-widget-id="${IDS.widget}" data-context='${esc(context)}' async></script>`,
    SHOP_STYLE,
  );
}

/** The help centre: the widget whose workstream puts the FAQ bot first. */
export function helpPage(widgetScript: string): string {
  return page(
    'Help centre — Fabrikam Outdoor',
    `<div class="shop"><header><h1>Fabrikam Outdoor — help centre</h1><a href="/shop">Shop</a><a href="/help">Help</a></header>
<main><div class="card"><h2>How can we help?</h2><p>Our assistant answers first (opening hours, in English or French); ask for an agent at any time.</p></div></main></div>
<script src="${esc(widgetScript)}" data-widget-id="${IDS.botWidget}" data-context='{"page":"help"}' async></script>`,
    SHOP_STYLE,
  );
}

export function phonePage(): string {
  const channelOptions = CHANNELS.map((c) => `<option value="${c.key}" data-sample="${esc(c.sampleCustomer)}">${esc(c.name)} (${esc(c.number)})</option>`).join('');
  return page(
    'Switchboard — phone simulator',
    `<header class="bar"><h1>Phone simulator</h1><a href="/">home</a><a href="/workspace" target="_blank">agent workspace</a></header>
<main class="phone-main">
<form id="compose" class="card">
  <label>Provider / support number <select id="provider" name="provider">${channelOptions}</select></label>
  <label>Your number (any local format) <input id="from" name="from" value="${esc(CHANNELS[0]!.sampleCustomer)}" autocomplete="off"></label>
  <div class="send"><input id="body" name="body" placeholder="Type an SMS…" autocomplete="off" aria-label="Message"><button id="send" type="submit">Send</button></div>
  <p id="status" role="status"></p>
</form>
<section class="card"><h2 id="thread-title">Thread</h2><ol id="thread" aria-live="polite"></ol></section>
</main>
<script>
const $ = (id) => document.getElementById(id);
const number = () => $('from').value;
async function refresh() {
  const r = await fetch('/phone/api/thread?provider=' + encodeURIComponent($('provider').value) + '&from=' + encodeURIComponent(number()));
  const j = await r.json();
  $('thread-title').textContent = j.customer ? 'Thread with ' + j.channelNumber + ' as ' + j.customer : 'Thread';
  const ol = $('thread');
  ol.replaceChildren(...j.entries.map((e) => {
    const li = document.createElement('li');
    li.className = 'msg ' + e.direction;
    li.dataset.direction = e.direction;
    const b = document.createElement('div'); b.className = 'bubble'; b.textContent = e.body; li.append(b);
    const m = document.createElement('small');
    m.textContent = new Date(e.at).toLocaleTimeString() + ' · ' + e.provider + (e.direction === 'in' ? (e.status ? ' · functions answered ' + e.status : ' · sending…') : ' · sent to your phone by the ' + e.provider + ' stand-in') + (e.detail ? ' · ' + e.detail : '');
    li.append(m);
    return li;
  }));
}
$('compose').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = $('body').value.trim();
  if (!body) return;
  $('send').disabled = true;
  try {
    const r = await fetch('/phone/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: $('provider').value, from: number(), body }) });
    const j = await r.json();
    $('status').textContent = j.status >= 200 && j.status < 300 ? 'Delivered to the functions app (' + j.status + ')' : 'Refused: ' + j.status + ' ' + (j.detail || '');
    if (j.status < 300) $('body').value = '';
  } finally { $('send').disabled = false; }
  refresh();
});
// A number of the chosen channel's country, unless the customer typed one of their own.
let sample = $('provider').selectedOptions[0].dataset.sample;
$('provider').addEventListener('change', () => {
  const next = $('provider').selectedOptions[0].dataset.sample;
  if (number() === sample || number().trim() === '') $('from').value = next;
  sample = next;
  refresh();
});
$('from').addEventListener('change', refresh);
refresh();
setInterval(refresh, 1500);
</script>`,
    `<style>.phone-main{max-width:520px;margin:0 auto}label{display:block;margin-bottom:8px}select,input{font:inherit;padding:6px;width:100%;box-sizing:border-box}
.send{display:flex;gap:8px}.send input{flex:1}button{font:inherit;padding:6px 14px;background:#0f6cbd;color:#fff;border:0;border-radius:4px}
#thread{list-style:none;padding:0;display:flex;flex-direction:column;gap:8px}.msg{max-width:80%}.msg.in{align-self:flex-end;text-align:right}
.bubble{display:inline-block;padding:8px 12px;border-radius:16px;background:#e0e0e0;white-space:pre-wrap}.msg.in .bubble{background:#0b84ff;color:white}
.msg small{display:block;color:#707070;font-size:11px;margin-top:2px}h2{font-size:16px}</style>`,
  );
}
