// An AppDef → the two blocks Dataverse exports in customizations.xml for a model-driven
// app: `<AppModuleSiteMap>` (under `<AppModuleSiteMaps>`, holding the `<SiteMap>` that
// SiteMap.xsd describes) and `<AppModule>` (under `<AppModules>`) with its components and
// role map. The SDK schema predates both; the published one declares them, minus a few elements
// exports carry (validate/set-aside.ts).
import type { AppDef } from '../ui/types';
import { el, leaf, type XmlElement } from '../xml/xml';
import { braced } from './names';

const LANGUAGES = [1033, 1036] as const;

/** AppModuleComponent types: the solution component type codes. */
export const AppComponentType = { Entity: 1, View: 26, Form: 60, SiteMap: 62 } as const;

/** The icon every exported app without its own icon points at (a system web resource). */
export const DEFAULT_APP_ICON = '953b9fac-1e5e-e611-80d6-00155ded156f';

const titles = (l: { 1033: string; 1036: string }) => el('Titles', null, LANGUAGES.map((lcid) => el('Title', { LCID: lcid, Title: l[lcid] })));

export function siteMapTree(app: AppDef): XmlElement {
  return el('SiteMap', null,
    app.areas.map((area) =>
      el('Area', { Id: area.id, ShowGroups: 'true' },
        titles(area.title),
        area.groups.map((group) =>
          el('Group', { Id: group.id, IsProfile: 'false' },
            titles(group.title),
            group.subAreas.map((s) =>
              el('SubArea', { Id: s.id, Entity: s.table, Client: 'All,Outlook,OutlookLaptopClient,OutlookWorkstationClient,Web', AvailableOffline: 'true', PassParams: 'false', Sku: 'All,OnPremise,Live,SPLA' }, titles(s.title))),
          )),
      )),
  );
}

export function appModuleSiteMapTree(app: AppDef): XmlElement {
  return el('AppModuleSiteMap', null,
    leaf('SiteMapUniqueName', app.uniqueName),
    leaf('EnableCollapsibleGroups', 'False'),
    leaf('ShowHome', 'True'),
    leaf('ShowPinned', 'True'),
    leaf('ShowRecents', 'True'),
    siteMapTree(app),
    el('LocalizedNames', null, LANGUAGES.map((lcid) => el('LocalizedName', { description: app.name[lcid], languagecode: lcid }))),
  );
}

export function appModuleTree(app: AppDef, introducedVersion: string): XmlElement {
  return el('AppModule', null,
    leaf('UniqueName', app.uniqueName),
    // Exported apps carry it, and the published schema requires it.
    leaf('IntroducedVersion', introducedVersion),
    leaf('WebResourceId', DEFAULT_APP_ICON),
    leaf('statecode', 0),
    leaf('statuscode', 1),
    leaf('FormFactor', 1),
    leaf('ClientType', 4), // 4 = Unified Interface
    leaf('NavigationType', 0),
    el('AppModuleComponents', null,
      app.tables.map((t) => el('AppModuleComponent', { type: AppComponentType.Entity, schemaName: t })),
      app.forms.map((id) => el('AppModuleComponent', { type: AppComponentType.Form, id: braced(id) })),
      app.views.map((id) => el('AppModuleComponent', { type: AppComponentType.View, id: braced(id) })),
      el('AppModuleComponent', { type: AppComponentType.SiteMap, schemaName: app.uniqueName }),
    ),
    el('AppModuleRoleMaps', null, app.roles.map((id) => el('Role', { id: braced(id) }))),
    el('LocalizedNames', null, LANGUAGES.map((lcid) => el('LocalizedName', { description: app.name[lcid], languagecode: lcid }))),
    el('Descriptions', null, LANGUAGES.map((lcid) => el('Description', { description: app.description[lcid], languagecode: lcid }))),
    el('appsettings', null,
      el('appsetting', { 'settingdefinitionid.uniquename': 'AppChannel' }, leaf('iscustomizable', 1), leaf('value', 1)),
    ),
  );
}
