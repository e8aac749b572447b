// A ViewDef → `<savedquery>` as Dataverse exports it inside an entity's `<SavedQueries>`:
// the query as `<fetchxml><fetch>` and the grid as `<layoutxml><grid>`.
import type { EntityMetadata } from '../metadata/types';
import type { ViewDef } from '../ui/types';
import { el, leaf, type XmlElement } from '../xml/xml';
import { braced } from './names';

const LANGUAGES = [1033, 1036] as const;

export function fetchTree(view: ViewDef, entity: EntityMetadata): XmlElement {
  // Every column the grid shows must be fetched, and the primary id always is (the grid's row id).
  const attributes = [...new Set([...view.columns.map((c) => c.attribute), entity.primaryIdAttribute])];
  return el('fetch', { version: '1.0', 'output-format': 'xml-platform', mapping: 'logical', distinct: 'false' },
    el('entity', { name: view.table },
      attributes.map((a) => el('attribute', { name: a })),
      view.order.map((o) => el('order', { attribute: o.attribute, descending: String(o.descending === true) })),
      view.filter.length > 0
        ? el('filter', { type: 'and' }, view.filter.map((c) =>
            c.values
              ? el('condition', { attribute: c.attribute, operator: c.operator }, c.values.map((v) => leaf('value', v)))
              : el('condition', { attribute: c.attribute, operator: c.operator, value: c.value })))
        : null,
      // Dataverse substitutes the search text for {0} in the filter marked isquickfindfields.
      view.quickFind && view.quickFind.length > 0
        ? el('filter', { type: 'or', isquickfindfields: '1' }, view.quickFind.map((a) => el('condition', { attribute: a, operator: 'like', value: '{0}' })))
        : null,
    ),
  );
}

export function layoutTree(view: ViewDef, entity: EntityMetadata, objectTypeCode: number): XmlElement {
  return el('grid', { name: 'resultset', object: objectTypeCode, jump: entity.primaryNameAttribute, select: 1, icon: 1, preview: 1 },
    el('row', { name: 'result', id: entity.primaryIdAttribute }, view.columns.map((c) => el('cell', { name: c.attribute, width: c.width }))),
  );
}

export function savedQueryTree(view: ViewDef, entity: EntityMetadata, objectTypeCode: number): XmlElement {
  return el('savedquery', null,
    leaf('IsCustomizable', '1'),
    leaf('CanBeDeleted', view.isDefault ? '0' : '1'),
    leaf('isquickfindquery', view.queryType === 4 ? '1' : '0'),
    leaf('isprivate', '0'),
    leaf('isdefault', view.isDefault ? '1' : '0'),
    leaf('savedqueryid', braced(view.id)),
    el('layoutxml', null, layoutTree(view, entity, objectTypeCode)),
    leaf('querytype', view.queryType),
    el('fetchxml', null, fetchTree(view, entity)),
    el('LocalizedNames', null, LANGUAGES.map((lcid) => el('LocalizedName', { description: view.name[lcid], languagecode: lcid }))),
    el('Descriptions', null, LANGUAGES.map((lcid) => el('Description', { description: view.description[lcid], languagecode: lcid }))),
  );
}
