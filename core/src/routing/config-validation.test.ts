import { makeConfig, makeQueue, makeWorkstream } from './routing-fixtures';
import { validateRoutingConfig } from './config-validation';

describe('routing configuration validation', () => {
  test('a consistent configuration has no problems', () => {
    expect(validateRoutingConfig(makeConfig())).toEqual([]);
  });

  test('every broken reference and condition is reported with where it is', () => {
    const config = makeConfig({
      queues: [
        makeQueue('q1', {
          operatingHoursId: 'gone',
          overflow: { itemLimit: { limit: 5, action: { kind: 'queue', queueId: 'nowhere' } } },
          assignment: { kind: 'custom', rules: [{ id: 'seniors', agentCondition: 'agent.level =', orderBy: [] }] },
        }),
        makeQueue('q2', { overflow: { outsideHours: { action: { kind: 'end' } } } }),
      ],
      workstreams: [makeWorkstream({ capacityProfileId: 'voice', allowedPresences: [], ruleset: { classification: [{ id: 'c', condition: 'customer.x = ', set: {} }], routeToQueue: [], fallbackQueueId: 'q1' } })],
    });
    expect(validateRoutingConfig(config).map((p) => `${p.scope} ${p.ruleId} ${p.code}`)).toEqual([
      'workstream:ws-chat c rule.condition',
      'workstream:ws-chat (capacity) rule.target',
      'workstream:ws-chat (presence) rule.target',
      'queue:q1 (hours) rule.target',
      'queue:q1 (overflow item limit) rule.target',
      'queue:q1 seniors rule.condition',
      'queue:q2 (overflow outside hours) rule.target',
    ]);
  });
});
