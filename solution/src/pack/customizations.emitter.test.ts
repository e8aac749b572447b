import { model } from '../model/model';
import { ui } from '../ui';
import { childNames, select, type XmlElement } from '../xml/xml';
import { customizationsTree } from './customizations.emitter';
import { placedControlProperties } from './fixtures/placed-controls';
import { realExport, shared } from './fixtures/real-exports';
import registrationsFixture from './fixtures/steps.json';
import type { PluginRegistrations } from './plugin-steps';

const registrations = {
  ...registrationsFixture,
  serviceEndpoints: registrationsFixture.serviceEndpoints.map((e) => ({ ...e, url: e.url.replace('{functionsBaseUrl}', 'https://fn.example.com/api') })),
} as PluginRegistrations;
const controls = [...placedControlProperties()].map(([name, properties]) => ({ name, properties }));
const ours = customizationsTree({ model, controls, registrations, ui });

/** Every pair of root elements both files carry comes in the same order. */
function sameRelativeOrder(a: XmlElement, b: XmlElement): [string[], string[]] {
  const ourNames = childNames(a);
  const theirNames = childNames(b);
  return [shared(ourNames, theirNames), shared(theirNames, ourNames)];
}

describe('customizations.xml against solutions Dataverse exported', () => {
  it.each([
    ['power365crm-sales/customizations.outline.xml'],
    ['incident-reporting/customizations.outline.xml'],
    ['casesystem/customizations.outline.xml'],
    ['packagedeployer-mock/Customizations.xml'],
  ])('lists its root elements in the order of %s: steps and endpoints before the app site maps and modules', (file) => {
    const [mine, theirs] = sameRelativeOrder(ours, realExport(file));
    expect(mine).toEqual(theirs);
  });

  it('carries steps, endpoints, site maps and apps, so the order above is really compared', () => {
    expect(childNames(ours)).toEqual(expect.arrayContaining(['CustomControls', 'SdkMessageProcessingSteps', 'ServiceEndpoints', 'AppModuleSiteMaps', 'AppModules', 'Languages']));
    expect(childNames(ours).indexOf('ServiceEndpoints')).toBeLessThan(childNames(ours).indexOf('AppModuleSiteMaps'));
  });

  it('writes a webhook endpoint with the exported webhook endpoint\'s children in its order, Url last', () => {
    const theirs = childNames(select(realExport('packagedeployer-mock/ServiceEndpoints.xml'), ['ServiceEndpoints', 'ServiceEndpoint'])[0]!);
    for (const endpoint of select(ours, ['ImportExportXml', 'ServiceEndpoints', 'ServiceEndpoint'])) {
      const mine = childNames(endpoint);
      // Description is ours only (the exported endpoint has none); the schema puts it after Contract.
      expect(mine.filter((n) => n !== 'Description')).toEqual(theirs);
      expect(mine[mine.length - 1]).toBe('Url');
    }
  });
});

describe('webhook steps against the steps Dataverse exported', () => {
  const steps = select(ours, ['ImportExportXml', 'SdkMessageProcessingSteps', 'SdkMessageProcessingStep']);
  const webhookStep = realExport('packagedeployer-mock/SdkMessageProcessingStep.xml');
  const text = (node: XmlElement, name: string) => {
    const c = node.children.find((x): x is XmlElement => typeof x !== 'string' && x.name === name);
    return c ? c.children.join('') : undefined;
  };

  it('bind every step to Dataverse\'s webhook plug-in type and id, with the endpoint as event handler of type 4618, as the exported webhook step does', () => {
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      for (const name of ['PluginTypeName', 'PluginTypeId', 'EventHandlerTypeCode']) expect([s.attrs[0]![1], name, text(s, name)]).toEqual([s.attrs[0]![1], name, text(webhookStep, name)]);
      const endpoint = select(ours, ['ImportExportXml', 'ServiceEndpoints', 'ServiceEndpoint']).find((e) => e.attrs.some(([k, v]) => k === 'ServiceEndpointId' && v === text(s, 'EventHandler')));
      expect(endpoint).toBeDefined();
    }
  });

  it.each([
    ['packagedeployer-mock/SdkMessageProcessingStep.xml', ['SdkMessageProcessingStep']],
    ['power365crm-sales/SdkMessageProcessingStep.xml', ['SdkMessageProcessingStep']],
  ])('write a step\'s children in the order of %s: SdkMessageId first, then PluginTypeName, PluginTypeId, … IntroducedVersion, images', (file, path) => {
    const theirs = childNames(select(realExport(file), path)[0]!);
    for (const s of steps) expect(shared(childNames(s), theirs)).toEqual(shared(theirs, childNames(s)));
    expect(childNames(steps[0]!).slice(0, 3)).toEqual(['SdkMessageId', 'PluginTypeName', 'PluginTypeId']);
  });

  it('write the message id unbraced, as exports do, and carry IntroducedVersion', () => {
    for (const s of steps) {
      expect(text(s, 'SdkMessageId')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(text(s, 'IntroducedVersion')).toMatch(/^\d+(\.\d+){1,3}$/);
    }
    expect(text(webhookStep, 'SdkMessageId')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('custom activity tables against the activity table Dataverse exported', () => {
  const theirs = select(realExport('incident-reporting/activity-entity.xml'), ['entity', 'attributes', 'attribute']);
  const platform = (attrs: XmlElement[]) => attrs
    .filter((a) => select(a, ['attribute', 'IsCustomField']).map((x) => x.children.join(''))[0] === '0')
    .map((a) => [a.attrs[0]![1], ...['Type', 'Name', 'LogicalName'].map((n) => select(a, ['attribute', n])[0]!.children.join(''))].join(' '))
    .sort();
  const entityOf = (table: string) => select(ours, ['ImportExportXml', 'Entities', 'Entity']).find((e) => select(e, ['Entity', 'Name'])[0]!.children.join('') === table)!;

  it.each([['swb_conversation'], ['swb_session']])('%s carries every activity column under its platform schema name (ActivityId, Subject, RegardingObjectId …), as the export does', (table) => {
    const attrs = select(entityOf(table), ['Entity', 'EntityInfo', 'entity', 'attributes', 'attribute']);
    expect(platform(attrs)).toEqual(platform(theirs));
    expect(platform(attrs)).toContain('RegardingObjectId lookup regardingobjectid regardingobjectid');
    // our own columns stay custom, and no platform column comes twice under a lowercase name
    const names = attrs.map((a) => a.attrs[0]![1]!.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(attrs.filter((a) => a.attrs[0]![1]!.startsWith('swb_')).every((a) => select(a, ['attribute', 'IsCustomField'])[0]!.children.join('') === '1')).toBe(true);
  });

  it.each([['swb_conversation'], ['swb_session']])('%s is a communication activity, ActivityTypeMask as exported', (table) => {
    const info = select(entityOf(table), ['Entity', 'EntityInfo', 'entity'])[0]!;
    const mask = (e: XmlElement) => select(e, [e.name, 'ActivityTypeMask'])[0]?.children.join('');
    expect(mask(info)).toBe(mask(realExport('incident-reporting/activity-entity.xml')));
    expect(mask(info)).toBe('CommunicationActivity');
  });
});

describe('column security against the profiles Dataverse exported (fixtures/real-exports/casesystem)', () => {
  const profiles = select(ours, ['ImportExportXml', 'FieldSecurityProfiles', 'FieldSecurityProfile']);
  const exported = select(realExport('casesystem/FieldSecurityProfiles.xml'), ['FieldSecurityProfiles', 'FieldSecurityProfile']);
  const text = (n: XmlElement, name: string) => select(n, [n.name, name])[0]?.children.join('');

  it('ships every profile of the model with the exported attributes, permissions as EntityName, AttributeName, CanRead, CanUpdate, CanCreate', () => {
    expect(profiles.map((p) => p.attrs.find(([k]) => k === 'name')![1])).toEqual(model.fieldSecurityProfiles.map((p) => p.name[1033]));
    const theirAttrs = exported[0]!.attrs.map(([k]) => k);
    const theirPermission = childNames(select(exported[0]!, ['FieldSecurityProfile', 'FieldPermissions', 'FieldPermission'])[0]!);
    for (const p of profiles) {
      expect(p.attrs.map(([k]) => k)).toEqual(theirAttrs);
      for (const f of select(p, ['FieldSecurityProfile', 'FieldPermissions', 'FieldPermission'])) {
        expect(shared(theirPermission, childNames(f))).toEqual(childNames(f));
        // CanReadUnmasked is newer than both schemas; it is the only exported child we leave out.
        expect(theirPermission.filter((n) => !childNames(f).includes(n))).toEqual(['CanReadUnmasked']);
      }
    }
  });

  it('encodes access as Dataverse does: 4 allowed, 0 not allowed; agents read only, administrators read, create and update', () => {
    const exportedValues = new Set(select(exported[0]!, ['FieldSecurityProfile', 'FieldPermissions', 'FieldPermission']).flatMap((f) => ['CanRead', 'CanUpdate', 'CanCreate'].map((n) => text(f, n))));
    expect([...exportedValues].sort()).toEqual(['0', '4']);
    const grants = (name: string) => select(profiles.find((p) => p.attrs.some(([k, v]) => k === 'name' && v === name))!, ['FieldSecurityProfile', 'FieldPermissions', 'FieldPermission'])
      .map((f) => `${text(f, 'EntityName')}.${text(f, 'AttributeName')} r${text(f, 'CanRead')} u${text(f, 'CanUpdate')} c${text(f, 'CanCreate')}`);
    expect(grants('Switchboard Agent')).toContain('swb_agentstatus.swb_capacitymax r4 u0 c0');
    expect(grants('Switchboard Administrator')).toContain('swb_agentstatus.swb_capacitymax r4 u4 c4');
    expect(grants('Switchboard Administrator')).toContain('swb_offer.swb_expireson r4 u4 c4');
  });

  it('marks the secured columns IsSecured 1, as the exported secured column, and the others 0', () => {
    const isSecured = (table: string, column: string) => {
      const entity = select(ours, ['ImportExportXml', 'Entities', 'Entity']).find((e) => select(e, ['Entity', 'Name'])[0]!.children.join('') === table)!;
      const attribute = select(entity, ['Entity', 'EntityInfo', 'entity', 'attributes', 'attribute']).find((a) => a.attrs[0]![1] === column)!;
      return text(attribute, 'IsSecured');
    };
    expect(text(realExport('casesystem/secured-attribute.xml'), 'IsSecured')).toBe('1');
    expect(isSecured('swb_agentstatus', 'swb_capacitymax')).toBe('1');
    expect(isSecured('swb_offer', 'swb_expireson')).toBe('1');
    expect(isSecured('swb_offer', 'swb_response')).toBe('0');
  });
});
