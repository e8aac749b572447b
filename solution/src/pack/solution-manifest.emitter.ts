// solution.xml: the manifest (name, version, managed flag, publisher) and the list of
// root components the import must create or update.
import type { DataModel } from '../model/types';
import { el, leaf, type XmlElement } from '../xml/xml';
import { braced } from './names';
import type { PacConfig } from './pac-config';
import type { PluginRegistrations } from './plugin-steps';
import { endpointId, stepId } from './customizations.emitter';

/** Dataverse component type codes used in RootComponents. */
export const ComponentType = {
  Entity: 1,
  OptionSet: 9,
  Role: 20,
  FieldSecurityProfile: 70,
  SiteMap: 62,
  CustomControl: 66,
  AppModule: 80,
  SdkMessageProcessingStep: 92,
  ServiceEndpoint: 95,
} as const;

export interface ManifestInput {
  config: PacConfig;
  model: DataModel;
  managed: boolean;
  controls: { name: string }[];
  /** Model-driven apps; each ships with the site map of the same unique name. */
  apps?: { uniqueName: string }[];
  registrations?: PluginRegistrations;
}

const names = (wrapper: string, item: string, text: string) => el(wrapper, null, el(item, { description: text, languagecode: 1033 }));

export function solutionManifestTree({ config, model, managed, controls, apps, registrations }: ManifestInput): XmlElement {
  const root: XmlElement[] = [];
  for (const t of model.tables) {
    // behavior 0 = include the table with all its subcomponents (ours);
    // behavior 2 = only the subcomponents we list in customizations.xml (standard tables we extend).
    if (!t.standard) root.push(el('RootComponent', { type: ComponentType.Entity, schemaName: t.logicalName, behavior: 0 }));
    else if (t.columns.some((c) => !c.standard)) root.push(el('RootComponent', { type: ComponentType.Entity, schemaName: t.logicalName, behavior: 2 }));
  }
  for (const c of model.choices) root.push(el('RootComponent', { type: ComponentType.OptionSet, schemaName: c.name, behavior: 0 }));
  for (const r of model.roles) root.push(el('RootComponent', { type: ComponentType.Role, id: braced(r.id), behavior: 0 }));
  for (const p of model.fieldSecurityProfiles) root.push(el('RootComponent', { type: ComponentType.FieldSecurityProfile, id: braced(p.id), behavior: 0 }));
  for (const c of controls) root.push(el('RootComponent', { type: ComponentType.CustomControl, schemaName: c.name, behavior: 0 }));
  for (const a of apps ?? []) {
    root.push(el('RootComponent', { type: ComponentType.SiteMap, schemaName: a.uniqueName, behavior: 0 }));
    root.push(el('RootComponent', { type: ComponentType.AppModule, schemaName: a.uniqueName, behavior: 0 }));
  }
  for (const e of registrations?.serviceEndpoints ?? []) root.push(el('RootComponent', { type: ComponentType.ServiceEndpoint, id: braced(endpointId(e.name)), behavior: 0 }));
  for (const s of registrations?.steps ?? []) root.push(el('RootComponent', { type: ComponentType.SdkMessageProcessingStep, id: braced(stepId(s.name)), behavior: 0 }));
  // No RootComponent for environment variables: no export that ships them lists one (fixtures/real-exports,
  // incident-reporting and packagedeployer-mock); the environmentvariabledefinitions/ files are what imports them.

  const { publisher, solution } = config;
  return el('ImportExportXml', { version: '9.2.0.0', SolutionPackageVersion: '9.2', languagecode: 1033, generatedBy: 'CrmLive', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    el('SolutionManifest', null,
      leaf('UniqueName', solution.uniqueName),
      names('LocalizedNames', 'LocalizedName', solution.displayName),
      solution.description ? names('Descriptions', 'Description', solution.description) : null,
      leaf('Version', solution.version),
      leaf('Managed', managed ? '1' : '0'),
      el('Publisher', null,
        leaf('UniqueName', publisher.uniqueName),
        names('LocalizedNames', 'LocalizedName', publisher.displayName),
        publisher.description ? names('Descriptions', 'Description', publisher.description) : null,
        el('EMailAddress', { 'xsi:nil': 'true' }),
        el('SupportingWebsiteUrl', { 'xsi:nil': 'true' }),
        leaf('CustomizationPrefix', publisher.prefix),
        leaf('CustomizationOptionValuePrefix', publisher.optionValuePrefix),
      ),
      el('RootComponents', null, root),
      el('MissingDependencies'),
    ),
  );
}
