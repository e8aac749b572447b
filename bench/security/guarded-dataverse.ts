// The Dataverse emulator with Switchboard's plugin steps registered as webhooks, as an imported
// solution leaves them: the emulator posts real execution contexts to a small server that runs
// the plugins package's own handlers (as the functions app's /api/dataverse/{step} route does),
// and one user per role, onboarded as an admin would (security role + column-security profile).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamicsWebApi } from 'dynamics-web-api';
import { systemClock } from '@switchboard/core';
import { WebApiDataverseAdapter, handleStepWebhook, pluginRegistrations, stepRegistry, verifyWebhookKey, type StepDeps } from '@switchboard/plugins';
import { RecordingDelivery, RecordingRoutingTrigger } from '@switchboard/plugins/testing/fakes';
import { registerSteps } from '@switchboard/plugins/testing/register-steps';
import { metadata } from '@switchboard/solution';
import { createEmulator, type Emulator } from '@switchboard/dev/dataverse';
import { APP_USER_ID } from '@switchboard/dev/dataverse/system-metadata';
import { ROLES, type RoleKey } from './access-matrix';

const KEY = 'guarded-dataverse-webhook-key-0001';

export interface GuardedDataverse {
  emulator: Emulator;
  app: DynamicsWebApi;
  /** A Web API client signed in as the role's user (the app's own token for 'app'). */
  as(role: RoleKey): DynamicsWebApi;
  /** A Web API client signed in as any seeded user, by domain name (the emulator's dev: tokens). */
  asUser(domainname: string): DynamicsWebApi;
  userId(role: RoleKey): string;
  delivery: RecordingDelivery;
  routing: RecordingRoutingTrigger;
  /** Every webhook call the emulator made: step name and our answer's status. */
  webhookCalls: { step: string; status: number }[];
  stop(): Promise<void>;
}

export async function startGuardedDataverse(): Promise<GuardedDataverse> {
  const emulator = createEmulator({ metadata, db: ':memory:', asyncRetry: { baseDelayMs: 20, maxAttempts: 3 } });
  await emulator.listen(0);
  const serverUrl = emulator.url.replace('/api/data/v9.2/', '');
  const client = (token: string) => new DynamicsWebApi({ serverUrl, dataApi: { version: '9.2' }, onTokenRefresh: async () => token, propagateErrors: true });
  const app = client(emulator.appToken);
  const delivery = new RecordingDelivery();
  const routing = new RecordingRoutingTrigger();
  const webhookCalls: { step: string; status: number }[] = [];
  const deps: StepDeps = {
    data: new WebApiDataverseAdapter(app),
    delivery,
    routingTrigger: routing,
    clock: systemClock,
    config: { defaultRegion: 'FR', defaultLanguage: 1033, trustedUserIds: [APP_USER_ID] },
  };
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const step = /^\/api\/dataverse\/([a-z0-9-]+)$/.exec(url.pathname)?.[1];
      const reply = (status: number, body: unknown) => {
        if (step) webhookCalls.push({ step, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (!step || !verifyWebhookKey({ query: url.searchParams, headers: req.headers }, KEY)) return reply(401, { error: { code: 'Unauthorized', message: 'no' } });
      let body: unknown;
      try {
        body = JSON.parse(data);
      } catch {
        return reply(400, { error: { code: 'BadJson', message: 'not JSON' } });
      }
      void handleStepWebhook(step, body, deps).then((r) => reply(r.status, r.body), () => reply(500, { error: { code: 'Failed', message: 'step threw' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await registerSteps(app, pluginRegistrations(stepRegistry), `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, KEY);

  const ids = new Map<RoleKey, string>([['app', APP_USER_ID]]);
  for (const r of ROLES) {
    if (r.key === 'app') continue;
    const role = r.role ? metadata.roles.find((x) => x.name === r.role)!.id : undefined;
    const profile = r.profile ? metadata.fieldSecurityProfiles.find((x) => x.name === r.profile)!.id : undefined;
    ids.set(r.key, emulator.seedUser({
      fullname: `${r.label} User`,
      domainname: `${r.key}@contoso.test`,
      roles: role ? [role] : [],
      fieldSecurityProfiles: profile ? [profile] : [],
    }));
  }
  return {
    emulator,
    app,
    as: (role) => (role === 'app' ? app : client(`dev:${role}@contoso.test`)),
    asUser: (domainname) => client(`dev:${domainname}`),
    userId: (role) => ids.get(role)!,
    delivery,
    routing,
    webhookCalls,
    async stop() {
      await emulator.close();
      await new Promise((r) => server.close(r));
    },
  };
}
