// Derived views of the metadata the rest of the emulator needs: navigation properties named the
// way Dataverse names them for lower-case schema names, and intersect-table columns.
import type { AttributeMetadata, EntityMetadata, Metadata } from '@switchboard/solution';
import { badRequest } from './errors';

export type NavProperty =
  | { kind: 'single'; name: string; attribute: string; target: string }
  | { kind: 'oneToMany'; name: string; target: string; lookup: string }
  | { kind: 'manyToMany'; name: string; target: string; intersect: string; selfColumn: string; otherColumn: string };

export const LOOKUP_TYPES = new Set(['lookup', 'customer', 'owner']);

export function isLookup(a: AttributeMetadata): boolean {
  return LOOKUP_TYPES.has(a.type);
}

export interface IntersectTable {
  name: string;
  table1: string;
  table2: string;
  column1: string;
  column2: string;
}

export class Model {
  private readonly navs = new Map<string, Map<string, NavProperty>>();
  readonly intersects: IntersectTable[] = [];

  constructor(readonly metadata: Metadata) {
    for (const e of Object.values(metadata.entities)) this.navs.set(e.logicalName, new Map());
    for (const e of Object.values(metadata.entities)) {
      for (const a of Object.values(e.attributes)) {
        if (!isLookup(a)) continue;
        for (const target of this.lookupTargets(a)) {
          const name = this.lookupNavName(a, target);
          this.navs.get(e.logicalName)!.set(name, { kind: 'single', name, attribute: a.logicalName, target });
        }
      }
    }
    for (const r of metadata.oneToMany) {
      const referenced = this.navs.get(r.referencedTable);
      if (!referenced || !this.navs.has(r.referencingTable)) continue;
      referenced.set(r.schemaName, { kind: 'oneToMany', name: r.schemaName, target: r.referencingTable, lookup: r.lookupColumn });
    }
    for (const r of metadata.manyToMany) {
      if (!this.navs.has(r.table1) || !this.navs.has(r.table2)) continue;
      const self = r.table1 === r.table2;
      const column1 = self ? `${r.table1}idone` : `${r.table1}id`;
      const column2 = self ? `${r.table2}idtwo` : `${r.table2}id`;
      this.intersects.push({ name: r.intersectEntityName, table1: r.table1, table2: r.table2, column1, column2 });
      this.navs.get(r.table1)!.set(r.schemaName, {
        kind: 'manyToMany', name: r.schemaName, target: r.table2, intersect: r.intersectEntityName, selfColumn: column1, otherColumn: column2,
      });
      if (!self) {
        this.navs.get(r.table2)!.set(r.schemaName, {
          kind: 'manyToMany', name: r.schemaName, target: r.table1, intersect: r.intersectEntityName, selfColumn: column2, otherColumn: column1,
        });
      }
    }
  }

  entity(logicalName: string): EntityMetadata {
    const e = this.metadata.entities[logicalName];
    if (!e) throw badRequest(`The entity with a name = '${logicalName}' was not found in the MetadataCache.`);
    return e;
  }

  hasEntity(logicalName: string): boolean {
    return !!this.metadata.entities[logicalName];
  }

  entityBySet(setName: string): EntityMetadata | undefined {
    const logical = this.metadata.entitySets[setName];
    return logical ? this.metadata.entities[logical] : undefined;
  }

  lookupTargets(a: AttributeMetadata): string[] {
    return (a.targets ?? []).filter((t) => !!this.metadata.entities[t]);
  }

  /** Single-valued navigation property: the lookup's name, or `<lookup>_<target>` when polymorphic (customer). */
  lookupNavName(a: AttributeMetadata, target: string): string {
    return a.type === 'owner' || (a.targets ?? []).length <= 1 ? a.logicalName : `${a.logicalName}_${target}`;
  }

  nav(logicalName: string, name: string): NavProperty | undefined {
    return this.navs.get(logicalName)?.get(name);
  }

  navigations(logicalName: string): NavProperty[] {
    return [...(this.navs.get(logicalName)?.values() ?? [])];
  }
}
