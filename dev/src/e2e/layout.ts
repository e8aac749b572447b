// What a person sees as broken layout, measured in the browser: words of a button, badge, switch
// label or select broken over two lines, and anything sticking out sideways from the element that
// holds it (a word out of its pill, a button out of its toolbar). Scrolling areas and deliberate
// truncation (an ellipsis) are what they are meant to be and are not counted.
import type { Frame, Page } from 'playwright-core';

export interface LayoutProblem {
  kind: 'wrapped' | 'overflows';
  what: string;
  detail: string;
}

/** Runs in the page: every problem in the document (one frame). */
function measure(): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const describe = (el: Element) => {
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    const id = el.id ? `#${el.id}` : '';
    const role = el.getAttribute('role');
    return `<${el.tagName.toLowerCase()}${id}${role ? ` role=${role}` : ''}> "${text}"`;
  };
  // Visually hidden text (1 px, clipped: for screen readers) is not on screen to overflow.
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const lines = (el: Element) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set<number>();
    for (const r of Array.from(range.getClientRects())) if (r.width > 0.5 && r.height > 0.5) tops.add(Math.round(r.top + r.height / 2));
    // Rects of one line share a middle within a pixel or two (inline boxes of different fonts).
    const sorted = [...tops].sort((a, b) => a - b);
    return sorted.filter((t, i) => i === 0 || t - sorted[i - 1]! > 4).length;
  };

  // One line each: the words of a control or a pill.
  const oneLine = 'button, [role="button"], [role="tab"], .fui-Badge, .fui-Switch label, select, #timer [role="timer"], .pane-head label, header.bar a';
  for (const el of Array.from(document.querySelectorAll(oneLine))) {
    if (!visible(el) || (el.textContent ?? '').trim() === '') continue;
    const n = lines(el);
    if (n > 1) problems.push({ kind: 'wrapped', what: describe(el), detail: `${n} lines` });
  }

  // A row of controls stays one row: nothing pushed onto a second line of a wrapping toolbar.
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const style = getComputedStyle(el);
    if (!visible(el) || !style.display.includes('flex') || style.flexDirection !== 'row' || style.flexWrap !== 'wrap') continue;
    const kids = Array.from(el.children).filter((k) => visible(k) && !['absolute', 'fixed'].includes(getComputedStyle(k).position));
    const tops = kids.map((k) => k.getBoundingClientRect().top);
    if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > Math.min(...kids.map((k) => k.getBoundingClientRect().height)) / 2) {
      problems.push({ kind: 'wrapped', what: describe(el), detail: `its ${kids.length} items take more than one row` });
    }
  }

  // Nothing sticks out sideways from its parent, unless the parent scrolls or clips on purpose.
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    if (!visible(el)) continue;
    const style = getComputedStyle(el);
    if (style.position === 'absolute' || style.position === 'fixed') continue;
    const parent = el.parentElement;
    if (!parent || parent === document.body) continue;
    const ps = getComputedStyle(parent);
    if (['auto', 'scroll'].includes(ps.overflowX) || ps.textOverflow === 'ellipsis') continue;
    const r = el.getBoundingClientRect();
    const p = parent.getBoundingClientRect();
    if (r.left < p.left - 1 || r.right > p.right + 1) problems.push({ kind: 'overflows', what: describe(el), detail: `${Math.round(r.left)}–${Math.round(r.right)} outside ${describe(parent)} ${Math.round(p.left)}–${Math.round(p.right)}` });
  }
  // Text sticking out of the element that holds it (a word out of its pill), unless truncated.
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    if (!visible(el)) continue;
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' || ['auto', 'scroll'].includes(style.overflowX)) continue;
    const box = el.getBoundingClientRect();
    for (const node of Array.from(el.childNodes)) {
      if (node.nodeType !== Node.TEXT_NODE || !(node.textContent ?? '').trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const t = range.getBoundingClientRect();
      if (t.width > 0 && (t.left < box.left - 1 || t.right > box.right + 1)) problems.push({ kind: 'overflows', what: describe(el), detail: `its text ${Math.round(t.left)}–${Math.round(t.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}` });
    }
  }
  return problems;
}

/** The problems of a page and of every frame in it. */
export async function layoutProblems(page: Page): Promise<(LayoutProblem & { frame: string })[]> {
  const all: (LayoutProblem & { frame: string })[] = [];
  // Sent as source: run through tsx, esbuild wraps named functions in a `__name` helper that the
  // page does not have, so the page gets a stand-in for it.
  const script = `(() => { const __name = (f) => f; return (${measure.toString()})(); })()`;
  for (const frame of page.frames() as Frame[]) {
    const found = (await frame.evaluate(script)) as LayoutProblem[];
    for (const p of found) all.push({ ...p, frame: frame.name() || 'page' });
  }
  return all;
}
