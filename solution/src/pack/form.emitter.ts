// A FormDef → `<systemform>` as Dataverse exports it inside an entity's `<FormXml>`:
// tabs / columns / sections / rows / cells / controls, and, for PCF controls, a
// `<controlDescriptions>` block keyed by the cell control's `uniqueid`, with one
// `<customControl>` per form factor (0 web, 1 tablet, 2 phone) after the platform's
// default control for the column.
import type { EntityMetadata } from '../metadata/types';
import type { ColumnType } from '../model/types';
import type { CellDef, FormDef, PcfCell, SubgridCell } from '../ui/types';
import { el, leaf, type XmlElement } from '../xml/xml';
import type { ControlProperty } from './controls.collector';
import { braced, stableGuid } from './names';

const LANGUAGES = [1033, 1036] as const;

/** The platform's default control per column type (the classids Dataverse writes in forms). */
export const defaultControlClassIds: Partial<Record<ColumnType, string>> = {
  string: '{4273EDBD-AC1D-40d3-9FB2-095C621B552D}',
  memo: '{E0DECE4B-6FC8-4a8f-A065-082708572369}',
  integer: '{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}',
  bigint: '{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}',
  decimal: '{C3EFE0C3-0EC6-42be-8349-CBD9079DFD8E}',
  double: '{0D2C745A-E5A8-4c8f-BA63-C6D3BB604660}',
  money: '{533B9E00-756B-4312-95A0-DC888637AC78}',
  boolean: '{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}',
  datetime: '{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}',
  choice: '{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}',
  state: '{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}',
  status: '{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}',
  lookup: '{270BD3DB-D9AF-4782-9025-509E298DEC0A}',
  customer: '{270BD3DB-D9AF-4782-9025-509E298DEC0A}',
  owner: '{270BD3DB-D9AF-4782-9025-509E298DEC0A}',
};

export const FORM_FACTORS = [0, 1, 2] as const;

export interface FormEmitContext {
  entity: EntityMetadata;
  /** Column display names for cell labels. */
  columnLabel: (column: string) => { 1033: string; 1036: string };
  /** Properties of each built control, by `<namespace>.<constructor>`. */
  controls: Map<string, ControlProperty[]>;
}

const labels = (l: { 1033: string; 1036: string }) => el('labels', null, LANGUAGES.map((lcid) => el('label', { description: l[lcid], languagecode: lcid })));

const id = (form: FormDef, ...parts: string[]) => braced(stableGuid(`form:${form.id}:${parts.join(':')}`));

export function classIdOf(entity: EntityMetadata, column: string): string {
  const type = entity.attributes[column]?.type;
  const classId = type && defaultControlClassIds[type];
  if (!classId) throw new Error(`${entity.logicalName}.${column}: no standard form control for column type '${type ?? 'unknown'}'`);
  return classId;
}

/** Static PCF parameter values as Dataverse writes them: `<name type="Whole.None" static="true">3</name>`. */
function staticParameter(name: string, value: string | number | boolean, property: ControlProperty | undefined): XmlElement {
  return el(name, { type: property?.ofType ?? 'SingleLine.Text', static: 'true' }, String(value));
}

interface Placed {
  cell: XmlElement;
  description?: XmlElement;
}

/** The platform's subgrid control: rows of a related table through one of its views. */
export const SUBGRID_CLASS_ID = '{E7A81278-8635-4d9e-8D4D-59480B391C5B}';

function subgridCell(form: FormDef, cell: SubgridCell, path: string[]): Placed {
  const view = braced(cell.view);
  return {
    cell: el('cell', { id: id(form, ...path, 'cell'), showlabel: 'true', locklevel: 0, rowspan: cell.rowSpan ?? 4, colspan: 1, auto: 'false' },
      labels(cell.label),
      el('control', { id: cell.name, classid: SUBGRID_CLASS_ID, uniqueid: id(form, ...path, 'control') },
        el('parameters', null,
          leaf('ViewId', view),
          leaf('IsUserView', 'false'),
          leaf('RelationshipName', cell.relationship),
          leaf('TargetEntityType', cell.table),
          leaf('AutoExpand', 'Fixed'),
          leaf('EnableQuickFind', 'false'),
          leaf('EnableViewPicker', 'false'),
          leaf('ViewIds', view),
          leaf('EnableJumpBar', 'false'),
          leaf('ChartGridMode', 'Grid'),
          leaf('VisualizationId', ''),
          leaf('EnableChartPicker', 'false'),
          leaf('RecordsPerPage', cell.recordsPerPage ?? 4),
        ),
      ),
    ),
  };
}

function placeCell(form: FormDef, cell: CellDef, ctx: FormEmitContext, path: string[], controlIdFor: (column: string) => string): Placed {
  if (cell.kind === 'subgrid') return subgridCell(form, cell, path);
  const column = cell.kind === 'field' ? cell.column : cell.bind.column;
  const classid = classIdOf(ctx.entity, column);
  const uniqueid = id(form, ...path, 'control');
  const label = cell.kind === 'field' ? (cell.label ?? ctx.columnLabel(column)) : cell.label;
  const showLabel = cell.kind === 'field' ? true : (cell.showLabel ?? false);
  const cellAttrs = { id: id(form, ...path, 'cell'), showlabel: String(showLabel), locklevel: 0, ...(cell.kind === 'pcf' && cell.rowSpan ? { rowspan: cell.rowSpan, colspan: 1 } : {}) };
  const control = el('control', { id: controlIdFor(column), classid, datafieldname: column, disabled: String(cell.kind === 'field' && cell.disabled === true), uniqueid });
  const placed: Placed = { cell: el('cell', cellAttrs, labels(label), control) };
  if (cell.kind === 'pcf') placed.description = controlDescription(cell, uniqueid, classid, ctx);
  return placed;
}

function controlDescription(cell: PcfCell, uniqueid: string, classid: string, ctx: FormEmitContext): XmlElement {
  const properties = ctx.controls.get(cell.control) ?? [];
  const parameters = () =>
    el('parameters', null,
      el(cell.bind.property, null, cell.bind.column),
      Object.entries(cell.parameters ?? {}).map(([name, value]) => staticParameter(name, value, properties.find((p) => p.name === name))),
    );
  return el('controlDescription', { forControl: uniqueid },
    // The platform control first: what Dataverse falls back to where the PCF control cannot run.
    el('customControl', { id: classid }, el('parameters', null, leaf('datafieldname', cell.bind.column))),
    FORM_FACTORS.map((ff) => el('customControl', { formFactor: ff, name: cell.control }, parameters())),
  );
}

export function formTree(form: FormDef, ctx: FormEmitContext): XmlElement {
  const descriptions: XmlElement[] = [];
  const usedIds = new Map<string, number>();
  // A column may sit on the form more than once (three controls bound to the subject);
  // Dataverse names the first control after the column and the next ones column1, column2...
  const controlIdFor = (column: string) => {
    const n = usedIds.get(column) ?? 0;
    usedIds.set(column, n + 1);
    return n === 0 ? column : `${column}${n}`;
  };
  const tabs = form.tabs.map((tab) =>
    el('tab', { name: tab.name, id: id(form, tab.name), IsUserDefined: 0, locklevel: 0, showlabel: 'true', expanded: 'true', verticallayout: 'true' },
      labels(tab.label),
      el('columns', null, tab.columns.map((column, ci) =>
        el('column', { width: `${column.width}%` },
          el('sections', null, column.sections.map((section) =>
            el('section', { name: section.name, id: id(form, tab.name, String(ci), section.name), showlabel: String(section.showLabel ?? true), showbar: 'false', IsUserDefined: 0, locklevel: 0, layout: 'varwidth', columns: 1, labelwidth: 115, celllabelalignment: 'Left', celllabelposition: 'Left' },
              labels(section.label),
              el('rows', null, section.cells.flatMap((cell, i) => {
                const placed = placeCell(form, cell, ctx, [tab.name, section.name, String(i)], controlIdFor);
                if (placed.description) descriptions.push(placed.description);
                // A cell spanning n rows is followed by n-1 empty rows, as exported forms do.
                const span = cell.kind === 'field' ? 1 : (cell.rowSpan ?? (cell.kind === 'subgrid' ? 4 : 1));
                return [el('row', null, placed.cell), ...Array.from({ length: span - 1 }, () => el('row'))];
              })),
            ))),
        ))),
    ));
  return el('form', { shownavigationbar: 'false', showImage: 'false' },
    el('tabs', null, tabs),
    descriptions.length > 0 ? el('controlDescriptions', null, descriptions) : null,
  );
}

export function systemFormTree(form: FormDef, ctx: FormEmitContext): XmlElement {
  return el('systemform', null,
    leaf('formid', braced(form.id)),
    leaf('IsCustomizable', '1'),
    leaf('CanBeDeleted', '1'),
    leaf('FormPresentation', 1),
    leaf('FormActivationState', 1),
    formTree(form, ctx),
    el('LocalizedNames', null, LANGUAGES.map((lcid) => el('LocalizedName', { description: form.name[lcid], languagecode: lcid }))),
    el('Descriptions', null, LANGUAGES.map((lcid) => el('Description', { description: form.description[lcid], languagecode: lcid }))),
  );
}
