// [Content_Types].xml of the Open Packaging Convention zip: Dataverse's own exports list
// every extension in the package as application/octet-stream.
import { el, type XmlElement } from '../xml/xml';

export function contentTypesTree(paths: string[]): XmlElement {
  const extensions = [...new Set(paths.map((p) => p.split('/').pop()!).filter((n) => n.includes('.')).map((n) => n.split('.').pop()!.toLowerCase()))].sort();
  return el('Types', { xmlns: 'http://schemas.openxmlformats.org/package/2006/content-types' },
    extensions.map((e) => el('Default', { Extension: e, ContentType: 'application/octet-stream' })),
  );
}
