// Rules for forms, views and apps (src/ui) that the schemas cannot express: every name
// they use must exist — columns in the model, controls among the built PCF controls with
// the properties their manifests declare, tables and roles in the package — and the parts
// of customizations.xml that are set aside from Microsoft's schema are checked here too.
import { buildEntity } from '../generate/metadata.builder';
import type { EntityMetadata } from '../metadata/types';
import type { ColumnType, DataModel, Label } from '../model/types';
import type { ControlProperty } from '../pack/controls.collector';
import { columnLabelOf } from '../pack/customizations.emitter';
import { defaultControlClassIds, FORM_FACTORS } from '../pack/form.emitter';
import type { AppDef, ConditionDef, FormDef, PcfCell, SubgridCell, UiDefinition, ViewDef } from '../ui/types';
import { select, textOf, type XmlElement } from '../xml/xml';
import { SYSTEMFORM_PATH } from './set-aside';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BRACED_GUID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;
const SITEMAP_ID = /^[A-Za-z0-9_]+$/;

/** Which column types a PCF property type can be bound to. */
const bindable: Record<string, ColumnType[]> = {
  'SingleLine.Text': ['string'],
  'SingleLine.Email': ['string'],
  'SingleLine.Phone': ['string'],
  'SingleLine.URL': ['string'],
  'SingleLine.TextArea': ['string', 'memo'],
  Multiple: ['memo'],
  'Whole.None': ['integer'],
  TwoOptions: ['boolean'],
  'DateAndTime.DateAndTime': ['datetime'],
  'DateAndTime.DateOnly': ['datetime'],
  'Decimal': ['decimal'],
  'FP': ['double'],
  'Currency': ['money'],
  OptionSet: ['choice'],
  'Lookup.Simple': ['lookup'],
};

function staticValueFits(ofType: string, value: unknown): boolean {
  if (ofType === 'Whole.None') return typeof value === 'number' && Number.isInteger(value);
  if (ofType === 'TwoOptions') return typeof value === 'boolean' || value === 'true' || value === 'false';
  if (ofType === 'Decimal' || ofType === 'FP' || ofType === 'Currency') return typeof value === 'number';
  if (ofType.startsWith('SingleLine.') || ofType === 'Multiple' || ofType === 'Enum') return typeof value === 'string';
  return false;
}

const labelProblems = (at: string, what: string, l: Label | undefined): string[] =>
  !l ? [`${at}: ${what} has no label`] : ([1033, 1036] as const).filter((lcid) => !l[lcid]?.trim()).map((lcid) => `${at}: ${what} has no ${lcid === 1033 ? 'English (1033)' : 'French (1036)'} label`);

const NO_VALUE: ConditionDef['operator'][] = ['null', 'not-null', 'eq-userid', 'ne-userid'];
const MANY_VALUES: ConditionDef['operator'][] = ['in', 'not-in'];

export interface UiCheckContext {
  model: DataModel;
  /** Built controls by `<namespace>.<constructor>`, with their manifest properties. */
  controls: Map<string, ControlProperty[]>;
  /** Publisher prefix (`swb`). */
  prefix: string;
  /** The views subgrids may show; validateUi fills it from the definition. */
  views?: ViewDef[];
}

function entityOf(model: DataModel, table: string): EntityMetadata | undefined {
  const def = model.tables.find((t) => t.logicalName === table);
  return def ? buildEntity(def, model) : undefined;
}

function checkPcfCell(at: string, cell: PcfCell, entity: EntityMetadata, ctx: UiCheckContext): string[] {
  const problems: string[] = [];
  const properties = ctx.controls.get(cell.control);
  if (!properties) {
    const built = [...ctx.controls.keys()];
    return [`${at} places control '${cell.control}', which is not among the built controls (${built.length ? built.join(', ') : 'none built'}): build it (npm run build -w <its workspace>) or fix the name`];
  }
  const bound = properties.find((p) => p.name === cell.bind.property);
  if (!bound) problems.push(`${at}: control '${cell.control}' has no property '${cell.bind.property}'`);
  else if (bound.usage !== 'bound') problems.push(`${at}: property '${cell.bind.property}' of '${cell.control}' is ${bound.usage}, not bound`);
  const column = entity.attributes[cell.bind.column];
  if (!column) problems.push(`${at}: binds '${cell.control}' to column '${cell.bind.column}', which ${entity.logicalName} does not have`);
  else if (bound && !(bindable[bound.ofType] ?? []).includes(column.type)) problems.push(`${at}: property '${bound.name}' of '${cell.control}' is ${bound.ofType} and cannot be bound to ${entity.logicalName}.${cell.bind.column} (${column.type})`);
  for (const [name, value] of Object.entries(cell.parameters ?? {})) {
    const p = properties.find((x) => x.name === name);
    if (!p) problems.push(`${at}: control '${cell.control}' has no property '${name}'`);
    else if (p.usage !== 'input') problems.push(`${at}: property '${name}' of '${cell.control}' is ${p.usage}; only input properties take a value on a form`);
    else if (!staticValueFits(p.ofType, value)) problems.push(`${at}: property '${name}' of '${cell.control}' is ${p.ofType}; ${JSON.stringify(value)} does not fit`);
  }
  for (const p of properties.filter((x) => x.usage === 'input' && x.required)) {
    if (!(p.name in (cell.parameters ?? {}))) problems.push(`${at}: required property '${p.name}' of '${cell.control}' has no value`);
  }
  return problems;
}

function checkSubgrid(at: string, cell: SubgridCell, form: FormDef, ctx: UiCheckContext): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(cell.name)) problems.push(`${at}: subgrid name '${cell.name}' may only use letters, digits and _`);
  const rel = ctx.model.relationships.find((r) => r.schemaName === cell.relationship);
  if (!rel || rel.kind !== 'oneToMany') problems.push(`${at}: relationship '${cell.relationship}' is not a 1:N relationship of the model`);
  else if (rel.referencedTable !== form.table || rel.referencingTable !== cell.table) problems.push(`${at}: relationship '${cell.relationship}' goes from ${rel.referencedTable} to ${rel.referencingTable}, not from ${form.table} to ${cell.table}`);
  const view = ctx.views?.find((v) => v.id === cell.view);
  if (!view) problems.push(`${at}: view ${cell.view} is not defined`);
  else if (view.table !== cell.table) problems.push(`${at}: view '${view.name[1033]}' is a view of ${view.table}, not of ${cell.table}`);
  return problems;
}

export function checkForm(form: FormDef, ctx: UiCheckContext): string[] {
  const at = `form '${form.name[1033]}' (${form.table})`;
  const problems: string[] = [];
  if (!GUID.test(form.id)) problems.push(`${at}: id '${form.id}' is not a GUID`);
  problems.push(...labelProblems(at, 'the form', form.name));
  const table = ctx.model.tables.find((t) => t.logicalName === form.table);
  const entity = entityOf(ctx.model, form.table);
  if (!table || !entity) return [...problems, `${at}: table '${form.table}' is not in the model`];
  if (table.standard) problems.push(`${at}: forms ship only on our own tables; ${form.table} is a standard table we extend with columns only`);
  if (form.tabs.length === 0) problems.push(`${at}: has no tab`);
  const names = new Set<string>();
  const unique = (name: string, what: string) => {
    if (names.has(name)) problems.push(`${at}: ${what} name '${name}' is used twice`);
    names.add(name);
  };
  for (const tab of form.tabs) {
    const tabAt = `${at} tab '${tab.name}'`;
    unique(tab.name, 'tab');
    problems.push(...labelProblems(tabAt, 'the tab', tab.label));
    if (tab.columns.length < 1 || tab.columns.length > 3) problems.push(`${tabAt}: has ${tab.columns.length} columns; a tab has 1 to 3`);
    const total = tab.columns.reduce((s, c) => s + c.width, 0);
    if (tab.columns.some((c) => !Number.isInteger(c.width) || c.width < 1 || c.width > 100) || total !== 100) problems.push(`${tabAt}: column widths ${tab.columns.map((c) => `${c.width}%`).join(' + ')} must be whole percents adding up to 100%`);
    for (const section of tab.columns.flatMap((c) => c.sections)) {
      const sectionAt = `${tabAt} section '${section.name}'`;
      unique(section.name, 'section');
      problems.push(...labelProblems(sectionAt, 'the section', section.label));
      section.cells.forEach((cell, i) => {
        const cellAt = `${sectionAt} cell ${i + 1}`;
        if (cell.kind === 'pcf') {
          problems.push(...labelProblems(cellAt, 'the cell', cell.label), ...checkPcfCell(cellAt, cell, entity, ctx));
          return;
        }
        if (cell.kind === 'subgrid') {
          unique(cell.name, 'subgrid');
          problems.push(...labelProblems(cellAt, 'the subgrid', cell.label), ...checkSubgrid(cellAt, cell, form, ctx));
          return;
        }
        const column = entity.attributes[cell.column];
        if (!column) {
          problems.push(`${cellAt}: column '${cell.column}' is not a column of ${form.table}`);
          return;
        }
        if (!defaultControlClassIds[column.type]) problems.push(`${cellAt}: column '${cell.column}' (${column.type}) has no standard form control`);
        problems.push(...labelProblems(cellAt, `column '${cell.column}'`, cell.label ?? columnLabelOf(table, cell.column)));
      });
    }
  }
  return problems;
}

export function checkView(view: ViewDef, ctx: UiCheckContext): string[] {
  const at = `view '${view.name[1033]}' (${view.table})`;
  const problems: string[] = [];
  if (!GUID.test(view.id)) problems.push(`${at}: id '${view.id}' is not a GUID`);
  problems.push(...labelProblems(at, 'the view', view.name));
  const table = ctx.model.tables.find((t) => t.logicalName === view.table);
  const entity = entityOf(ctx.model, view.table);
  if (!table || !entity) return [...problems, `${at}: table '${view.table}' is not in the model`];
  if (table.standard) problems.push(`${at}: views ship only on our own tables; ${view.table} is a standard table we extend with columns only`);
  if (view.columns.length === 0) problems.push(`${at}: shows no column`);
  const known = (attribute: string, role: string) => {
    if (!entity.attributes[attribute]) problems.push(`${at}: ${role} '${attribute}' is not a column of ${view.table}`);
    return entity.attributes[attribute];
  };
  for (const c of view.columns) {
    known(c.attribute, 'column');
    if (!Number.isInteger(c.width) || c.width <= 0) problems.push(`${at}: column '${c.attribute}' needs a positive width`);
  }
  for (const o of view.order) known(o.attribute, 'sort column');
  if (view.queryType === 4 && !view.quickFind?.length) problems.push(`${at}: a quick find view needs the columns its search matches (quickFind)`);
  if (view.queryType !== 4 && view.quickFind?.length) problems.push(`${at}: only a quick find view (query type 4) searches columns`);
  for (const q of view.quickFind ?? []) {
    const column = known(q, 'quick find column');
    if (column && column.type !== 'string' && column.type !== 'memo') problems.push(`${at}: quick find column '${q}' is ${column.type}; the search box matches text columns`);
  }
  for (const c of view.filter) {
    const column = known(c.attribute, 'filter column');
    const values = c.values ?? (c.value !== undefined ? [c.value] : []);
    if (NO_VALUE.includes(c.operator) && values.length > 0) problems.push(`${at}: operator ${c.operator} on '${c.attribute}' takes no value`);
    if (MANY_VALUES.includes(c.operator) && !c.values?.length) problems.push(`${at}: operator ${c.operator} on '${c.attribute}' needs values`);
    if (!NO_VALUE.includes(c.operator) && !MANY_VALUES.includes(c.operator) && (c.value === undefined || c.values)) problems.push(`${at}: operator ${c.operator} on '${c.attribute}' needs exactly one value`);
    if (!column) continue;
    if ((c.operator === 'eq-userid' || c.operator === 'ne-userid') && !((column.type === 'lookup' || column.type === 'owner') && column.targets?.includes('systemuser'))) {
      problems.push(`${at}: ${c.operator} needs a lookup to systemuser; '${c.attribute}' is ${column.type}`);
    }
    if (column.options && (column.type === 'choice' || column.type === 'state' || column.type === 'status')) {
      for (const v of values) if (!column.options.includes(Number(v))) problems.push(`${at}: ${v} is not an option of '${c.attribute}' (${column.options.join(', ')})`);
    }
  }
  return problems;
}

export function checkApp(app: AppDef, ui: UiDefinition, ctx: UiCheckContext): string[] {
  const at = `app '${app.uniqueName}'`;
  const problems: string[] = [];
  if (!new RegExp(`^${ctx.prefix}_[A-Za-z0-9_]+$`).test(app.uniqueName)) problems.push(`${at}: unique name must start with the publisher prefix '${ctx.prefix}_' and use letters, digits and _`);
  problems.push(...labelProblems(at, 'the app', app.name));
  const tables = new Set(ctx.model.tables.map((t) => t.logicalName));
  for (const t of app.tables) if (!tables.has(t)) problems.push(`${at}: component table '${t}' is not in the model`);
  for (const id of app.roles) if (!ctx.model.roles.some((r) => r.id === id)) problems.push(`${at}: role ${id} is not a role of the model`);
  if (app.roles.length === 0) problems.push(`${at}: no security role sees the app`);
  for (const id of app.forms) {
    const form = ui.forms.find((f) => f.id === id);
    if (!form) problems.push(`${at}: form ${id} is not defined`);
    else if (!app.tables.includes(form.table)) problems.push(`${at}: form '${form.name[1033]}' is on ${form.table}, which is not among the app's tables`);
    for (const cell of form?.tabs.flatMap((t) => t.columns.flatMap((c) => c.sections.flatMap((s) => s.cells))) ?? []) {
      if (cell.kind !== 'subgrid') continue;
      if (!app.tables.includes(cell.table)) problems.push(`${at}: form '${form!.name[1033]}' shows ${cell.table} in subgrid '${cell.name}', which is not among the app's tables`);
      if (!app.views.includes(cell.view)) problems.push(`${at}: form '${form!.name[1033]}' subgrid '${cell.name}' shows view ${cell.view}, which is not among the app's views`);
    }
  }
  for (const id of app.views) {
    const view = ui.views.find((v) => v.id === id);
    if (!view) problems.push(`${at}: view ${id} is not defined`);
    else if (!app.tables.includes(view.table)) problems.push(`${at}: view '${view.name[1033]}' is on ${view.table}, which is not among the app's tables`);
  }
  const ids = new Set<string>();
  const siteMapId = (id: string, what: string) => {
    if (!SITEMAP_ID.test(id)) problems.push(`${at}: site map ${what} id '${id}' may only use letters, digits and _`);
    if (ids.has(id)) problems.push(`${at}: site map id '${id}' is used twice`);
    ids.add(id);
  };
  if (app.areas.length === 0) problems.push(`${at}: the site map has no area`);
  for (const area of app.areas) {
    siteMapId(area.id, 'area');
    problems.push(...labelProblems(`${at} area '${area.id}'`, 'the area', area.title));
    for (const group of area.groups) {
      siteMapId(group.id, 'group');
      problems.push(...labelProblems(`${at} group '${group.id}'`, 'the group', group.title));
      for (const s of group.subAreas) {
        siteMapId(s.id, 'subarea');
        problems.push(...labelProblems(`${at} subarea '${s.id}'`, 'the subarea', s.title));
        if (!tables.has(s.table)) problems.push(`${at}: subarea '${s.id}' opens table '${s.table}', which is not in the model`);
        else if (!app.tables.includes(s.table)) problems.push(`${at}: subarea '${s.id}' opens table '${s.table}', which is not among the app's tables`);
      }
    }
  }
  return problems;
}

export function validateUi(ui: UiDefinition, ctx: UiCheckContext): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const once = (id: string, what: string) => {
    const key = id.toLowerCase();
    if (seen.has(key)) problems.push(`${what}: id ${id} is also used by ${seen.get(key)}`);
    seen.set(key, what);
  };
  for (const f of ui.forms) once(f.id, `form '${f.name[1033]}'`);
  for (const v of ui.views) once(v.id, `view '${v.name[1033]}'`);
  const defaults = new Map<string, string>();
  for (const v of ui.views.filter((x) => x.isDefault)) {
    const key = `${v.table}:${v.queryType}`;
    if (defaults.has(key)) problems.push(`view '${v.name[1033]}' (${v.table}): '${defaults.get(key)}' is already the default view of this kind`);
    defaults.set(key, v.name[1033]);
  }
  const apps = new Set<string>();
  for (const a of ui.apps) {
    if (apps.has(a.uniqueName.toLowerCase())) problems.push(`app '${a.uniqueName}' is declared twice`);
    apps.add(a.uniqueName.toLowerCase());
  }
  for (const f of ui.forms) problems.push(...checkForm(f, { ...ctx, views: ui.views }));
  for (const v of ui.views) problems.push(...checkView(v, ctx));
  for (const a of ui.apps) problems.push(...checkApp(a, ui, ctx));
  return problems;
}

export function assertValidUi(ui: UiDefinition, ctx: UiCheckContext): void {
  const problems = validateUi(ui, ctx);
  if (problems.length) throw new Error(`forms, views and apps break ${problems.length} rule(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

// ---- checks of the emitted XML that Microsoft's schemas cannot see (see set-aside.ts) ----

const children = (node: XmlElement, name: string) => node.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
const attrOf = (node: XmlElement, name: string) => node.attrs.find(([k]) => k === name)?.[1];
const descendants = (node: XmlElement, name: string): XmlElement[] =>
  node.children.flatMap((c) => (typeof c === 'string' ? [] : [...(c.name === name ? [c] : []), ...descendants(c, name)]));

function checkEmittedForm(systemform: XmlElement, ctx: UiCheckContext): string[] {
  const formId = textOf(children(systemform, 'formid')[0]);
  const at = `customizations.xml form ${formId}`;
  const problems: string[] = [];
  const form = children(systemform, 'form')[0];
  if (!form) return [`${at}: no <form>`];
  for (const tab of descendants(form, 'tab')) {
    const widths = descendants(tab, 'column').map((c) => attrOf(c, 'width') ?? '');
    const bad = widths.filter((w) => !/^(100|[1-9][0-9]?)%$/.test(w));
    if (bad.length) problems.push(`${at} tab '${attrOf(tab, 'name')}': column width(s) ${bad.map((w) => `'${w}'`).join(', ')} must be n% with 1 <= n <= 100`);
    else if (widths.reduce((s, w) => s + Number(w.slice(0, -1)), 0) !== 100) problems.push(`${at} tab '${attrOf(tab, 'name')}': column widths ${widths.join(' + ')} do not add up to 100%`);
  }
  const controls = new Map<string, XmlElement>();
  for (const control of descendants(children(form, 'tabs')[0] ?? form, 'control')) {
    const uniqueid = attrOf(control, 'uniqueid');
    if (uniqueid === undefined) continue;
    if (!BRACED_GUID.test(uniqueid)) problems.push(`${at}: control '${attrOf(control, 'id')}' uniqueid '${uniqueid}' is not a braced GUID`);
    if (controls.has(uniqueid.toLowerCase())) problems.push(`${at}: uniqueid ${uniqueid} is used by two controls`);
    controls.set(uniqueid.toLowerCase(), control);
  }
  for (const description of descendants(form, 'controlDescription')) {
    const forControl = attrOf(description, 'forControl') ?? '';
    const control = controls.get(forControl.toLowerCase());
    if (!control) {
      problems.push(`${at}: controlDescription for ${forControl} matches no control uniqueid on the form`);
      continue;
    }
    const column = attrOf(control, 'datafieldname');
    const pcf = children(description, 'customControl').filter((c) => attrOf(c, 'name'));
    const names = [...new Set(pcf.map((c) => attrOf(c, 'name')!))];
    for (const name of names) {
      const dAt = `${at} control '${attrOf(control, 'id')}' (${name})`;
      const properties = ctx.controls.get(name);
      if (!properties) {
        problems.push(`${dAt}: '${name}' is not among the built controls (${[...ctx.controls.keys()].join(', ') || 'none built'})`);
        continue;
      }
      const factors = pcf.filter((c) => attrOf(c, 'name') === name).map((c) => attrOf(c, 'formFactor'));
      const missing = FORM_FACTORS.filter((f) => !factors.includes(String(f)));
      if (missing.length || factors.length !== FORM_FACTORS.length) problems.push(`${dAt}: needs exactly one customControl per form factor 0, 1, 2 (has ${factors.join(', ') || 'none'})`);
      for (const cc of pcf.filter((c) => attrOf(c, 'name') === name)) {
        const params = (children(cc, 'parameters')[0]?.children ?? []).filter((c): c is XmlElement => typeof c !== 'string');
        for (const p of params) {
          const property = properties.find((x) => x.name === p.name);
          if (!property) problems.push(`${dAt}: parameter '${p.name}' is not a property of the control`);
          else if (property.usage === 'bound' && (attrOf(p, 'static') || textOf(p) !== column)) problems.push(`${dAt}: bound property '${p.name}' must name the cell's column '${column}', not '${textOf(p)}'`);
          else if (property.usage === 'input' && (attrOf(p, 'static') !== 'true' || attrOf(p, 'type') !== property.ofType)) problems.push(`${dAt}: input '${p.name}' must be static="true" type="${property.ofType}"`);
          else if (property.usage === 'output') problems.push(`${dAt}: output property '${p.name}' takes no value`);
        }
      }
    }
  }
  return problems;
}

/** Our rules for everything in customizations.xml set aside from Microsoft's schema for forms and apps. */
export function checkUiSetAside(customizations: XmlElement, ctx: UiCheckContext): string[] {
  const problems: string[] = [];
  const forms = select(customizations, SYSTEMFORM_PATH);
  for (const f of forms) problems.push(...checkEmittedForm(f, ctx));
  const formIds = new Set(forms.map((f) => textOf(children(f, 'formid')[0]).toLowerCase()));
  const viewIds = new Set(select(customizations, ['ImportExportXml', 'Entities', 'Entity', 'SavedQueries', 'savedqueries', 'savedquery']).map((q) => textOf(children(q, 'savedqueryid')[0]).toLowerCase()));
  const roleIds = new Set(select(customizations, ['ImportExportXml', 'Roles', 'Role']).map((r) => (attrOf(r, 'id') ?? '').toLowerCase()));
  const tables = new Set(ctx.model.tables.map((t) => t.logicalName));
  const siteMaps = new Map(select(customizations, ['ImportExportXml', 'AppModuleSiteMaps', 'AppModuleSiteMap']).map((s) => [textOf(children(s, 'SiteMapUniqueName')[0]), s]));
  const apps = select(customizations, ['ImportExportXml', 'AppModules', 'AppModule']);
  for (const app of apps) {
    const name = textOf(children(app, 'UniqueName')[0]);
    const at = `customizations.xml app '${name}'`;
    if (!new RegExp(`^${ctx.prefix}_[A-Za-z0-9_]+$`).test(name)) problems.push(`${at}: unique name must start with '${ctx.prefix}_'`);
    const components = descendants(app, 'AppModuleComponent');
    const appTables = new Set(components.filter((c) => attrOf(c, 'type') === '1').map((c) => attrOf(c, 'schemaName') ?? ''));
    for (const t of appTables) if (!tables.has(t)) problems.push(`${at}: component table '${t}' is not in the model`);
    for (const c of components.filter((x) => attrOf(x, 'type') === '60')) if (!formIds.has((attrOf(c, 'id') ?? '').toLowerCase())) problems.push(`${at}: component form ${attrOf(c, 'id')} is not in the package`);
    for (const c of components.filter((x) => attrOf(x, 'type') === '26')) if (!viewIds.has((attrOf(c, 'id') ?? '').toLowerCase())) problems.push(`${at}: component view ${attrOf(c, 'id')} is not in the package`);
    const maps = components.filter((x) => attrOf(x, 'type') === '62').map((c) => attrOf(c, 'schemaName') ?? '');
    if (maps.length !== 1) problems.push(`${at}: needs exactly one site map component, has ${maps.length}`);
    for (const m of maps) {
      const siteMap = siteMaps.get(m);
      if (!siteMap) {
        problems.push(`${at}: site map '${m}' is not in AppModuleSiteMaps`);
        continue;
      }
      for (const s of descendants(siteMap, 'SubArea')) {
        const entity = attrOf(s, 'Entity');
        if (entity === undefined) continue;
        if (!tables.has(entity)) problems.push(`${at}: subarea '${attrOf(s, 'Id')}' opens '${entity}', which is not in the model`);
        else if (!appTables.has(entity)) problems.push(`${at}: subarea '${attrOf(s, 'Id')}' opens '${entity}', which is not among the app's components`);
      }
    }
    const roles = descendants(app, 'Role');
    if (roles.length === 0) problems.push(`${at}: no role is mapped to the app`);
    for (const r of roles) if (!roleIds.has((attrOf(r, 'id') ?? '').toLowerCase())) problems.push(`${at}: role ${attrOf(r, 'id')} is not in the package`);
  }
  for (const name of siteMaps.keys()) if (!apps.some((a) => textOf(children(a, 'UniqueName')[0]) === name)) problems.push(`customizations.xml site map '${name}' belongs to no app`);
  return problems;
}
