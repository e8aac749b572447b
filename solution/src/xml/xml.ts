// A tiny XML tree and serializer: enough for solution files, deterministic output
// (attribute order as written, two-space indent), and a tree the validator can copy
// with some elements set aside before schema validation.

export interface XmlElement {
  name: string;
  attrs: [string, string][];
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

type Attrs = Record<string, string | number | undefined>;

type Child = XmlNode | null | undefined | false;

export function el(name: string, attrs: Attrs | null = null, ...children: (Child | Child[])[]): XmlElement {
  const a: [string, string][] = [];
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) a.push([k, String(v)]);
  const flat: XmlNode[] = [];
  for (const c of children) {
    for (const x of Array.isArray(c) ? c : [c]) if (x !== null && x !== undefined && x !== false) flat.push(x);
  }
  return { name, attrs: a, children: flat };
}

/** `<Name>text</Name>` */
export const leaf = (name: string, text: string | number, attrs: Attrs | null = null): XmlElement => el(name, attrs, String(text));

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

function write(node: XmlElement, indent: string, out: string[]): void {
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (node.children.length === 0) {
    out.push(`${indent}<${node.name}${attrs} />`);
  } else if (node.children.every((c) => typeof c === 'string')) {
    out.push(`${indent}<${node.name}${attrs}>${escapeText((node.children as string[]).join(''))}</${node.name}>`);
  } else {
    out.push(`${indent}<${node.name}${attrs}>`);
    for (const c of node.children) {
      if (typeof c === 'string') out.push(`${indent}  ${escapeText(c)}`);
      else write(c, `${indent}  `, out);
    }
    out.push(`${indent}</${node.name}>`);
  }
}

export function serialize(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  write(root, '', out);
  return `${out.join('\r\n')}\r\n`;
}

/** A copy of the tree without the elements `drop` selects (by their path of names from the root). */
export function without(root: XmlElement, drop: (path: string[], node: XmlElement) => boolean): XmlElement {
  const walk = (node: XmlElement, path: string[]): XmlElement => ({
    name: node.name,
    attrs: [...node.attrs],
    children: node.children
      .filter((c) => typeof c === 'string' || !drop([...path, c.name], c))
      .map((c) => (typeof c === 'string' ? c : walk(c, [...path, c.name]))),
  });
  return walk(root, [root.name]);
}

/** Every element whose path of names matches `path` exactly. */
export function select(root: XmlElement, path: string[]): XmlElement[] {
  if (path[0] !== root.name) return [];
  let level: XmlElement[] = [root];
  for (const name of path.slice(1)) {
    level = level.flatMap((n) => n.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name));
  }
  return level;
}

export const textOf = (node: XmlElement | undefined): string =>
  node ? node.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('') : '';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e]!);
}

/**
 * Reads an XML document into the same tree the writer uses, to compare our output with files
 * Dataverse exported. Whitespace-only text between elements is dropped; comments, processing
 * instructions and the byte order mark Dataverse writes are skipped. Not a validating parser:
 * it throws on mismatched tags, which is all a fixture needs.
 */
export function parseXml(text: string): XmlElement {
  const src = text.replace(/^\uFEFF/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (let m = token.exec(src); m; m = token.exec(src)) {
    const [whole, cdata, close, open, attrText, selfClosing, chars] = m;
    const parent = stack[stack.length - 1];
    if (open) {
      const attrs: [string, string][] = [...(attrText ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((a) => [a[1]!, unescape(a[2] ?? a[3] ?? '')]);
      const node: XmlElement = { name: open, attrs, children: [] };
      if (parent) parent.children.push(node);
      else if (root) throw new Error('more than one root element');
      else root = node;
      if (!selfClosing) stack.push(node);
    } else if (close) {
      const top = stack.pop();
      if (!top || top.name !== close) throw new Error(`</${close}> does not close <${top?.name ?? 'nothing'}>`);
    } else if (cdata !== undefined || chars !== undefined) {
      const value = cdata ?? unescape(chars!);
      if (parent && (cdata !== undefined || value.trim())) parent.children.push(cdata !== undefined ? value : value.trim());
    } else if (!whole.startsWith('<!--') && !whole.startsWith('<?')) {
      throw new Error(`cannot read ${whole.slice(0, 40)}`);
    }
  }
  if (!root || stack.length) throw new Error(stack.length ? `<${stack[stack.length - 1]!.name}> is not closed` : 'no root element');
  return root;
}

/** Names of an element's child elements, in document order. */
export const childNames = (node: XmlElement): string[] => node.children.filter((c): c is XmlElement => typeof c !== 'string').map((c) => c.name);

/** The first child element called `name`. */
export const child = (node: XmlElement, name: string): XmlElement | undefined =>
  node.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);

export const attrOf = (node: XmlElement, name: string): string | undefined => node.attrs.find(([k]) => k === name)?.[1];
