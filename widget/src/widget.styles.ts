// Lives inside the shadow root: page selectors cannot reach it and these rules
// cannot reach the page. `all: initial` on :host also stops the *inherited*
// properties (font, colour, line-height, letter-spacing…) that Shadow DOM lets
// through by design.
export function widgetCss(accent: string): string {
  return `
:host{all:initial}
*{box-sizing:border-box}
[hidden]{display:none!important}
.swb{all:initial;display:block;--accent:${accent};--fg:#1b1b1f;--muted:#5b5b66;--line:#d9d9e0;--bg:#fff;--soft:#f3f4f7;--danger:#b3261e;
position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);text-align:left;direction:ltr}
button,input,select,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launch{position:relative;width:56px;margin-left:auto}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#c50f1f;color:#fff;font-size:12px;font-weight:700;line-height:20px;text-align:center;box-shadow:0 0 0 2px #fff}
.launcher{display:flex;align-items:center;justify-content:center;width:56px;height:56px;border:0;border-radius:50%;background:var(--accent);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher svg{width:26px;height:26px;fill:currentColor}
.panel{display:flex;flex-direction:column;width:370px;height:min(600px,calc(100vh - 110px));margin-bottom:14px;background:var(--bg);border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);overflow:hidden}
.panel.compact{height:auto;max-height:min(600px,calc(100vh - 110px))}
header{display:flex;align-items:center;gap:6px;padding:12px 10px 12px 16px;background:var(--accent);color:#fff}
header h2{flex:1;margin:0;font-size:16px;font-weight:600}
header button{border:1px solid rgba(255,255,255,.6);border-radius:8px;background:transparent;color:#fff;padding:4px 10px}
header .x{width:32px;height:32px;padding:0;border:0;font-size:22px;line-height:1}
header button:hover{background:rgba(255,255,255,.15)}
header :focus-visible{outline-color:#fff}
.banner{padding:6px 16px;background:#fff4ce;color:#5c4300;font-size:13px}
.banner:empty{display:none}
.body{flex:1;overflow:auto;padding:16px}
.body.chat{padding:12px 12px 4px;background:var(--soft)}
form.pre{display:flex;flex-direction:column;gap:12px}
.intro{margin:0;color:var(--muted)}
.field{display:flex;flex-direction:column;gap:4px}
.field label{font-weight:600}
.opt{font-weight:400;color:var(--muted)}
.field input,.field select{width:100%;padding:8px 10px;border:1px solid var(--line);border-radius:8px;background:#fff}
.field [aria-invalid=true]{border-color:var(--danger)}
.hint{color:var(--muted);font-size:12px}
.err{color:var(--danger);font-size:13px}
.err:empty{display:none}
.summary{padding:8px 10px;border-radius:8px;background:#fde7e9;color:var(--danger)}
.summary:empty{display:none}
.primary{padding:10px 14px;border:0;border-radius:8px;background:var(--accent);color:#fff;font-weight:600}
.primary[disabled],.primary[aria-disabled=true]{opacity:.6;cursor:default}
.notice h3{margin:0 0 8px;font-size:16px}
.notice p{margin:0 0 8px}
ol.log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.msg{max-width:85%;display:flex;flex-direction:column;gap:2px}
.msg .who{font-size:12px;color:var(--muted)}
.msg .text{padding:8px 12px;border-radius:14px;background:#fff;border:1px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere}
.msg.customer{align-self:flex-end;align-items:flex-end}
.msg.customer .text{background:var(--accent);border-color:var(--accent);color:#fff}
.msg.system{align-self:center;align-items:center;max-width:100%}
.msg.system .text{background:transparent;border:0;color:var(--muted);font-size:13px;text-align:center;padding:2px 8px}
.msg .state{font-size:12px;color:var(--muted)}
.msg.rejected .state{color:var(--danger)}
.msg.pending .text{opacity:.75}
.waiting{margin:10px 0 4px;text-align:center;color:var(--muted);font-size:13px}
.end-note{margin:12px 0 8px;text-align:center;color:var(--muted)}
.end-note button{margin-top:8px}
form.rate{margin:12px 0 4px;padding:12px;border:1px solid var(--line);border-radius:10px;background:#fff;color:var(--fg);text-align:left}
.rate fieldset{margin:0;padding:0;border:0;min-width:0}
.rate legend{padding:0;margin-bottom:8px;font-weight:600}
.scale{display:flex;gap:6px}
.scale label{flex:1;position:relative}
.scale input{position:absolute;left:0;top:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.scale span{display:block;padding:7px 0;border:1px solid var(--line);border-radius:8px;text-align:center;font-weight:600}
.scale input:checked+span{background:var(--accent);border-color:var(--accent);color:#fff}
.scale input:focus-visible+span{outline:3px solid var(--accent);outline-offset:2px}
.ends{display:flex;justify-content:space-between;margin-top:4px;color:var(--muted);font-size:12px}
.rate .c{display:block;margin:10px 0 4px;font-weight:600}
.rate textarea{width:100%;min-height:52px;padding:8px 10px;border:1px solid var(--line);border-radius:8px;resize:vertical}
.rate .primary{width:100%;margin-top:10px}
.rated{color:var(--fg)}
.typing{padding:0 14px;background:var(--soft);color:var(--muted);font-size:12px;font-style:italic}
.typing:not(:empty){padding:2px 14px 4px}
form.compose{display:flex;gap:8px;align-items:flex-end;padding:10px;border-top:1px solid var(--line);background:#fff}
form.compose textarea{flex:1;min-height:40px;max-height:120px;resize:none;padding:9px 10px;border:1px solid var(--line);border-radius:10px}
form.compose .primary{padding:9px 14px}
@media (max-width:480px){.swb{right:12px;bottom:12px;left:12px}.panel{width:auto;height:calc(100vh - 100px)}.panel.compact{height:auto}}
@media (prefers-reduced-motion:no-preference){.panel{animation:swb-in .16s ease-out}@keyframes swb-in{from{opacity:0;transform:translateY(8px)}}}
`;
}
