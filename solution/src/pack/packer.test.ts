import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { dataverseSchemasDir } from '../validate/xmllint';
import { pack, PLACEHOLDER_FUNCTIONS_BASE_URL, type PackResult } from './packer';
import { sdkMessageIds, endpointId, stepId } from './customizations.emitter';
import { placedControls, writePlacedControls } from './fixtures/placed-controls';

const realRoot = join(__dirname, '..', '..', '..');
const schemasDir = dataverseSchemasDir(realRoot);

const manifest = (ns: string, ctor: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<manifest><control namespace="${ns}" constructor="${ctor}" version="1.0.0" display-name-key="X" description-key="Y" control-type="virtual"><resources><code path="bundle.js" order="1" /></resources></control></manifest>\n`;

/** A throwaway repository: pac.config.json with its own version, built controls, steps.json. */
function fixtureRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'swb-repo-'));
  const pac = JSON.parse(readFileSync(join(realRoot, 'pac.config.json'), 'utf8'));
  pac.solution.version = '2.3.4.5';
  writeFileSync(join(root, 'pac.config.json'), JSON.stringify(pac));
  const control = join(root, 'controls', 'Gauge', 'out', 'controls', 'Gauge');
  mkdirSync(join(control, 'strings'), { recursive: true });
  mkdirSync(join(control, 'css'), { recursive: true });
  writeFileSync(join(control, 'ControlManifest.xml'), manifest('Switchboard', 'Gauge'));
  writeFileSync(join(control, 'bundle.js'), 'var pcf_tools_652ac3f36e1e4bca82eb3c1dc44e6fad;');
  writeFileSync(join(control, 'strings', 'Gauge.1033.resx'), '<root />');
  writeFileSync(join(control, 'strings', 'Gauge.1036.resx'), '<root />');
  writeFileSync(join(control, 'css', 'Gauge.css'), '.gauge{}');
  writePlacedControls(root);
  mkdirSync(join(root, 'plugins', 'dist'), { recursive: true });
  cpSync(join(__dirname, 'fixtures', 'steps.json'), join(root, 'plugins', 'dist', 'steps.json'));
  return root;
}

describe('the packer', () => {
  let root: string;
  let result: PackResult;
  const lines: string[] = [];

  beforeAll(() => {
    root = fixtureRepo();
    result = pack({ repoRoot: root, schemasDir, functionsBaseUrl: 'https://fn.example.com/api/', log: (l) => lines.push(l) });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const unzip = (file: string) => unzipSync(new Uint8Array(readFileSync(file)));
  const text = (file: string, entry: string) => strFromU8(unzip(file)[entry]!);

  it('writes Switchboard_<version>_managed.zip and _unmanaged.zip with the version from pac.config.json', () => {
    expect(result.managedZip).toBe(join(root, 'solution', 'bin', 'Switchboard_2_3_4_5_managed.zip'));
    expect(result.unmanagedZip).toBe(join(root, 'solution', 'bin', 'Switchboard_2_3_4_5_unmanaged.zip'));
    for (const zip of [result.managedZip, result.unmanagedZip]) {
      expect(text(zip, 'solution.xml')).toContain('<Version>2.3.4.5</Version>');
      expect(text(zip, 'solution.xml')).toContain('<UniqueName>Switchboard</UniqueName>');
    }
  });

  it('the two zips differ only in the managed flag of solution.xml', () => {
    const managed = unzip(result.managedZip);
    const unmanaged = unzip(result.unmanagedZip);
    expect(Object.keys(managed).sort()).toEqual(Object.keys(unmanaged).sort());
    expect(strFromU8(managed['solution.xml']!)).toContain('<Managed>1</Managed>');
    expect(strFromU8(unmanaged['solution.xml']!)).toContain('<Managed>0</Managed>');
    expect(strFromU8(managed['solution.xml']!).replace('<Managed>1</Managed>', '<Managed>0</Managed>')).toBe(strFromU8(unmanaged['solution.xml']!));
    for (const entry of Object.keys(managed).filter((e) => e !== 'solution.xml')) expect(Buffer.from(managed[entry]!).equals(Buffer.from(unmanaged[entry]!))).toBe(true);
  });

  it('puts customizations.xml first and [Content_Types].xml last, as Dataverse exports do', () => {
    const names = Object.keys(unzip(result.managedZip));
    expect(names.slice(0, 2)).toEqual(['customizations.xml', 'solution.xml']);
    expect(names[names.length - 1]).toBe('[Content_Types].xml');
  });

  it('the package holds the solution files, environment variables and the built control under Controls/<namespace>.<name>/', () => {
    expect(Object.keys(unzip(result.managedZip)).sort()).toEqual([
      ...[
        ...placedControls.flatMap((n) => [`Controls/swb_Switchboard.${n}/ControlManifest.xml`, `Controls/swb_Switchboard.${n}/bundle.js`]),
        'Controls/swb_Switchboard.Gauge/ControlManifest.xml',
        'Controls/swb_Switchboard.Gauge/bundle.js',
        'Controls/swb_Switchboard.Gauge/css/Gauge.css',
        'Controls/swb_Switchboard.Gauge/strings/Gauge.1033.resx',
        'Controls/swb_Switchboard.Gauge/strings/Gauge.1036.resx',
      ].sort(),
      '[Content_Types].xml',
      'customizations.xml',
      'environmentvariabledefinitions/swb_DefaultLocale/environmentvariabledefinition.xml',
      'environmentvariabledefinitions/swb_DefaultPhoneRegion/environmentvariabledefinition.xml',
      'environmentvariabledefinitions/swb_DisconnectGraceSeconds/environmentvariabledefinition.xml',
      'environmentvariabledefinitions/swb_FunctionsBaseUrl/environmentvariabledefinition.xml',
      'environmentvariabledefinitions/swb_HeartbeatSeconds/environmentvariabledefinition.xml',
      'environmentvariabledefinitions/swb_WebhookKeySettingName/environmentvariabledefinition.xml',
      'solution.xml',
    ]);
    const types = text(result.managedZip, '[Content_Types].xml');
    for (const ext of ['xml', 'js', 'css', 'resx']) expect(types).toContain(`<Default Extension="${ext}" ContentType="application/octet-stream" />`);
  });

  it('customizations.xml lists the control and solution.xml roots it, with the tables, choices and roles', () => {
    const customizations = text(result.managedZip, 'customizations.xml');
    expect(customizations).toContain('<CustomControl>\r\n      <Name>swb_Switchboard.Gauge</Name>\r\n      <FileName>/Controls/swb_Switchboard.Gauge/ControlManifest.xml</FileName>');
    const solution = text(result.managedZip, 'solution.xml');
    expect(solution).toContain('<RootComponent type="66" schemaName="swb_Switchboard.Gauge" behavior="0" />');
    expect(solution).toContain('<RootComponent type="1" schemaName="swb_conversation" behavior="0" />');
    expect(solution).toContain('<RootComponent type="1" schemaName="queue" behavior="2" />');
    expect(solution).not.toContain('schemaName="contact"');
    expect(solution).toContain('<RootComponent type="9" schemaName="swb_conversationstate" behavior="0" />');
    expect(solution).toContain('<RootComponent type="20" id="{5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0a01}" behavior="0" />');
    expect(solution).not.toContain('type="380"');
    expect(solution).toContain('<CustomizationPrefix>swb</CustomizationPrefix>');
    expect(solution).toContain('<CustomizationOptionValuePrefix>61240</CustomizationOptionValuePrefix>');
  });

  it('steps.json becomes webhook service endpoints and steps, with the base URL filled in and no key', () => {
    const customizations = text(result.managedZip, 'customizations.xml');
    const created = endpointId('Switchboard message created');
    expect(customizations).toContain(`<ServiceEndpoint ServiceEndpointId="{${created}}" Name="Switchboard message created">`);
    expect(customizations).toContain('<Url>https://fn.example.com/api/dataverse/message-created</Url>');
    expect(customizations).toContain('<Url>https://contoso-switchboard.azurewebsites.net/api/dataverse/conversation-updated</Url>');
    expect(customizations).toContain('<Contract>8</Contract>');
    expect(customizations).toContain('<AuthType>4</AuthType>'); // Webhook Key; 5 would be Http Header
    expect(customizations).not.toMatch(/AuthValue|SWITCHBOARD_WEBHOOK_KEY/);

    const update = customizations.slice(customizations.indexOf('<SdkMessageProcessingStep Name="swb_conversation Update'));
    const block = update.slice(0, update.indexOf('</SdkMessageProcessingStep>'));
    expect(block).toContain(`SdkMessageProcessingStepId="{${stepId('swb_conversation Update: re-route on state change')}}"`);
    expect(block).toContain('<PrimaryEntity>swb_conversation</PrimaryEntity>');
    expect(block).toContain('<FilteringAttributes>swb_state,swb_queueid</FilteringAttributes>');
    expect(block).toContain('<Mode>1</Mode>');
    expect(block).toContain('<Stage>40</Stage>');
    expect(block).toContain(`<SdkMessageId>${sdkMessageIds.Update}</SdkMessageId>`);
    expect(block).toContain(`<EventHandler>{${endpointId('Switchboard conversation updated')}}</EventHandler>`);
    expect(block).toContain('<EntityAlias>PreImage</EntityAlias>');
    expect(block).toContain('<ImageType>0</ImageType>');
    expect(block).toContain('<Attributes>swb_state,swb_queueid,swb_primaryagentid</Attributes>');

    const sync = customizations.slice(customizations.indexOf('<SdkMessageProcessingStep Name="swb_message Create: validate author"'));
    expect(sync.slice(0, sync.indexOf('</SdkMessageProcessingStep>'))).toMatch(/<Mode>0<\/Mode>[\s\S]*<Rank>2<\/Rank>[\s\S]*<Stage>10<\/Stage>/);

    const solution = text(result.managedZip, 'solution.xml');
    expect(solution).toContain(`<RootComponent type="95" id="{${created}}" behavior="0" />`);
    expect(solution).toContain(`<RootComponent type="92" id="{${stepId('swb_message Create: deliver outbound')}}" behavior="0" />`);
  });

  it('prints one progress line per step', () => {
    expect(lines.filter((l) => /^\[\d\/8\]/.test(l))).toHaveLength(8);
    expect(lines.join('\n')).toContain('swb_Switchboard.Gauge');
    expect(lines.join('\n')).toContain('2 service endpoint(s), 3 step(s)');
  });

  it('packing twice gives byte-identical zips', () => {
    const first = readFileSync(result.managedZip);
    pack({ repoRoot: root, schemasDir, functionsBaseUrl: 'https://fn.example.com/api/', log: () => undefined });
    expect(readFileSync(result.managedZip).equals(first)).toBe(true);
  });

  it('with the functions app\'s address (--functions-url), endpoints post to <address>/api/dataverse/...', () => {
    const out = mkdtempSync(join(tmpdir(), 'swb-out-'));
    try {
      const r = pack({ repoRoot: root, outDir: out, schemasDir, functionsBaseUrl: 'https://contoso-switchboard.azurewebsites.net', log: () => undefined });
      const customizations = text(r.managedZip, 'customizations.xml');
      expect(customizations).toContain('<Url>https://contoso-switchboard.azurewebsites.net/api/dataverse/message-created</Url>');
      expect(customizations).not.toContain(PLACEHOLDER_FUNCTIONS_BASE_URL);
      expect(() => pack({ repoRoot: root, outDir: out, schemasDir, functionsBaseUrl: 'http://contoso.example.com', log: () => undefined })).toThrow(/must use https/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('without a base URL, endpoints get a placeholder host that cannot resolve', () => {
    const out = mkdtempSync(join(tmpdir(), 'swb-out-'));
    try {
      const previous = process.env.SWITCHBOARD_FUNCTIONS_BASE_URL;
      delete process.env.SWITCHBOARD_FUNCTIONS_BASE_URL;
      const r = pack({ repoRoot: root, outDir: out, schemasDir, log: () => undefined });
      if (previous !== undefined) process.env.SWITCHBOARD_FUNCTIONS_BASE_URL = previous;
      expect(text(r.managedZip, 'customizations.xml')).toContain(`<Url>${PLACEHOLDER_FUNCTIONS_BASE_URL}/dataverse/message-created</Url>`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the packer refuses bad plugin registrations', () => {
  let root: string;
  beforeEach(() => {
    root = fixtureRepo();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const withSteps = (edit: (j: any) => void) => {
    const file = join(root, 'plugins', 'dist', 'steps.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    edit(json);
    writeFileSync(file, JSON.stringify(json));
    return () => pack({ repoRoot: root, schemasDir, functionsBaseUrl: 'https://fn.example.com/api', log: () => undefined });
  };

  it('a step on an unknown table, an async pre-operation step and an unknown filtering column', () => {
    const run = withSteps((j) => {
      j.steps[0].primaryTable = 'swb_ghost';
      j.steps[1].stage = 20;
      j.steps[1].filteringAttributes.push('swb_nothing');
    });
    expect(run).toThrow(/unknown primary table 'swb_ghost'/);
    expect(run).toThrow(/asynchronous steps must run at stage 40/);
    expect(run).toThrow(/filtering attribute 'swb_nothing' is not a column of 'swb_conversation'/);
  });

  it('an endpoint over plain http to a public host', () => {
    const run = withSteps((j) => {
      j.serviceEndpoints[1].url = 'http://contoso.example.com/api/dataverse/x';
    });
    expect(run).toThrow(/Url 'http:\/\/contoso.example.com\/api\/dataverse\/x' must use https/);
  });

  it('a webhook key written into steps.json', () => {
    const run = withSteps((j) => {
      j.serviceEndpoints[0].key = 'hunter2';
    });
    expect(run).toThrow(/must not contain the webhook key itself/);
  });
});

describe('Associate and Disassociate steps', () => {
  let root: string;
  beforeEach(() => {
    root = fixtureRepo();
    const file = join(root, 'plugins', 'dist', 'steps.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    for (const message of ['Associate', 'Disassociate']) {
      json.steps.push({ name: `${message} post-operation: routing`, serviceEndpoint: 'Switchboard message created', message, stage: 40, mode: 'async', rank: 1 });
    }
    writeFileSync(file, JSON.stringify(json));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const ASSOCIATE = '11111111-2222-4333-8444-555555555555';
  const DISASSOCIATE = '66666666-7777-4888-8999-aaaaaaaaaaaa';

  it('ship with the message ids given for the target environment, on no table, and still validate against the schema', () => {
    const lines: string[] = [];
    const r = pack({ repoRoot: root, schemasDir, functionsBaseUrl: 'https://fn.example.com/api', sdkMessageIds: `Associate=${ASSOCIATE},Disassociate={${DISASSOCIATE.toUpperCase()}}`, log: (l) => lines.push(l) });
    expect(r.steps).toBe(5);
    const customizations = strFromU8(unzipSync(new Uint8Array(readFileSync(r.managedZip)))['customizations.xml']!);
    const at = customizations.indexOf('<SdkMessageProcessingStep Name="Associate post-operation: routing"');
    const block = customizations.slice(at, customizations.indexOf('</SdkMessageProcessingStep>', at));
    expect(block).toContain(`<SdkMessageId>${ASSOCIATE}</SdkMessageId>`);
    expect(block).not.toContain('<PrimaryEntity>');
    expect(block).not.toContain('<FilteringAttributes>');
    expect(customizations).toContain(`<SdkMessageId>${DISASSOCIATE}</SdkMessageId>`);
    const solution = strFromU8(unzipSync(new Uint8Array(readFileSync(r.managedZip)))['solution.xml']!);
    expect(solution).toContain(`<RootComponent type="92" id="{${stepId('Associate post-operation: routing')}}" behavior="0" />`);
    expect(lines.join('\n')).not.toMatch(/left out/);
  });

  it('without those ids they are left out, and the packer says which setting would bring them in', () => {
    const previous = process.env.SWITCHBOARD_SDKMESSAGE_IDS;
    delete process.env.SWITCHBOARD_SDKMESSAGE_IDS;
    const lines: string[] = [];
    try {
      const r = pack({ repoRoot: root, schemasDir, functionsBaseUrl: 'https://fn.example.com/api', log: (l) => lines.push(l) });
      expect(r.steps).toBe(3);
      const files = unzipSync(new Uint8Array(readFileSync(r.managedZip)));
      expect(strFromU8(files['customizations.xml']!)).not.toContain('Associate post-operation');
      expect(strFromU8(files['solution.xml']!)).not.toContain(stepId('Associate post-operation: routing'));
      expect(lines.join('\n')).toContain('left out 2 step(s) on Associate/Disassociate: their sdkmessage ids differ per environment; after import, npm run configure registers them (or set SWITCHBOARD_SDKMESSAGE_IDS=Associate=<id>,Disassociate=<id> to ship them in the solution)');
    } finally {
      if (previous !== undefined) process.env.SWITCHBOARD_SDKMESSAGE_IDS = previous;
    }
  });

  it('are refused on a table, with filtering attributes or with images, and a malformed id is refused', () => {
    const file = join(root, 'plugins', 'dist', 'steps.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    Object.assign(json.steps[3], { primaryTable: 'queue', filteringAttributes: ['name'], images: [{ alias: 'Pre', type: 'pre' }] });
    writeFileSync(file, JSON.stringify(json));
    const run = () => pack({ repoRoot: root, schemasDir, functionsBaseUrl: 'https://fn.example.com/api', sdkMessageIds: `Associate=${ASSOCIATE}`, log: () => undefined });
    expect(run).toThrow(/Associate steps are registered on no table/);
    expect(run).toThrow(/filtering attributes apply to Update steps only/);
    expect(run).toThrow(/Associate steps have no images/);
    expect(() => pack({ repoRoot: root, schemasDir, sdkMessageIds: 'Associate=nope', log: () => undefined })).toThrow(/'Associate=nope' is not <Message>=<guid>/);
  });

  it('Delete steps name the Delete message Microsoft documents', () => {
    expect(sdkMessageIds.Delete).toBe('a1bdbb1b-ea3e-db11-86a7-000a3a5473e8');
  });
});
