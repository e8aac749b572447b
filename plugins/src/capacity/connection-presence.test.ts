import { AgentConnectionState, BasePresence, type AgentStatusRow } from '@switchboard/solution';
import { RecordingPush, fakeDeps } from '../testing/fakes';
import { connectionBack, connectionLost } from './connection-presence';

const AGENT = '22222222-2222-4222-8222-222222222222';
const STATUS = '5c000000-0000-4000-8000-000000000001';
const NOW = Date.parse('2026-11-24T10:00:05Z');
/** When the push service said the connection closed; the grace (2.5 min) has passed since. */
const SINCE = Date.parse('2026-11-24T09:57:30Z');

function setup(row: Partial<AgentStatusRow> = {}, connected: boolean | 'unknown' = false) {
  const push = new RecordingPush();
  push.connected.set(AGENT, connected === 'unknown' ? undefined : connected);
  const f = fakeDeps(NOW, { push });
  f.data.seed(f.data.agentStatuses, STATUS, {
    swb_agentstatusid: STATUS, _swb_agentid_value: AGENT, swb_basepresence: BasePresence.Busy, swb_manualoverride: true,
    swb_connectionstate: AgentConnectionState.Connected, swb_capacityused: 1, swb_capacitymax: 3, swb_presencesince: '2026-11-24T09:00:00.000Z', ...row,
  });
  return { ...f, push };
}

const statusRow = (f: ReturnType<typeof setup>) => f.data.agentStatuses.get(STATUS)!.row;

describe('connection presence', () => {
  describe('connectionLost, after the grace', () => {
    it('writes nothing while the agent still has a live connection (a reload, a second tab)', async () => {
      const f = setup({}, true);
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('still-connected');
      expect(f.push.calls).toEqual([{ op: 'isConnected', target: AGENT }]);
      expect(f.data.writes).toEqual([]);
    });

    it('never takes an agent off the floor on a guess: unknown connection, or no push service, writes nothing', async () => {
      const f = setup({}, 'unknown');
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('unknown');
      const { push: _none, ...withoutPush } = f.deps;
      expect(await connectionLost(AGENT, SINCE, withoutPush)).toBe('unknown');
      expect(f.data.writes).toEqual([]);
      expect(statusRow(f)).toMatchObject({ swb_basepresence: BasePresence.Busy, swb_connectionstate: AgentConnectionState.Connected });
    });

    it('takes an agent with no connection Offline, forgets their manual choice, and records when the connection was lost', async () => {
      const f = setup();
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('lost');
      expect(f.data.writes).toEqual([{
        table: 'swb_agentstatus', id: STATUS,
        patch: {
          swb_connectionstate: AgentConnectionState.Disconnected, swb_disconnectedon: '2026-11-24T09:57:30.000Z', swb_basepresence: BasePresence.Offline,
          swb_manualoverride: false, swb_presencesince: '2026-11-24T10:00:05.000Z',
        },
      }]);
      // Capacity is not presence: what the agent holds stays counted.
      expect(statusRow(f)).toMatchObject({ swb_capacityused: 1, swb_capacitymax: 3 });
    });

    it('brings back an agent who connected again between the check and the write: Offline never sticks to a live desk', async () => {
      const f = setup();
      const answers = [false, true];
      f.push.isConnected = async (userId: string) => {
        f.push.calls.push({ op: 'isConnected', target: userId });
        return answers.shift();
      };
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('still-connected');
      expect(statusRow(f)).toMatchObject({ swb_connectionstate: AgentConnectionState.Connected, swb_manualoverride: false });
      expect(statusRow(f).swb_basepresence).not.toBe(BasePresence.Offline);
      expect(f.push.of('isConnected')).toHaveLength(2);
    });

    it('leaves a signed-out agent untouched', async () => {
      const f = setup({ swb_connectionstate: AgentConnectionState.SignedOut, swb_basepresence: BasePresence.Offline });
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('signed-out');
      expect(f.data.writes).toEqual([]);
    });

    it('leaves an agent whose connection is already marked lost untouched (a second closed tab)', async () => {
      const f = setup({ swb_connectionstate: AgentConnectionState.Disconnected, swb_basepresence: BasePresence.Offline, swb_disconnectedon: '2026-11-24T09:55:00.000Z' });
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('already-lost');
      expect(f.data.writes).toEqual([]);
      expect(statusRow(f).swb_disconnectedon).toBe('2026-11-24T09:55:00.000Z');
    });

    it('writes nothing for a user without a status row', async () => {
      const f = setup();
      f.data.agentStatuses.clear();
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('no-status');
      expect(f.data.writes).toEqual([]);
    });

    it('reads the row again after another writer changed it in between (412) and then writes', async () => {
      const f = setup();
      let raced = false;
      f.data.beforeConditionalWrite = () => {
        if (raced) return;
        raced = true;
        f.data.touch(f.data.agentStatuses, STATUS, { swb_capacityused: 2 });
      };
      const reads = jest.spyOn(f.data, 'getAgentStatus');
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('lost');
      expect(reads).toHaveBeenCalledTimes(2);
      expect(statusRow(f)).toMatchObject({ swb_capacityused: 2, swb_basepresence: BasePresence.Offline, swb_connectionstate: AgentConnectionState.Disconnected });
    });

    it('judges the row it read again: an agent who signed out meanwhile stays signed out', async () => {
      const f = setup();
      f.data.beforeConditionalWrite = () => {
        f.data.beforeConditionalWrite = undefined;
        f.data.touch(f.data.agentStatuses, STATUS, { swb_connectionstate: AgentConnectionState.SignedOut, swb_basepresence: BasePresence.Offline });
      };
      expect(await connectionLost(AGENT, SINCE, f.deps)).toBe('signed-out');
      expect(f.data.writes).toEqual([]);
    });

    it('fails, for the worker to retry, when the row keeps changing under it', async () => {
      const f = setup();
      f.data.beforeConditionalWrite = () => f.data.touch(f.data.agentStatuses, STATUS);
      await expect(connectionLost(AGENT, SINCE, f.deps)).rejects.toThrow(/kept changing/);
      expect(f.data.writes).toEqual([]);
    });
  });

  describe('connectionBack', () => {
    const lost = (row: Partial<AgentStatusRow> = {}) => setup({
      swb_connectionstate: AgentConnectionState.Disconnected, swb_disconnectedon: '2026-11-24T09:57:30.000Z', swb_basepresence: BasePresence.Offline,
      swb_manualoverride: false, swb_defaultpresence: null, ...row,
    });

    it('restores a lost connection: Connected, manual choice off, and routing woken for the agent', async () => {
      const f = lost({ swb_capacityused: 0 });
      expect(await connectionBack(AGENT, f.deps)).toBe('restored');
      expect(f.data.writes).toEqual([{
        table: 'swb_agentstatus', id: STATUS,
        patch: {
          swb_connectionstate: AgentConnectionState.Connected, swb_disconnectedon: null, swb_basepresence: BasePresence.Available,
          swb_manualoverride: false, swb_presencesince: '2026-11-24T10:00:05.000Z',
        },
      }]);
      expect(f.routingTrigger.items).toEqual([{ work: { kind: 'route-agent', agentId: AGENT, recompute: false, reason: 'connected again', at: NOW } }]);
    });

    it('gives the presence capacity gives: Available with nothing held, Busy partly full, Do not disturb at capacity', async () => {
      const presenceAfter = async (used: number, max: number, defaultPresence: BasePresence | null = null) => {
        const f = lost({ swb_capacityused: used, swb_capacitymax: max, swb_defaultpresence: defaultPresence });
        await connectionBack(AGENT, f.deps);
        return statusRow(f).swb_basepresence;
      };
      expect(await presenceAfter(0, 3)).toBe(BasePresence.Available);
      expect(await presenceAfter(1, 3)).toBe(BasePresence.Busy);
      expect(await presenceAfter(3, 3)).toBe(BasePresence.DoNotDisturb);
      // A default that is not Away or Offline leaves presence to capacity.
      expect(await presenceAfter(0, 3, BasePresence.Busy)).toBe(BasePresence.Available);
      expect(await presenceAfter(1, 3, BasePresence.Available)).toBe(BasePresence.Busy);
    });

    it("gives the admin's default presence when it is Away or Offline, whatever capacity says", async () => {
      for (const presence of [BasePresence.Away, BasePresence.Offline]) {
        const f = lost({ swb_capacityused: 0, swb_defaultpresence: presence });
        expect(await connectionBack(AGENT, f.deps)).toBe('restored');
        expect(statusRow(f)).toMatchObject({ swb_basepresence: presence, swb_manualoverride: false, swb_connectionstate: AgentConnectionState.Connected });
      }
    });

    it('leaves a connected agent alone: no write, no routing', async () => {
      const f = setup({ swb_basepresence: BasePresence.Away, swb_manualoverride: true });
      expect(await connectionBack(AGENT, f.deps)).toBe('was-connected');
      expect(f.data.writes).toEqual([]);
      expect(f.routingTrigger.items).toEqual([]);
    });

    it('does not sign in an agent who signed out', async () => {
      const f = setup({ swb_connectionstate: AgentConnectionState.SignedOut, swb_basepresence: BasePresence.Offline });
      await connectionBack(AGENT, f.deps);
      expect(f.data.writes).toEqual([]);
      expect(f.routingTrigger.items).toEqual([]);
    });

    it('reads the row again after another writer changed it in between (412) and then restores', async () => {
      const f = lost({ swb_capacityused: 0 });
      f.data.beforeConditionalWrite = () => {
        f.data.beforeConditionalWrite = undefined;
        f.data.touch(f.data.agentStatuses, STATUS, { swb_capacityused: 3 });
      };
      expect(await connectionBack(AGENT, f.deps)).toBe('restored');
      // Judged on the row as it is now: full.
      expect(statusRow(f).swb_basepresence).toBe(BasePresence.DoNotDisturb);
      expect(f.routingTrigger.items).toHaveLength(1);
    });
  });
});
