import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { ui } from '../ui';
import { FormIds } from '../ui/forms';
import type { PcfCell, UiDefinition } from '../ui/types';
import { ViewIds } from '../ui/views';
import { dataverseSchemasDir } from '../validate/xmllint';
import { placedControls, realRoot, writePlacedControls } from './fixtures/placed-controls';
import { pack } from './packer';

const schemasDir = dataverseSchemasDir(realRoot);

function repo(controls: string[] = placedControls): string {
  const root = mkdtempSync(join(tmpdir(), 'swb-ui-'));
  writeFileSync(join(root, 'pac.config.json'), readFileSync(join(realRoot, 'pac.config.json')));
  writePlacedControls(root, controls);
  return root;
}

describe('the packed solution', () => {
  let root: string;
  let customizations: string;
  let solution: string;
  beforeAll(() => {
    root = repo();
    const result = pack({ repoRoot: root, schemasDir, log: () => undefined });
    const zip = unzipSync(new Uint8Array(readFileSync(result.managedZip)));
    customizations = strFromU8(zip['customizations.xml']!);
    solution = strFromU8(zip['solution.xml']!);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('holds the app module with its site map, components and the three Switchboard roles', () => {
    const app = customizations.slice(customizations.indexOf('<AppModules>'), customizations.indexOf('</AppModules>'));
    expect(app).toContain('<UniqueName>swb_SwitchboardWorkspace</UniqueName>');
    expect(app).toContain('<AppModuleComponent type="62" schemaName="swb_SwitchboardWorkspace" />');
    expect(app).toContain(`<AppModuleComponent type="60" id="{${FormIds.conversationMain}}" />`);
    expect(app).toContain(`<AppModuleComponent type="26" id="{${ViewIds.queueItems}}" />`);
    expect(app.match(/<Role id="\{[0-9a-f-]+\}" \/>/g)).toHaveLength(3);
    expect(app).toContain('<LocalizedName description="Espace de travail Switchboard" languagecode="1036" />');
    const siteMap = customizations.slice(customizations.indexOf('<AppModuleSiteMaps>'), customizations.indexOf('</AppModuleSiteMaps>'));
    for (const table of ['swb_conversation', 'queue', 'swb_workstream', 'swb_routingrule', 'swb_channel', 'swb_chatwidget', 'swb_messagetemplate', 'swb_automatedmessage', 'swb_operatinghours', 'swb_agentstatus']) {
      expect(siteMap).toContain(`Entity="${table}"`);
    }
    expect(solution).toContain('<RootComponent type="80" schemaName="swb_SwitchboardWorkspace" behavior="0" />');
    expect(solution).toContain('<RootComponent type="62" schemaName="swb_SwitchboardWorkspace" behavior="0" />');
  });

  it('holds the conversation main form with the communication pane bound in it, inside the conversation table', () => {
    const entity = customizations.slice(customizations.indexOf('<Name LocalizedName="Conversation" OriginalName="Conversation">swb_conversation</Name>'));
    const forms = entity.slice(entity.indexOf('<FormXml>'), entity.indexOf('</FormXml>'));
    expect(forms).toContain('<forms type="main">');
    expect(forms).toContain(`<formid>{${FormIds.conversationMain}}</formid>`);
    expect(forms).toMatch(/<customControl formFactor="0" name="swb_Switchboard.CommunicationPane">\s*<parameters>\s*<anchor>subject<\/anchor>\s*<pollSeconds type="Whole.None" static="true">3<\/pollSeconds>/);
    expect(entity.slice(0, entity.indexOf('</Entity>'))).toContain(`<savedqueryid>{${ViewIds.myOpenConversations}}</savedqueryid>`);
    expect(entity.slice(0, entity.indexOf('</Entity>'))).toContain('<condition attribute="swb_primaryagentid" operator="eq-userid" />');
  });
});

describe('the packer refuses', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const attempt = (u: UiDefinition, controls?: string[]) => {
    const root = repo(controls);
    roots.push(root);
    return () => pack({ repoRoot: root, schemasDir, ui: u, log: () => undefined });
  };

  it('a view with a column its table does not have, saying which view and which column', () => {
    const u = structuredClone(ui);
    u.views.find((v) => v.id === ViewIds.queueItems)!.columns.push({ attribute: 'swb_queuename', width: 100 });
    expect(attempt(u)).toThrow("forms, views and apps break 1 rule(s):\n  - view 'Queue items' (swb_conversation): column 'swb_queuename' is not a column of swb_conversation");
  });

  it('a form that places a control nobody built, naming the control and the built ones', () => {
    const u = structuredClone(ui);
    const pane = u.forms.find((f) => f.id === FormIds.conversationMain)!.tabs[0]!.columns[0]!.sections[0]!.cells[0] as PcfCell;
    pane.control = 'swb_Switchboard.Transcript';
    expect(attempt(u)).toThrow(/places control 'swb_Switchboard.Transcript', which is not among the built controls \(swb_Switchboard.AgentInbox, swb_Switchboard.CommunicationPane, swb_Switchboard.ConversationSummary, swb_Switchboard.Insights, swb_Switchboard.SessionTimer, swb_Switchboard.SupervisorDesk\)/);
  });

  it('the shipped forms when their controls are not built yet', () => {
    expect(attempt(ui, [])).toThrow(/places control 'swb_Switchboard.CommunicationPane', which is not among the built controls \(none built\)/);
  });
});

describe('forms bind PCF controls', () => {
  it('by the name the package gives them, <prefix>_<namespace>.<constructor>, like every CustomControl of the package', () => {
    const root = repo();
    try {
      const zip = unzipSync(new Uint8Array(readFileSync(pack({ repoRoot: root, schemasDir, log: () => undefined }).managedZip)));
      const customizations = strFromU8(zip['customizations.xml']!);
      const packaged = [...customizations.matchAll(/<CustomControl>\s*<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
      const bound = new Set([...customizations.matchAll(/<customControl formFactor="\d" name="([^"]+)">/g)].map((m) => m[1]));
      expect([...bound].sort()).toEqual(packaged.sort());
      for (const name of bound) expect(name).toMatch(/^swb_Switchboard\.[A-Za-z]+$/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
