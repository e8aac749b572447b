import { join } from 'node:path';
import { model } from '../model/model';
import { customizationsTree } from '../pack/customizations.emitter';
import { placedControlProperties, realRoot } from '../pack/fixtures/placed-controls';
import { validateUiFragments } from '../pack/packer';
import { ui } from '../ui';
import { FormIds } from '../ui/forms';
import type { FormDef, PcfCell, UiDefinition, ViewDef } from '../ui/types';
import { ViewIds } from '../ui/views';
import { select, serialize, type XmlElement } from '../xml/xml';
import { forMicrosoftSchema, SYSTEMFORM_PATH } from './set-aside';
import { checkUiSetAside, validateUi, type UiCheckContext } from './ui.validator';
import { docsSchemaSet } from './schema-sets';
import { dataverseSchemasDir, SchemaValidationError, validateWithSchema } from './xmllint';

const schemas = dataverseSchemasDir(realRoot);
const docs = docsSchemaSet(schemas);
const controls = placedControlProperties();
const ctx: UiCheckContext = { model, controls, prefix: 'swb' };
const clone = <T>(x: T): T => structuredClone(x);
const tree = (u: UiDefinition) => customizationsTree({ model, controls: [...controls].map(([name, properties]) => ({ name, properties })), ui: u });

const withView = (change: (v: ViewDef) => void, id: string = ViewIds.myOpenConversations): UiDefinition => {
  const u = clone(ui);
  change(u.views.find((v) => v.id === id)!);
  return u;
};
const paneCell = (u: UiDefinition): PcfCell => {
  const form = u.forms.find((f) => f.id === FormIds.conversationMain)!;
  return form.tabs[0]!.columns[0]!.sections[0]!.cells[0] as PcfCell;
};
const withForm = (change: (f: FormDef, pane: PcfCell) => void): UiDefinition => {
  const u = clone(ui);
  change(u.forms.find((f) => f.id === FormIds.conversationMain)!, paneCell(u));
  return u;
};

describe('forms, views and the app as shipped', () => {
  it('break none of our rules with the built controls', () => {
    expect(validateUi(ui, ctx)).toEqual([]);
  });

  it('every form validates against FormXml.xsd, every view query against Fetch.xsd and the site map against SiteMap.xsd', () => {
    expect(validateUiFragments(tree(ui), docs)).toEqual({ forms: 3, queries: 14, siteMaps: 1 });
  });

  it('the emitted XML passes our checks of what the schemas set aside (bindings, widths, uniqueids, apps)', () => {
    expect(checkUiSetAside(tree(ui), ctx)).toEqual([]);
  });

  it('the conversation form places the pane, the timer and the summary, each bound to the subject, for web, tablet and phone', () => {
    const form = select(tree(ui), ['ImportExportXml', 'Entities', 'Entity', 'FormXml', 'forms', 'systemform', 'form'])[0]!;
    const described = form.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'controlDescriptions')!;
    const names = described.children.flatMap((d) => (typeof d === 'string' ? [] : d.children)).flatMap((c) => (typeof c === 'string' ? [] : c.attrs.filter(([k]) => k === 'name').map(([, v]) => v)));
    for (const control of ['swb_Switchboard.CommunicationPane', 'swb_Switchboard.SessionTimer', 'swb_Switchboard.ConversationSummary']) expect(names.filter((n) => n === control)).toHaveLength(3);
  });
});

describe('the quick find view', () => {
  it('matches the search text against subject, customer name and phone', () => {
    const q = select(tree(ui), ['ImportExportXml', 'Entities', 'Entity', 'SavedQueries', 'savedqueries', 'savedquery']).find((x) => serialize(x).includes(ViewIds.quickFindConversations))!;
    const xml = serialize(q);
    expect(xml).toContain('<isquickfindquery>1</isquickfindquery>');
    expect(xml).toContain('<querytype>4</querytype>');
    expect(xml).toMatch(/<filter type="or" isquickfindfields="1">\s*<condition attribute="subject" operator="like" value="\{0\}" \/>\s*<condition attribute="swb_customername" operator="like" value="\{0\}" \/>\s*<condition attribute="swb_customerphone"/);
  });
});

describe('a view is refused', () => {
  it('when it shows a column its table does not have', () => {
    const problems = validateUi(withView((v) => v.columns.push({ attribute: 'swb_nosuchcolumn', width: 100 })), ctx);
    expect(problems).toEqual(["view 'My open conversations' (swb_conversation): column 'swb_nosuchcolumn' is not a column of swb_conversation"]);
  });

  it('when it filters or sorts on unknown columns', () => {
    const problems = validateUi(withView((v) => {
      v.filter.push({ attribute: 'swb_nope', operator: 'eq', value: 1 });
      v.order.push({ attribute: 'swb_nope2' });
    }), ctx);
    expect(problems).toContain("view 'My open conversations' (swb_conversation): filter column 'swb_nope' is not a column of swb_conversation");
    expect(problems).toContain("view 'My open conversations' (swb_conversation): sort column 'swb_nope2' is not a column of swb_conversation");
  });

  it('when "current user" is asked of a column that is not a user lookup, or a choice value does not exist', () => {
    const problems = validateUi(withView((v) => {
      v.filter = [{ attribute: 'swb_queueid', operator: 'eq-userid' }, { attribute: 'swb_state', operator: 'eq', value: 42 }];
    }), ctx);
    expect(problems).toEqual([
      "view 'My open conversations' (swb_conversation): eq-userid needs a lookup to systemuser; 'swb_queueid' is lookup",
      expect.stringMatching(/^view 'My open conversations' \(swb_conversation\): 42 is not an option of 'swb_state' \(612400000, /),
    ]);
  });

  it('when its quick find searches a column that is not text', () => {
    expect(validateUi(withView((v) => { v.quickFind!.push('swb_priority'); }, ViewIds.quickFindConversations), ctx)).toEqual([
      "view 'Quick find conversations' (swb_conversation): quick find column 'swb_priority' is integer; the search box matches text columns",
    ]);
  });

  it('when a second default view of the same kind is declared on a table', () => {
    expect(validateUi(withView((v) => { v.isDefault = true; }, ViewIds.queueItems), ctx)).toEqual([
      "view 'Queue items' (swb_conversation): 'My open conversations' is already the default view of this kind",
    ]);
  });
});

describe('a form is refused', () => {
  it('when it places a control that is not built', () => {
    const problems = validateUi(withForm((_, pane) => { pane.control = 'swb_Switchboard.NoSuchControl'; }), ctx);
    expect(problems).toEqual([
      "form 'Conversation' (swb_conversation) tab 'tab_conversation' section 'section_communication' cell 1 places control 'swb_Switchboard.NoSuchControl', which is not among the built controls (swb_Switchboard.AgentInbox, swb_Switchboard.CommunicationPane, swb_Switchboard.ConversationSummary, swb_Switchboard.Insights, swb_Switchboard.SessionTimer, swb_Switchboard.SupervisorDesk): build it (npm run build -w <its workspace>) or fix the name",
    ]);
  });

  it('when a control is bound through a property that is not bound, to a column of another type, or given a value of the wrong type', () => {
    const problems = validateUi(withForm((_, pane) => {
      pane.bind = { property: 'pollSeconds', column: 'swb_priority' };
      pane.parameters = { heightPx: 'tall', nosuch: 1 };
    }), ctx);
    const at = "form 'Conversation' (swb_conversation) tab 'tab_conversation' section 'section_communication' cell 1";
    expect(problems).toEqual([
      `${at}: property 'pollSeconds' of 'swb_Switchboard.CommunicationPane' is input, not bound`,
      `${at}: property 'heightPx' of 'swb_Switchboard.CommunicationPane' is Whole.None; "tall" does not fit`,
      `${at}: control 'swb_Switchboard.CommunicationPane' has no property 'nosuch'`,
    ]);
  });

  it('when a field is not a column of its table or the widths of a tab do not add up to 100%', () => {
    const problems = validateUi(withForm((f) => {
      f.tabs[1]!.columns[0]!.sections[0]!.cells.push({ kind: 'field', column: 'swb_nothere' });
      f.tabs[1]!.columns[0]!.width = 60;
    }), ctx);
    expect(problems).toEqual([
      "form 'Conversation' (swb_conversation) tab 'tab_details': column widths 60% + 50% must be whole percents adding up to 100%",
      "form 'Conversation' (swb_conversation) tab 'tab_details' section 'section_routing' cell 9: column 'swb_nothere' is not a column of swb_conversation",
    ]);
  });
});

describe('a subgrid is refused', () => {
  it('when its relationship does not lead from the form\'s table to the shown table, or its view is of another table', () => {
    const u = clone(ui);
    const form = u.forms.find((f) => f.id === FormIds.conversationMain)!;
    const cells = form.tabs[2]!.columns[0]!.sections.flatMap((s) => s.cells);
    Object.assign(cells[0]!, { relationship: 'swb_conversation_message_conversationid' });
    Object.assign(cells[1]!, { view: ViewIds.conversationSessions });
    expect(validateUi(u, ctx)).toEqual([
      "form 'Conversation' (swb_conversation) tab 'tab_routing_history' section 'section_sessions' cell 1: relationship 'swb_conversation_message_conversationid' goes from swb_conversation to swb_message, not from swb_conversation to swb_session",
      "form 'Conversation' (swb_conversation) tab 'tab_routing_history' section 'section_offers' cell 1: view 'Conversation sessions' is a view of swb_session, not of swb_offer",
    ]);
  });
});

describe('the app is refused', () => {
  it('when a subarea opens a table outside the model or outside the app', () => {
    const u = clone(ui);
    const group = u.apps[0]!.areas[0]!.groups[0]!;
    group.subAreas.push({ id: 'swb_sub_ghost', table: 'swb_ghost', title: { 1033: 'Ghosts', 1036: 'Fantômes' } });
    u.apps[0]!.tables = u.apps[0]!.tables.filter((t) => t !== 'swb_workstream');
    expect(validateUi(u, ctx)).toEqual([
      "app 'swb_SwitchboardWorkspace': subarea 'swb_sub_ghost' opens table 'swb_ghost', which is not in the model",
      "app 'swb_SwitchboardWorkspace': subarea 'swb_sub_swb_workstream' opens table 'swb_workstream', which is not among the app's tables",
    ]);
  });

  it('when its name lacks the publisher prefix or it maps a role the model does not have', () => {
    const u = clone(ui);
    u.apps[0]!.uniqueName = 'SwitchboardWorkspace';
    u.apps[0]!.roles.push('00000000-0000-4000-8000-000000000000');
    expect(validateUi(u, ctx)).toEqual([
      "app 'SwitchboardWorkspace': unique name must start with the publisher prefix 'swb_' and use letters, digits and _",
      "app 'SwitchboardWorkspace': role 00000000-0000-4000-8000-000000000000 is not a role of the model",
    ]);
  });
});

describe('the XML checks behind the set-aside list', () => {
  const find = (root: XmlElement, name: string): XmlElement[] =>
    root.children.flatMap((c) => (typeof c === 'string' ? [] : [...(c.name === name ? [c] : []), ...find(c, name)]));
  const setAttr = (node: XmlElement, name: string, value: string) => {
    node.attrs = node.attrs.map(([k, v]) => [k, k === name ? value : v]);
  };

  it('catch a binding to no control, a lost form factor, a wrong width and a bound property on another column', () => {
    const t = tree(ui);
    const descriptions = find(t, 'controlDescription');
    setAttr(descriptions[0]!, 'forControl', '{00000000-0000-4000-8000-000000000000}');
    descriptions[1]!.children = descriptions[1]!.children.filter((c) => typeof c === 'string' || c.attrs.every(([k, v]) => !(k === 'formFactor' && v === '2')));
    const anchor = find(descriptions[2]!, 'anchor')[0]!;
    anchor.children = ['swb_language'];
    setAttr(find(t, 'column')[0]!, 'width', '70%');
    const problems = checkUiSetAside(t, ctx).map((p) => p.replace(/\{[0-9a-f-]+\}/g, '{id}'));
    expect(problems).toEqual([
      "customizations.xml form {id} tab 'tab_conversation': column widths 70% + 33% do not add up to 100%",
      'customizations.xml form {id}: controlDescription for {id} matches no control uniqueid on the form',
      "customizations.xml form {id} control 'subject1' (swb_Switchboard.SessionTimer): needs exactly one customControl per form factor 0, 1, 2 (has 0, 1)",
      "customizations.xml form {id} control 'subject2' (swb_Switchboard.ConversationSummary): bound property 'anchor' must name the cell's column 'subject', not 'swb_language'",
    ]);
  });

  it('catch an app component or subarea that points at nothing in the package', () => {
    const t = tree(ui);
    const subArea = find(t, 'SubArea')[0]!;
    setAttr(subArea, 'Entity', 'swb_ghost');
    const view = find(t, 'AppModuleComponent').find((c) => c.attrs.some(([k, v]) => k === 'type' && v === '26'))!;
    setAttr(view, 'id', '{00000000-0000-4000-8000-000000000000}');
    expect(checkUiSetAside(t, ctx)).toEqual([
      "customizations.xml app 'swb_SwitchboardWorkspace': component view {00000000-0000-4000-8000-000000000000} is not in the package",
      "customizations.xml app 'swb_SwitchboardWorkspace': subarea 'swb_sub_swb_conversation' opens 'swb_ghost', which is not in the model",
    ]);
  });

  it('a fragment that breaks its schema fails with xmllint\'s message, naming the fragment', () => {
    const t = tree(ui);
    setAttr(find(t, 'SubArea')[0]!, 'Id', 'has-dashes');
    let error: unknown;
    try {
      validateUiFragments(t, docs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as Error).message).toMatch(/customizations.xml site map 'swb_SwitchboardWorkspace':\d+: element SubArea: Schemas validity error : Element 'SubArea', attribute 'Id': \[facet 'pattern'\] The value 'has-dashes' is not accepted/);
  });
});

describe('the copy of a form that goes to Microsoft\'s schemas', () => {
  const form = () => select(tree(ui), ['ImportExportXml', 'Entities', 'Entity', 'FormXml', 'forms', 'systemform', 'form'])[0]!;

  it('drops controlDescriptions and control uniqueids for both; the published set keeps real column widths', () => {
    const copy = serialize(forMicrosoftSchema(form(), 'docs', SYSTEMFORM_PATH));
    expect(copy).not.toContain('controlDescriptions');
    expect(copy).not.toContain('uniqueid=');
    expect(copy).toContain('<column width="67%">');
    expect(() => validateWithSchema(copy, join(docs.dir, 'FormXml.xsd'), 'form')).not.toThrow();
  });

  it('the SDK copy carries column widths as the literal its broken pattern accepts, because a real width fails it', () => {
    const copy = forMicrosoftSchema(form(), 'sdk', SYSTEMFORM_PATH);
    expect(serialize(copy)).toContain('<column width="^67%$">');
    expect(() => validateWithSchema(serialize(copy), join(schemas, 'FormXml.xsd'), 'form')).not.toThrow();
    select(copy, ['form', 'tabs', 'tab', 'columns', 'column'])[0]!.attrs = [['width', '67%']];
    expect(() => validateWithSchema(serialize(copy), join(schemas, 'FormXml.xsd'), 'form')).toThrow(/The value '67%' is not accepted by the pattern '\^\(100\|\[0-9\]\{1,2\}\)%\$'/);
  });
});
