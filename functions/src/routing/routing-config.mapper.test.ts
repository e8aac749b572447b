import { AssignmentMethod, BasePresence, ChannelType, OverflowAction, OverflowCondition, RoutingRuleKind, WrapUpBlocking } from '@switchboard/solution';
import { routingConfigFromRows } from './routing-config.mapper';

it('rows become the engine configuration: priorities inverted, presences, rules in order, overflow, hours', () => {
  const config = routingConfigFromRows({
    queues: [
      { queueid: 'q1', name: 'VIP', swb_priority: 50, swb_assignmentmethod: AssignmentMethod.LeastActive, swb_itemlimit: 3, swb_overflowconditions: `${OverflowCondition.ItemLimitExceeded}`, swb_overflowaction: OverflowAction.TransferToQueue, _swb_overflowqueueid_value: 'q2' },
      { queueid: 'q2', name: 'General', swb_priority: 10, swb_isfallback: true },
    ],
    workstreams: [
      { swb_workstreamid: 'w1', swb_channeltype: ChannelType.Sms, swb_allowedpresences: `${BasePresence.Available},${BasePresence.DoNotDisturb}`, swb_wrapupblocking: WrapUpBlocking.ForDuration, swb_wrapupseconds: 90 },
    ],
    rules: [
      { swb_routingruleid: 'r2', _swb_workstreamid_value: 'w1', swb_kind: RoutingRuleKind.RouteToQueue, swb_order: 2, swb_condition: 'true', _swb_targetqueueid_value: 'q2' },
      { swb_routingruleid: 'r1', _swb_workstreamid_value: 'w1', swb_kind: RoutingRuleKind.RouteToQueue, swb_order: 1, swb_condition: "customer.tier == 'gold'", _swb_targetqueueid_value: 'q1' },
      { swb_routingruleid: 'r0', _swb_workstreamid_value: 'w1', swb_kind: RoutingRuleKind.RouteToQueue, swb_order: 0, swb_condition: 'true', _swb_targetqueueid_value: 'q1', swb_isenabled: false },
    ],
    hours: [{ swb_operatinghoursid: 'h1', swb_timezone: 'Europe/Paris', swb_weeklyschedule: '{"mon":[["09:00","17:00"]],"sat":[["10:00","12:00"]]}', swb_holidays: '[{"date":"2026-12-25"}]' }],
    profiles: [],
  });
  expect(config.queues.map((q) => [q.id, q.priority, q.assignment.kind])).toEqual([['q1', 950, 'least-active'], ['q2', 990, 'highest-capacity']]);
  expect(config.queues[0]!.overflow).toEqual({ itemLimit: { limit: 3, action: { kind: 'queue', queueId: 'q2' } } });
  const ws = config.workstreams[0]!;
  expect(ws.channel).toBe('sms');
  expect(ws.allowedPresences).toEqual(['Available', 'DoNotDisturb']);
  expect(ws.wrapUpBlocking).toEqual({ kind: 'seconds', seconds: 90 });
  expect(ws.ruleset.routeToQueue.map((r) => r.id)).toEqual(['r1', 'r2']);
  expect(ws.ruleset.fallbackQueueId).toBe('q2');
  expect(config.operatingHours[0]).toEqual({ id: 'h1', timeZone: 'Europe/Paris', weekly: [{ day: 1, from: '09:00', to: '17:00' }, { day: 6, from: '10:00', to: '12:00' }], closedDates: ['2026-12-25'] });
});

it('consecutive rules with one condition and percentages below 100 become one percentage split', () => {
  const rule = (id: string, order: number, queue: string, percentage: number) => ({ swb_routingruleid: id, _swb_workstreamid_value: 'w1', swb_kind: RoutingRuleKind.RouteToQueue, swb_order: order, swb_condition: 'true', _swb_targetqueueid_value: queue, swb_percentage: percentage });
  const config = routingConfigFromRows({
    queues: [{ queueid: 'q1' }, { queueid: 'q2' }],
    workstreams: [{ swb_workstreamid: 'w1', swb_channeltype: ChannelType.LiveChat }],
    rules: [rule('a', 1, 'q1', 70), rule('b', 2, 'q2', 30), rule('c', 3, 'q2', 100)],
    hours: [],
    profiles: [],
  });
  expect(config.workstreams[0]!.ruleset.routeToQueue).toEqual([
    { id: 'a', condition: 'true', distribution: [{ queueId: 'q1', percent: 70 }, { queueId: 'q2', percent: 30 }] },
    { id: 'c', condition: 'true', queueId: 'q2' },
  ]);
});

it("a workstream's sentiment switch rides in the cached configuration: off only when the admin turned it off", () => {
  const config = routingConfigFromRows({
    queues: [{ queueid: 'q1' }],
    workstreams: [
      { swb_workstreamid: 'on', swb_channeltype: ChannelType.LiveChat, swb_sentimentenabled: true },
      { swb_workstreamid: 'off', swb_channeltype: ChannelType.LiveChat, swb_sentimentenabled: false },
      { swb_workstreamid: 'unset', swb_channeltype: ChannelType.Sms },
    ],
    rules: [],
    hours: [],
    profiles: [],
  });
  expect(config.workstreams.map((w) => [w.id, w.sentiment !== false])).toEqual([['on', true], ['off', false], ['unset', true]]);
});
