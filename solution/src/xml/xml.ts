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
