import { handleStepWebhook, pluginWebhookService } from './service';
import type { StepDefinition } from './step';
import { executionContext } from './testing/contexts';
import { ConversationState } from '@switchboard/solution';
import { TEST_CONFIG, fakeDeps } from './testing/fakes';

const ID = '5a1b2c3d-0000-4000-8000-00000000c001';
const contactCreate = () => executionContext({ message: 'Create', table: 'contact', id: ID, stage: 20, mode: 'sync', target: { mobilephone: '06 12 34 56 78' } });

describe('step webhook service', () => {
  it('an unknown step name is a 404 in the JSON error contract', async () => {
    const res = await handleStepWebhook('no-such-step', contactCreate(), fakeDeps().deps);
    expect(res).toEqual({ status: 404, body: { error: { code: 'UnknownStep', message: "No plugin step is named 'no-such-step'." } } });
  });

  it('a malformed context is a 400 that says what is wrong', async () => {
    const res = await handleStepWebhook('phone-normalise', { MessageName: 'Create' }, fakeDeps().deps);
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string; message: string } }).error).toMatchObject({ code: 'MalformedExecutionContext', message: expect.stringMatching(/\$\.Stage/) });
  });

  it('an event the step is not registered for is refused instead of acted on', async () => {
    const body = executionContext({ message: 'Create', table: 'contact', id: ID, stage: 10, mode: 'sync', target: { mobilephone: '0612345678' } });
    const res = await handleStepWebhook('phone-normalise', body, fakeDeps().deps);
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string } }).error.code).toBe('StepNotRegisteredForEvent');
  });

  it('a handler that throws is a 500 naming the correlation id, and the detail goes to the log only', async () => {
    const lines: string[] = [];
    const broken: StepDefinition = {
      name: 'broken', description: 'x',
      triggers: [{ message: 'Create', table: 'contact', stage: 20, mode: 'sync', description: 'x' }],
      handler: async () => { throw new Error('secret detail'); },
    };
    const res = await handleStepWebhook('broken', contactCreate(), { ...fakeDeps().deps, log: (l) => lines.push(l) }, [broken]);
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/secret detail/);
    expect(JSON.stringify(res.body)).toMatch(/9c8e7f6a-1b2c-4d3e-8f90-a1b2c3d4e5f6/);
    expect(lines.join('\n')).toMatch(/secret detail/);
  });

  it('a post-operation step cannot smuggle a Target change', async () => {
    const sneaky: StepDefinition = {
      name: 'sneaky', description: 'x',
      triggers: [{ message: 'Create', table: 'contact', stage: 40, mode: 'async', description: 'x' }],
      handler: async () => ({ kind: 'target', attributes: { firstname: 'x' }, note: 'x' }),
    };
    const body = executionContext({ message: 'Create', table: 'contact', id: ID, stage: 40, mode: 'async', target: {} });
    expect((await handleStepWebhook('sneaky', body, fakeDeps().deps, [sneaky])).status).toBe(500);
  });
});

describe('plugin webhook service for the functions composition root', () => {
  it("handles a step and writes its outcome to the invocation's log", async () => {
    const logged: unknown[] = [];
    const service = pluginWebhookService(fakeDeps().deps);
    const res = await service.handle('phone-normalise', contactCreate(), { log: (...args) => logged.push(...args) });
    expect(res.body).toMatchObject({ Target: { mobilephone: '+33612345678' } });
    expect(logged.join('\n')).toMatch(/phone-normalise Create contact\(5a1b2c3d-0000-4000-8000-00000000c001\): target/);
  });
});

describe('contexts Dataverse trimmed (over 256 KB, x-ms-dynamics-msg-size-exceeded)', () => {
  const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  const AGENT = '22222222-2222-4222-8222-222222222222';
  /** What Dataverse posts when the context is too large: no InputParameters, no images. */
  function trimmed(spec: Parameters<typeof executionContext>[0]): Record<string, unknown> {
    const body = executionContext(spec);
    delete body['InputParameters'];
    delete body['PreEntityImages'];
    delete body['PostEntityImages'];
    delete body['ParentContext'];
    return body;
  }

  it('without the header such a context is still refused as malformed', async () => {
    const res = await handleStepWebhook('conversation-state', trimmed({ message: 'Create', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async' }), fakeDeps().deps);
    expect(res.status).toBe(400);
  });

  it('an async step reads the row instead: a new conversation with a huge context is still stamped and routed', async () => {
    const f = fakeDeps();
    f.data.seed(f.data.conversations, CONV, { activityid: CONV, swb_state: ConversationState.Open, swb_context: 'x'.repeat(300_000) });
    const res = await handleStepWebhook('conversation-state', trimmed({ message: 'Create', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async' }), f.deps, undefined, { trimmed: true });
    expect(res.status).toBe(200);
    expect(f.data.conversations.get(CONV)!.row).toMatchObject({ swb_openedon: '2026-11-24T10:00:00.000Z', swb_queuedon: '2026-11-24T10:00:00.000Z' });
    expect(f.routingTrigger.items.map((i) => i.work.kind)).toEqual(['route-conversation']);
  });

  it("a sync guard cannot see what a person is writing, so it refuses the write; the app's own writes go through", async () => {
    const f = fakeDeps();
    const body = (user: string) => trimmed({ message: 'Create', table: 'swb_message', id: ID, stage: 10, mode: 'sync', userId: user });
    const person = await handleStepWebhook('message-guard', body(AGENT), f.deps, undefined, { trimmed: true });
    expect(person.status).toBe(403);
    expect((person.body as { error: { code: string } }).error.code).toBe('payload.tooLarge');
    expect((await handleStepWebhook('message-guard', body(TEST_CONFIG.trustedUserIds[0]!), f.deps, undefined, { trimmed: true })).status).toBe(200);
  });

  it('a row deleted before the trimmed async job ran is nothing to do, not a failure', async () => {
    const f = fakeDeps();
    const res = await handleStepWebhook('conversation-state', trimmed({ message: 'Create', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async' }), f.deps, undefined, { trimmed: true });
    expect(res.status).toBe(200);
    expect(f.routingTrigger.items).toEqual([]);
  });
});
