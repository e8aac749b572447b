// Rules for plugins/dist/steps.json that Dataverse would otherwise only enforce at
// registration time, after import.
import type { Metadata } from '../metadata/types';
import { TABLELESS_MESSAGES, type PluginRegistrations } from '../pack/plugin-steps';

export function validateRegistrations(reg: PluginRegistrations, metadata: Metadata): string[] {
  const problems: string[] = [];
  if (!reg || !Array.isArray(reg.serviceEndpoints) || !Array.isArray(reg.steps)) return ['steps.json must have "serviceEndpoints" and "steps" arrays'];
  const endpoints = new Set<string>();
  for (const e of reg.serviceEndpoints) {
    if (!e.name) problems.push('a service endpoint has no name');
    if (endpoints.has(e.name)) problems.push(`service endpoint '${e.name}' is declared twice`);
    endpoints.add(e.name);
    if (e.authType !== 'WebhookKey') problems.push(`service endpoint '${e.name}': authType must be 'WebhookKey'`);
    if (!e.keySettingName || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.keySettingName)) problems.push(`service endpoint '${e.name}': keySettingName must name an app setting (letters, digits, _)`);
    if (!e.url) problems.push(`service endpoint '${e.name}' has no url`);
    if ('key' in e || 'authValue' in e) problems.push(`service endpoint '${e.name}': steps.json must not contain the webhook key itself`);
  }
  const steps = new Set<string>();
  for (const s of reg.steps) {
    const at = `step '${s.name}'`;
    if (steps.has(s.name)) problems.push(`${at} is declared twice`);
    steps.add(s.name);
    if (!endpoints.has(s.serviceEndpoint)) problems.push(`${at} posts to unknown service endpoint '${s.serviceEndpoint}'`);
    if (!['Create', 'Update', 'Delete', ...TABLELESS_MESSAGES].includes(s.message)) problems.push(`${at}: message must be Create, Update, Delete, Associate or Disassociate`);
    if (![10, 20, 40].includes(s.stage)) problems.push(`${at}: stage must be 10, 20 or 40`);
    if (s.mode !== 'sync' && s.mode !== 'async') problems.push(`${at}: mode must be 'sync' or 'async'`);
    if (s.mode === 'async' && s.stage !== 40) problems.push(`${at}: asynchronous steps must run at stage 40 (post-operation)`);
    if (s.rank !== undefined && (!Number.isInteger(s.rank) || s.rank < 1)) problems.push(`${at}: rank must be a positive integer`);
    if (TABLELESS_MESSAGES.includes(s.message)) {
      // Dataverse registers these on no table, so there is nothing to filter on and no image.
      if (s.primaryTable) problems.push(`${at}: ${s.message} steps are registered on no table (primaryTable must be absent)`);
      if (s.filteringAttributes?.length) problems.push(`${at}: filtering attributes apply to Update steps only`);
      if (s.images?.length) problems.push(`${at}: ${s.message} steps have no images`);
      continue;
    }
    const entity = s.primaryTable ? metadata.entities[s.primaryTable] : undefined;
    if (!entity) {
      problems.push(`${at}: unknown primary table '${s.primaryTable}'`);
      continue;
    }
    if (s.filteringAttributes && s.filteringAttributes.length > 0) {
      if (s.message !== 'Update') problems.push(`${at}: filtering attributes apply to Update steps only`);
      for (const a of s.filteringAttributes) if (!entity.attributes[a]) problems.push(`${at}: filtering attribute '${a}' is not a column of '${s.primaryTable}'`);
    }
    for (const image of s.images ?? []) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(image.alias)) problems.push(`${at}: image alias '${image.alias}' must be letters, digits and _`);
      if (image.type !== 'post' && s.message === 'Create') problems.push(`${at}: a Create step has no pre-image`);
      if (image.type !== 'pre' && s.message === 'Delete') problems.push(`${at}: a Delete step has no post-image`);
      if (image.type !== 'pre' && s.stage !== 40) problems.push(`${at}: post-images exist only at stage 40`);
      for (const a of image.attributes ?? []) if (!entity.attributes[a]) problems.push(`${at}: image column '${a}' is not a column of '${s.primaryTable}'`);
    }
  }
  return problems;
}
