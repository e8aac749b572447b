// Environment variable definitions travel as one file each under
// environmentvariabledefinitions/<schemaname>/, which is how Dataverse exports them;
// customizations.xml does not carry them.
import type { EnvironmentVariableDef, Label } from '../model/types';
import { el, leaf, type XmlElement } from '../xml/xml';

export const environmentVariableTypeCodes: Record<EnvironmentVariableDef['type'], number> = {
  string: 100000000,
  number: 100000001,
  boolean: 100000002,
  json: 100000003,
  secret: 100000005,
};

const labelled = (name: string, l: Label) =>
  el(name, { default: l[1033] }, el('label', { description: l[1033], languagecode: 1033 }), el('label', { description: l[1036], languagecode: 1036 }));

export function environmentVariablePath(v: EnvironmentVariableDef): string {
  return `environmentvariabledefinitions/${v.schemaName}/environmentvariabledefinition.xml`;
}

export function environmentVariableTree(v: EnvironmentVariableDef): XmlElement {
  return el('environmentvariabledefinition', { schemaname: v.schemaName },
    v.defaultValue !== undefined ? leaf('defaultvalue', v.defaultValue) : null,
    labelled('description', v.description),
    labelled('displayname', v.displayName),
    leaf('iscustomizable', '1'),
    leaf('isrequired', '0'),
    leaf('secretstore', v.type === 'secret' ? '1' : '0'),
    leaf('type', environmentVariableTypeCodes[v.type]),
  );
}
