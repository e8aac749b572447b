// A strict reader for the XML FetchXML uses: elements, attributes, text, comments and the five
// predefined entities (plus numeric references). No DTD, no CDATA, no external anything, so a
// query string cannot make the emulator read files or expand entities; anything outside this
// subset is a 400.
import { badRequest } from './errors';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const MAX_DEPTH = 32;

function decodeEntities(raw: string, where: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw badRequest(`Invalid character reference '${m}' in ${where}.`);
    switch (ref) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        if (!ref.startsWith('#')) throw badRequest(`Unknown entity '&${ref};' in ${where}.`);
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!Number.isFinite(code) || code < 1 || code > 0x10ffff) throw badRequest(`Invalid character reference '${m}' in ${where}.`);
        return String.fromCodePoint(code);
      }
    }
  });
}

export function parseXml(text: string, what = 'the XML'): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw badRequest(`${what} is not valid XML: ${why} at position ${i}.`);
  };
  const skipMisc = (): void => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
        continue;
      }
      if (text.startsWith('<?', i)) {
        if (i !== 0 && !/^\s*$/.test(text.slice(0, i))) fail('a processing instruction is only allowed as the XML declaration');
        const end = text.indexOf('?>', i + 2);
        if (end < 0 || !/^<\?xml\s/.test(text.slice(i, i + 6))) fail('only the <?xml ...?> declaration is allowed');
        i = end + 2;
        continue;
      }
      return;
    }
  };
  const element = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH}`);
    if (text[i] !== '<') fail("expected '<'");
    if (text.startsWith('<!', i)) fail('DOCTYPE and CDATA are not allowed');
    i++;
    const m = NAME.exec(text.slice(i));
    if (!m) fail('expected an element name');
    const name = m![0];
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = i;
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (text[i] === '>') { i++; break; }
      if (i === before) fail('expected whitespace between attributes');
      const an = NAME.exec(text.slice(i));
      if (!an) fail('expected an attribute name');
      i += an![0].length;
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '=') fail(`expected '=' after attribute '${an![0]}'`);
      i++;
      while (/\s/.test(text[i] ?? '')) i++;
      const quote = text[i];
      if (quote !== '"' && quote !== "'") fail('attribute values must be quoted');
      const end = text.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = text.slice(i + 1, end);
      if (raw.includes('<')) fail("'<' in an attribute value");
      if (an![0] in attributes) fail(`attribute '${an![0]}' given twice`);
      attributes[an![0]] = decodeEntities(raw, what);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let content = '';
    for (;;) {
      if (i >= text.length) fail(`element <${name}> is not closed`);
      if (text.startsWith('</', i)) {
        const close = `</${name}`;
        if (!text.startsWith(close, i)) fail(`expected </${name}>`);
        i += close.length;
        while (/\s/.test(text[i] ?? '')) i++;
        if (text[i] !== '>') fail(`expected '>' closing </${name}`);
        i++;
        return { name, attributes, children, text: decodeEntities(content, what) };
      }
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
        continue;
      }
      if (text[i] === '<') {
        children.push(element(depth + 1));
        continue;
      }
      const next = text.indexOf('<', i);
      const chunk = next < 0 ? text.slice(i) : text.slice(i, next);
      content += chunk;
      i += chunk.length;
    }
  };
  skipMisc();
  if (i >= text.length) fail('the document is empty');
  const root = element(1);
  skipMisc();
  if (i < text.length) fail('content after the root element');
  return root;
}
