// The registrations the packer puts into the solution (plugins/dist/steps.json), derived from
// the registry so what Dataverse calls and what we handle cannot drift apart.
import { TABLELESS_MESSAGES, type PluginRegistrations, type StepRegistration } from '@switchboard/solution/pack/plugin-steps';
import type { StepDefinition } from './step';

/** The functions app setting holding the webhook key (functions/src/config.ts reads WEBHOOK_KEY). */
export const WEBHOOK_KEY_SETTING = 'WEBHOOK_KEY';

const STAGE_NAMES = { 10: 'pre-validation', 20: 'pre-operation', 40: 'post-operation' } as const;

export function endpointName(step: StepDefinition): string {
  return `Switchboard ${step.name}`;
}

export function pluginRegistrations(registry: readonly StepDefinition[]): PluginRegistrations {
  return {
    serviceEndpoints: registry.map((step) => ({
      name: endpointName(step),
      url: `{functionsBaseUrl}/dataverse/${step.name}`,
      authType: 'WebhookKey',
      keySettingName: WEBHOOK_KEY_SETTING,
      description: step.description,
    })),
    steps: registry.flatMap((step) =>
      step.triggers.map((t): StepRegistration => {
        const reg: StepRegistration = {
          name: `${t.table ? `${t.table} ` : ''}${t.message} ${STAGE_NAMES[t.stage]}: ${step.name}`,
          serviceEndpoint: endpointName(step),
          message: t.message,
          ...(t.table ? { primaryTable: t.table } : {}),
          stage: t.stage,
          mode: t.mode,
          rank: t.rank ?? 1,
          description: t.description,
        };
        if (t.filteringAttributes) reg.filteringAttributes = [...t.filteringAttributes];
        if (t.images) reg.images = t.images.map((i) => ({ ...i, ...(i.attributes ? { attributes: [...i.attributes] } : {}) }));
        if (t.mode === 'async') reg.asyncAutoDelete = true;
        return reg;
      }),
    ),
  };
}

/** Rules Dataverse enforces at registration time, checked here so a bad step fails the build, not the import. */
export function registrationProblems(regs: PluginRegistrations): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const endpoints = new Set(regs.serviceEndpoints.map((e) => e.name));
  for (const s of regs.steps) {
    if (names.has(s.name)) problems.push(`duplicate step name '${s.name}'`);
    names.add(s.name);
    if (!endpoints.has(s.serviceEndpoint)) problems.push(`${s.name}: unknown service endpoint '${s.serviceEndpoint}'`);
    if (s.mode === 'async' && s.stage !== 40) problems.push(`${s.name}: async steps must be post-operation (40)`);
    if (s.filteringAttributes && s.message !== 'Update') problems.push(`${s.name}: filtering attributes only apply to Update`);
    const tableless = TABLELESS_MESSAGES.includes(s.message);
    if (tableless && s.primaryTable) problems.push(`${s.name}: ${s.message} is registered on no table`);
    if (!tableless && !s.primaryTable) problems.push(`${s.name}: ${s.message} needs a table`);
    if (tableless && s.images?.length) problems.push(`${s.name}: ${s.message} has no images`);
    for (const i of s.images ?? []) {
      if (s.message === 'Create' && i.type !== 'post') problems.push(`${s.name}: Create has no pre-image`);
      if (s.message === 'Delete' && i.type !== 'pre') problems.push(`${s.name}: Delete has no post-image`);
      if (s.stage !== 40 && i.type !== 'pre') problems.push(`${s.name}: post-images exist only post-operation`);
    }
  }
  return problems;
}
