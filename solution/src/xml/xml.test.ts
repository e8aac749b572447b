import { attrOf, child, childNames, el, leaf, parseXml, select, serialize, textOf, without } from './xml';

describe('xml writer', () => {
  it('escapes markup in text and attributes so labels with quotes and ampersands stay well-formed', () => {
    const xml = serialize(el('a', { description: 'say "hi" & <go>\n' }, leaf('b', 'x < y & z')));
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?>\r\n<a description="say &quot;hi&quot; &amp; &lt;go&gt;&#10;">\r\n  <b>x &lt; y &amp; z</b>\r\n</a>\r\n');
  });

  it('drops null and false children, so optional elements are simply absent', () => {
    expect(serialize(el('a', null, null, false, undefined, [leaf('b', 1), null]))).toContain('<a>\r\n  <b>1</b>\r\n</a>');
  });

  it('copies a tree without the selected elements and leaves the original intact', () => {
    const tree = el('r', null, el('keep', null, leaf('x', 1)), el('drop', null, leaf('y', 2)));
    const copy = without(tree, (path) => path.join('/') === 'r/drop');
    expect(select(copy, ['r', 'drop'])).toHaveLength(0);
    expect(textOf(select(copy, ['r', 'keep', 'x'])[0])).toBe('1');
    expect(select(tree, ['r', 'drop'])).toHaveLength(1);
  });
});

describe('xml reader', () => {
  it('reads what Dataverse exports: byte order mark, declaration, attributes, empty and nested elements', () => {
    const tree = parseXml('\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<A x="1 &amp; 2">\r\n  <B />\r\n  <C>t &lt; u</C>\r\n  <!-- note -->\r\n  <D><E>{42}</E></D>\r\n</A>');
    expect(tree.name).toBe('A');
    expect(attrOf(tree, 'x')).toBe('1 & 2');
    expect(childNames(tree)).toEqual(['B', 'C', 'D']);
    expect(textOf(child(tree, 'C'))).toBe('t < u');
    expect(textOf(select(tree, ['A', 'D', 'E'])[0])).toBe('{42}');
  });

  it('gives back what the writer wrote', () => {
    const tree = el('r', { a: 'q"uote' }, leaf('x', 'a & b'), el('y'));
    expect(parseXml(serialize(tree))).toEqual(tree);
  });

  it('refuses a tag closed by the wrong name', () => {
    expect(() => parseXml('<a><b></a>')).toThrow('</a> does not close <b>');
  });
});
