import {
  type ConversationRecord,
  type Participant,
  assignPrimary,
  followStoredMove,
  leavesOnEntering,
  canTransition,
  endConsult,
  openConversation,
  primaryAgentOf,
  reopen,
  startConsult,
  transferToAgent,
  transferToQueue,
  transition,
} from './conversation-lifecycle';

function must(r: { ok: true; value: ConversationRecord } | { ok: false; error: { message: string } }): ConversationRecord {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function active(): ConversationRecord {
  return must(assignPrimary(must(transition(openConversation('c1', 0), 'Waiting', 5)), 'alice', 10));
}

describe('conversation lifecycle', () => {
  test('the valid path is Open → Waiting → Active → WrapUp → Closed, with a timestamp at each step', () => {
    let c = active();
    c = must(transition(c, 'WrapUp', 20));
    c = must(transition(c, 'Closed', 30));
    expect(c.timestamps).toEqual({ openedOn: 0, waitingOn: 5, activeOn: 10, firstAssignedOn: 10, wrapUpOn: 20, closedOn: 30 });
  });

  test('invalid transitions are refused with a coded error', () => {
    expect(canTransition('Open', 'WrapUp')).toBe(false);
    expect(canTransition('Closed', 'Active')).toBe(false);
    const r = transition(openConversation('c', 0), 'WrapUp', 1);
    expect(r).toEqual({ ok: false, error: { code: 'lifecycle.invalidTransition', message: 'A conversation cannot go from Open to WrapUp' } });
  });

  test('a conversation with a primary agent cannot be assigned a second one', () => {
    expect(assignPrimary(active(), 'bob', 11).ok).toBe(false);
  });

  test('only the primary agent may consult or transfer', () => {
    const c = active();
    expect(startConsult(c, 'bob', 'carol', 11)).toMatchObject({ ok: false, error: { code: 'lifecycle.notPrimary' } });
    expect(transferToAgent(c, 'bob', 'carol', 11)).toMatchObject({ ok: false, error: { code: 'lifecycle.notPrimary' } });
    expect(transferToQueue(c, 'bob', 11)).toMatchObject({ ok: false, error: { code: 'lifecycle.notPrimary' } });
  });

  test('a consultant joins as consult and leaves without touching the primary', () => {
    let c = must(startConsult(active(), 'alice', 'bob', 11));
    expect(c.participants.filter((p) => p.leftOn === undefined).map((p) => `${p.agentId}:${p.role}`)).toEqual(['alice:primary', 'bob:consult']);
    c = must(endConsult(c, 'bob', 12));
    expect(primaryAgentOf(c)).toBe('alice');
    expect(c.participants.find((p) => p.agentId === 'bob')!.leftOn).toBe(12);
  });

  test('the receiver of a transfer becomes primary and the sender leaves', () => {
    const c = must(transferToAgent(must(startConsult(active(), 'alice', 'bob', 11)), 'alice', 'bob', 12));
    expect(primaryAgentOf(c)).toBe('bob');
    expect(c.participants.filter((p) => p.leftOn === undefined)).toEqual([{ agentId: 'bob', role: 'primary', joinedOn: 12 }]);
  });

  test('transfer to a queue empties the conversation and makes it Open for routing', () => {
    const c = must(transferToQueue(active(), 'alice', 12));
    expect(c.state).toBe('Open');
    expect(primaryAgentOf(c)).toBeNull();
  });

  test('wrap-up ends consults; close ends everyone', () => {
    let c = must(startConsult(active(), 'alice', 'bob', 11));
    c = must(transition(c, 'WrapUp', 20));
    expect(c.participants.filter((p) => p.leftOn === undefined).map((p) => p.agentId)).toEqual(['alice']);
    c = must(transition(c, 'Closed', 30));
    expect(c.participants.every((p) => p.leftOn !== undefined)).toBe(true);
  });

  test('a closed conversation reopens as Open with reopenedOn set', () => {
    const closed = must(transition(active(), 'Closed', 30));
    const c = must(reopen(closed, 40));
    expect(c.state).toBe('Open');
    expect(c.timestamps.reopenedOn).toBe(40);
    expect(c.reopenCount).toBe(1);
    expect(reopen(c, 50).ok).toBe(false);
  });

  test('who leaves on entering a state: consults at wrap-up, everyone on close or back to a queue, nobody on becoming active', () => {
    expect([leavesOnEntering('WrapUp', 'consult'), leavesOnEntering('WrapUp', 'primary')]).toEqual([true, false]);
    for (const to of ['Closed', 'Open', 'Waiting'] as const) expect([leavesOnEntering(to, 'consult'), leavesOnEntering(to, 'primary')]).toEqual([true, true]);
    expect([leavesOnEntering('Active', 'consult'), leavesOnEntering('Active', 'primary')]).toEqual([false, false]);
  });
});

describe('following a stored move', () => {
  const alice: Participant = { agentId: 'alice', role: 'primary', joinedOn: 10 };
  const bob: Participant = { agentId: 'bob', role: 'consult', joinedOn: 11 };

  test('a transfer stored on the row leaves the participants as transferToAgent leaves them', () => {
    const c = must(startConsult(active(), 'alice', 'bob', 11));
    const followed = followStoredMove(c.participants, { from: 'Active', to: 'Active', primaryBefore: 'alice', primaryAfter: 'bob' }, 20);
    expect(followed).toEqual(must(transferToAgent(c, 'alice', 'bob', 20)).participants);
  });

  test('wrap-up, close and a return to the queue leave the participants as the operations do', () => {
    const c = must(startConsult(active(), 'alice', 'bob', 11));
    expect(followStoredMove(c.participants, { from: 'Active', to: 'WrapUp', primaryBefore: 'alice', primaryAfter: 'alice' }, 20)).toEqual(must(transition(c, 'WrapUp', 20)).participants);
    expect(followStoredMove(c.participants, { from: 'Active', to: 'Closed', primaryBefore: 'alice', primaryAfter: 'alice' }, 20)).toEqual(must(transition(c, 'Closed', 20)).participants);
    expect(followStoredMove(c.participants, { from: 'Active', to: 'Open', primaryBefore: 'alice', primaryAfter: null }, 20)).toEqual(must(transferToQueue(c, 'alice', 20)).participants);
  });

  test('an accepted offer adds its agent as primary once: following the same move again changes nothing', () => {
    const once = followStoredMove([], { from: 'Waiting', to: 'Active', primaryBefore: null, primaryAfter: 'alice' }, 10);
    expect(once).toEqual([alice]);
    expect(followStoredMove(once, { from: 'Waiting', to: 'Active', primaryBefore: null, primaryAfter: 'alice' }, 12)).toEqual([alice]);
  });

  test('a receiver who was consulting leaves as consultant and takes part as primary', () => {
    expect(followStoredMove([alice, bob], { from: 'Active', to: 'Active', primaryBefore: 'alice', primaryAfter: 'bob' }, 20)).toEqual([
      { ...alice, leftOn: 20 },
      { ...bob, leftOn: 20 },
      { agentId: 'bob', role: 'primary', joinedOn: 20 },
    ]);
  });
});
