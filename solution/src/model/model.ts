import { choices } from './choices';
import { environmentVariables } from './environment-variables';
import { fieldSecurityProfiles } from './field-security';
import { relationships } from './relationships';
import { roles } from './roles';
import { tables } from './tables';
import type { DataModel } from './types';

export const model: DataModel = {
  tables,
  choices,
  relationships: relationships(tables),
  roles,
  fieldSecurityProfiles: fieldSecurityProfiles(tables),
  environmentVariables,
};
