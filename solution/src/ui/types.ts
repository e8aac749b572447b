// Forms, views and model-driven apps as code. Declared once here (src/ui/*.ts), checked
// against the data model and the built controls by validate/ui.validator.ts, and turned
// into customizations.xml by pack/form.emitter.ts, pack/view.emitter.ts and
// pack/app-module.emitter.ts.
import type { Label } from '../model/types';

/** A value written into a PCF input property on the form (static="true"). */
export type StaticValue = string | number | boolean;

/** A column of the form's table shown with its standard control. */
export interface FieldCell {
  kind: 'field';
  column: string;
  /** Default: the column's display name. */
  label?: Label;
  disabled?: boolean;
}

/**
 * A PCF control placed on a column. Dataverse binds a field control to one column; the
 * control's bound property gets that column and each input property a static value.
 */
export interface PcfCell {
  kind: 'pcf';
  /** `<namespace>.<constructor>` of a built control (controls/<Name>/out/controls). */
  control: string;
  /** The manifest's bound property and the column it is bound to. */
  bind: { property: string; column: string };
  parameters?: Record<string, StaticValue>;
  label: Label;
  showLabel?: boolean;
  /** Rows the cell spans (height of the control on the form). */
  rowSpan?: number;
}

/** Rows of a related table (through a 1:N relationship of the form's table), shown with one of its views. */
export interface SubgridCell {
  kind: 'subgrid';
  /** Control id on the form (letters, digits, _). */
  name: string;
  table: string;
  /** Schema name of the 1:N relationship from the form's table to `table`. */
  relationship: string;
  /** Id of a view of `table` (src/ui/views.ts). */
  view: string;
  label: Label;
  recordsPerPage?: number;
  rowSpan?: number;
}

export type CellDef = FieldCell | PcfCell | SubgridCell;

export interface SectionDef {
  name: string;
  label: Label;
  showLabel?: boolean;
  cells: CellDef[];
}

export interface FormColumnDef {
  /** Percent of the tab's width; a tab's columns add up to 100. */
  width: number;
  sections: SectionDef[];
}

export interface TabDef {
  name: string;
  label: Label;
  columns: FormColumnDef[];
}

export interface FormDef {
  /** Stable GUID (no braces): an upgrade updates the same form. */
  id: string;
  table: string;
  type: 'main';
  name: Label;
  description: Label;
  tabs: TabDef[];
}

export type ConditionOperator =
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
  | 'in' | 'not-in'
  | 'null' | 'not-null'
  | 'eq-userid' | 'ne-userid'
  | 'last-x-days' | 'last-x-hours';

export interface ConditionDef {
  attribute: string;
  operator: ConditionOperator;
  /** One value for comparisons, several for in / not-in, none for null and eq-userid. */
  value?: string | number;
  values?: (string | number)[];
}

export interface ViewColumnDef {
  attribute: string;
  /** Grid column width in pixels. */
  width: number;
}

/** 0 public view (shown in the view picker), 2 associated view (related grids), 4 quick find (the grid's search box). */
export type ViewQueryType = 0 | 2 | 4;

export interface ViewDef {
  id: string;
  table: string;
  name: Label;
  description: Label;
  queryType: ViewQueryType;
  /** The table's default view of this query type; at most one per table and type. */
  isDefault?: boolean;
  columns: ViewColumnDef[];
  filter: ConditionDef[];
  /** Quick find (query type 4) only: the text columns the search box matches (`like`). */
  quickFind?: string[];
  order: { attribute: string; descending?: boolean }[];
}

export interface SubAreaDef {
  id: string;
  table: string;
  title: Label;
}

export interface GroupDef {
  id: string;
  title: Label;
  subAreas: SubAreaDef[];
}

export interface AreaDef {
  id: string;
  title: Label;
  groups: GroupDef[];
}

export interface AppDef {
  /** Unique name with the publisher prefix: `swb_SwitchboardWorkspace`. The site map shares it. */
  uniqueName: string;
  name: Label;
  description: Label;
  /** Security role ids (from model/roles.ts) whose members see the app. */
  roles: string[];
  /** Tables the app may open: every site map table and every table reached from them. */
  tables: string[];
  /** Forms and views the app offers (ids); tables without listed views offer all of theirs. */
  forms: string[];
  views: string[];
  areas: AreaDef[];
}

export interface UiDefinition {
  forms: FormDef[];
  views: ViewDef[];
  apps: AppDef[];
}
