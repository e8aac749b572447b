import { type AgentPresence, DEFAULT_PRESENCE_SETTINGS, type PresenceEvent, type PresenceSettings, presenceBase, reducePresence, signedOutPresence } from './presence';

const S: PresenceSettings = {
  ...DEFAULT_PRESENCE_SETTINGS,
  statuses: [...DEFAULT_PRESENCE_SETTINGS.statuses, { id: 'lunch', name: 'At lunch', base: 'Away' }, { id: 'focus', name: 'Focus time', base: 'DoNotDisturb' }],
};

function run(events: PresenceEvent[], settings = S, start: AgentPresence = signedOutPresence()): AgentPresence {
  return events.reduce((s, e) => reducePresence(s, e, settings), start);
}

const MIN = 60_000;

describe('presence', () => {
  test('an agent is Offline until signed in, then Available when the admin default is Available', () => {
    expect(signedOutPresence().statusId).toBe('Offline');
    expect(run([{ type: 'signIn', at: 0 }]).statusId).toBe('Available');
  });

  test('capacity drives Available → Busy → Do not disturb and back', () => {
    let s = run([{ type: 'signIn', at: 0 }]);
    s = reducePresence(s, { type: 'capacity', load: 'partial' }, S);
    expect(s.statusId).toBe('Busy');
    s = reducePresence(s, { type: 'capacity', load: 'full' }, S);
    expect(s.statusId).toBe('DoNotDisturb');
    s = reducePresence(s, { type: 'capacity', load: 'none' }, S);
    expect(s.statusId).toBe('Available');
  });

  test('a custom status maps to its base presence', () => {
    const s = run([{ type: 'signIn', at: 0 }, { type: 'setStatus', statusId: 'lunch', at: 1 }]);
    expect(s.statusId).toBe('lunch');
    expect(presenceBase(s, S)).toBe('Away');
  });

  test('a manual status is not moved by capacity', () => {
    const s = run([{ type: 'signIn', at: 0 }, { type: 'setStatus', statusId: 'focus', at: 1 }, { type: 'capacity', load: 'none' }, { type: 'capacity', load: 'partial' }]);
    expect(s.statusId).toBe('focus');
  });

  test('picking Available hands presence back to capacity', () => {
    const s = run([{ type: 'signIn', at: 0 }, { type: 'capacity', load: 'partial' }, { type: 'setStatus', statusId: 'Away', at: 1 }, { type: 'setStatus', statusId: 'Available', at: 2 }]);
    expect(s.statusId).toBe('Busy');
  });

  test('the manual override is cleared when the agent goes inactive, and activity brings capacity-driven presence back', () => {
    let s = run([{ type: 'signIn', at: 0 }, { type: 'setStatus', statusId: 'focus', at: 0 }, { type: 'tick', at: 5 * MIN }]);
    expect(s.statusId).toBe('Away');
    expect(s.manualStatusId).toBeNull();
    s = reducePresence(s, { type: 'activity', at: 6 * MIN }, S);
    expect(s.statusId).toBe('Available');
  });

  test('the manual override is cleared on sign-out', () => {
    const s = run([{ type: 'signIn', at: 0 }, { type: 'setStatus', statusId: 'focus', at: 0 }, { type: 'signOut', at: 1 }, { type: 'signIn', at: 2 }]);
    expect(s.statusId).toBe('Available');
  });

  test('a disconnect shorter than 2.5 minutes keeps the old presence, manual choice included', () => {
    const s = run([{ type: 'signIn', at: 0 }, { type: 'setStatus', statusId: 'focus', at: 0 }, { type: 'disconnect', at: 1000 }, { type: 'tick', at: 1000 + 149_000 }, { type: 'reconnect', at: 1000 + 149_000 }]);
    expect(s.statusId).toBe('focus');
  });

  test('a disconnect longer than 2.5 minutes shows Offline, then presence is recomputed on reconnect', () => {
    let s = run([{ type: 'signIn', at: 0 }, { type: 'capacity', load: 'partial' }, { type: 'setStatus', statusId: 'focus', at: 0 }, { type: 'disconnect', at: 1000 }, { type: 'tick', at: 1000 + 150_000 }]);
    expect(s.statusId).toBe('Offline');
    s = reducePresence(s, { type: 'reconnect', at: 200_000 }, S);
    expect(s.statusId).toBe('Busy');
    expect(s.manualStatusId).toBeNull();
  });

  test('when the admin default is Away it wins over capacity until the agent picks a status', () => {
    const away = { ...S, defaultStatusId: 'Away' };
    let s = run([{ type: 'signIn', at: 0 }, { type: 'capacity', load: 'none' }], away);
    expect(s.statusId).toBe('Away');
    s = reducePresence(s, { type: 'setStatus', statusId: 'Available', at: 1 }, away);
    expect(s.statusId).toBe('Available');
  });

  test('when the admin default is Offline the agent stays Offline after sign-in', () => {
    const s = run([{ type: 'signIn', at: 0 }, { type: 'capacity', load: 'partial' }], { ...S, defaultStatusId: 'Offline' });
    expect(s.statusId).toBe('Offline');
  });

  test('a signed-out agent cannot set a status', () => {
    expect(run([{ type: 'setStatus', statusId: 'Available', at: 0 }]).statusId).toBe('Offline');
  });
});
