import fc from 'fast-check';
import { AgentConnectionState, BasePresence, ConversationState, WrapUpBlocking } from '@switchboard/solution';
import { agentLoad, presenceAfterLoad, wrapUpBlockingOf } from './agent-load';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const ws = (kind?: WrapUpBlocking, seconds = 0, units = 1) => ({ swb_wrapupblocking: kind ?? null, swb_wrapupseconds: seconds, swb_capacityunits: units, _swb_capacityprofileid_value: null });
const conv = (id: string, state: ConversationState, wrapupon?: string) => ({ activityid: id, swb_state: state, swb_wrapupon: wrapupon ?? null });
const status = (presence: BasePresence, extra = {}) => ({
  swb_basepresence: presence, swb_manualoverride: false, swb_connectionstate: AgentConnectionState.Connected, swb_defaultpresence: null, swb_capacitymax: 3, ...extra,
});

describe('agent load', () => {
  it('maps the workstream choice onto core wrap-up rules, blocking until closed by default', () => {
    expect(wrapUpBlockingOf(ws(WrapUpBlocking.Never))).toEqual({ kind: 'never' });
    expect(wrapUpBlockingOf(ws(WrapUpBlocking.UntilClosed))).toEqual({ kind: 'always' });
    expect(wrapUpBlockingOf(ws(WrapUpBlocking.ForDuration, 90))).toEqual({ kind: 'seconds', seconds: 90 });
    expect(wrapUpBlockingOf(null)).toEqual({ kind: 'always' });
  });

  it('active conversations, blocking wrap-ups and pending offers hold units; released wrap-ups do not', () => {
    const load = agentLoad(
      [
        { conversation: conv('a', ConversationState.Active), workstream: ws(undefined, 0, 2) },
        { conversation: conv('b', ConversationState.WrapUp, '2026-11-24T09:59:30Z'), workstream: ws(WrapUpBlocking.ForDuration, 60) },
        { conversation: conv('c', ConversationState.WrapUp, '2026-11-24T09:58:00Z'), workstream: ws(WrapUpBlocking.ForDuration, 60) },
        { conversation: conv('d', ConversationState.WrapUp, '2026-11-24T09:00:00Z'), workstream: ws(WrapUpBlocking.Never) },
      ],
      [{ conversationId: 'e', workstream: ws() }],
      NOW,
    );
    expect(load.items.map((i) => [i.conversationId, i.phase])).toEqual([['a', 'active'], ['b', 'wrapup'], ['e', 'offered']]);
    expect(load.usedUnits).toBe(4);
    expect(load.nextReleaseAt).toBe(Date.parse('2026-11-24T10:00:30Z'));
  });

  it('capacity drives presence Available → Busy → Do not disturb unless the agent chose one', () => {
    expect(presenceAfterLoad(status(BasePresence.Busy), 0, NOW)).toBe('Available');
    expect(presenceAfterLoad(status(BasePresence.Available), 1, NOW)).toBe('Busy');
    expect(presenceAfterLoad(status(BasePresence.Busy), 3, NOW)).toBe('DoNotDisturb');
    expect(presenceAfterLoad(status(BasePresence.Away, { swb_manualoverride: true }), 0, NOW)).toBe('Away');
  });

  it('an admin default of Away wins over capacity, and a signed-out agent stays Offline', () => {
    expect(presenceAfterLoad(status(BasePresence.Away, { swb_defaultpresence: BasePresence.Away }), 0, NOW)).toBe('Away');
    expect(presenceAfterLoad(status(BasePresence.Offline, { swb_connectionstate: AgentConnectionState.SignedOut }), 0, NOW)).toBe('Offline');
  });

  it('used units never go negative and never exceed what is held', () => {
    const states = [ConversationState.Active, ConversationState.WrapUp, ConversationState.Closed, ConversationState.Open];
    fc.assert(
      fc.property(
        fc.array(fc.record({ state: fc.constantFrom(...states), units: fc.nat(5), blocking: fc.constantFrom(WrapUpBlocking.Never, WrapUpBlocking.UntilClosed, WrapUpBlocking.ForDuration), seconds: fc.nat(600), ago: fc.nat(900) }), { maxLength: 8 }),
        (rows) => {
          const held = rows.map((r, i) => ({
            conversation: conv(String(i), r.state, new Date(NOW - r.ago * 1000).toISOString()),
            workstream: ws(r.blocking, r.seconds, r.units),
          }));
          const load = agentLoad(held, [], NOW);
          const activeUnits = rows.filter((r) => r.state === ConversationState.Active).reduce((s, r) => s + r.units, 0);
          const heldUnits = rows.filter((r) => r.state === ConversationState.Active || r.state === ConversationState.WrapUp).reduce((s, r) => s + r.units, 0);
          return load.usedUnits >= activeUnits && load.usedUnits <= heldUnits;
        },
      ),
      { numRuns: 200 },
    );
  });
});
