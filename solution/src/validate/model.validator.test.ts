import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { model } from '../model/model';
import type { DataModel, TableDef } from '../model/types';
import { readPacConfig } from '../pack/pac-config';
import { pack } from '../pack/packer';
import { dataverseSchemasDir } from './xmllint';
import { validateModel } from './model.validator';

const repoRoot = join(__dirname, '..', '..', '..');
const config = readPacConfig(join(repoRoot, 'pac.config.json'));

const clone = (): DataModel => JSON.parse(JSON.stringify(model)) as DataModel;
const table = (m: DataModel, name: string): TableDef => m.tables.find((t) => t.logicalName === name)!;

function packRefusal(broken: DataModel): string {
  const out = mkdtempSync(join(tmpdir(), 'swb-pack-'));
  try {
    pack({ repoRoot, outDir: out, model: broken, config, schemasDir: dataverseSchemasDir(repoRoot), stepsFile: join(out, 'none.json'), log: () => undefined });
  } catch (e) {
    return (e as Error).message;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  throw new Error('the packer accepted a broken model');
}

describe('model validation', () => {
  it('the shipped model breaks no rule', () => {
    expect(validateModel(model, config)).toEqual([]);
  });

  it('the packer refuses a column without the publisher prefix, naming table and column', () => {
    const m = clone();
    table(m, 'swb_message').columns.push({ ...table(m, 'swb_message').columns[0]!, logicalName: 'body', type: 'memo', targets: undefined });
    expect(packRefusal(m)).toMatch(/\[prefix\] swb_message\.body: column 'body' on table 'swb_message' must start with the publisher prefix 'swb_'/);
  });

  it('the packer refuses a duplicate option value, naming both options', () => {
    const m = clone();
    const state = m.choices.find((c) => c.name === 'swb_conversationstate')!;
    state.options[1]!.value = state.options[0]!.value;
    expect(packRefusal(m)).toMatch(/options Open and Waiting of choice 'swb_conversationstate' share the value 612400000/);
  });

  it('the packer refuses a lookup to an unknown table', () => {
    const m = clone();
    const lookup = table(m, 'swb_offer').columns.find((c) => c.logicalName === 'swb_queueid')!;
    lookup.targets = ['swb_nowhere'];
    expect(packRefusal(m)).toMatch(/lookup 'swb_queueid' on table 'swb_offer' points to unknown table 'swb_nowhere'/);
  });

  it('an option value outside the publisher range is refused with the range', () => {
    const m = clone();
    m.choices[0]!.options[0]!.value = 100000000;
    expect(validateModel(m, config).map((p) => p.message).join('\n')).toMatch(/value 100000000, outside the publisher's range 612400000\.\.612409999/);
  });

  it('duplicate table, column and choice names are refused', () => {
    const m = clone();
    m.tables.push(table(m, 'swb_offer'));
    table(m, 'swb_session').columns.push(table(m, 'swb_session').columns[0]!);
    m.choices.push(m.choices[0]!);
    const messages = validateModel(m, config).filter((p) => p.rule === 'duplicate').map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([
      "table 'swb_offer' is declared more than once",
      "column 'swb_conversationid' on table 'swb_session' is declared more than once",
      "choice 'swb_conversationstate' is declared more than once",
    ]));
  });

  it('names longer than Dataverse allows are refused', () => {
    const m = clone();
    table(m, 'swb_offer').columns[0]!.logicalName = `swb_${'x'.repeat(60)}`;
    expect(validateModel(m, config).some((p) => p.rule === 'length' && /limit is 50/.test(p.message))).toBe(true);
  });

  it('a column colliding with a system column, a missing French label and a bad entity set are refused', () => {
    const m = clone();
    table(m, 'swb_offer').columns[0]!.logicalName = 'statecode';
    table(m, 'swb_offer').columns[1]!.displayName[1036] = '';
    table(m, 'swb_workstream').entitySetName = 'swb_workstreamz';
    const messages = validateModel(m, config).map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([
      "column 'statecode' on table 'swb_offer' collides with a column Dataverse adds itself",
      'column display name has no French (1036) text',
      "entity set name 'swb_workstreamz' of table 'swb_workstream' must be 'swb_workstreams', the name Dataverse derives",
    ]));
  });

  it('role privileges on unknown tables, or below global on organisation-owned tables, are refused', () => {
    const m = clone();
    m.roles[0]!.privileges.swb_ghost = { read: 'global' };
    m.roles[0]!.privileges.swb_workstream = { read: 'basic' };
    const messages = validateModel(m, config).map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([
      "role 'Switchboard Agent' grants privileges on unknown table 'swb_ghost'",
      "role 'Switchboard Agent' grants read at depth 'basic' on organization-owned table 'swb_workstream'; only 'global' exists there",
    ]));
  });

  it('an environment variable default that does not fit its type is refused', () => {
    const m = clone();
    const grace = m.environmentVariables.find((v) => v.schemaName === 'swb_DisconnectGraceSeconds')!;
    grace.defaultValue = 'two minutes';
    expect(validateModel(m, config).map((p) => p.message)).toContain("default value 'two minutes' of environment variable 'swb_DisconnectGraceSeconds' is not a valid number");
  });

  it('an alternate key wider than the 900-byte index limit is refused', () => {
    const m = clone();
    table(m, 'swb_message').columns.find((c) => c.logicalName === 'swb_providermessageid')!.maxLength = 500;
    expect(validateModel(m, config).map((p) => p.message)).toContain("alternate key 'swb_message_provider' on table 'swb_message' is 1016 bytes wide; Dataverse allows 900");
  });

  it('a field security permission on a column that is not secured, and a secured column no profile grants, are refused', () => {
    const m = clone();
    m.fieldSecurityProfiles[0]!.permissions.push({ table: 'swb_offer', column: 'swb_response', read: true, create: false, update: false });
    table(m, 'swb_agentstatus').columns.find((c) => c.logicalName === 'swb_heartbeaton')!.secured = true;
    expect(validateModel(m, config).map((p) => `${p.at}: ${p.message}`)).toEqual(expect.arrayContaining([
      "field security profile Switchboard Agent: grants access to 'swb_offer.swb_response', which is not secured",
      'swb_agentstatus.swb_heartbeaton: is secured but no field security profile grants access to it',
    ]));
  });
});
