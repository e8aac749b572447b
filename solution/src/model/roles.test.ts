import type { PrivilegeDepth, PrivilegeKind, RoleDef } from './types';
import { administratorRole, agentRole, supervisorRole } from './roles';

const rank: Record<PrivilegeDepth, number> = { none: 0, basic: 1, local: 2, deep: 3, global: 4 };
const has = (role: RoleDef, table: string, kind: PrivilegeKind, atLeast: PrivilegeDepth = 'basic') =>
  rank[role.privileges[table]?.[kind] ?? 'none'] >= rank[atLeast];

/** Creating a row with a lookup needs create + append on the row and appendTo on the target. */
const canCreateWithLookups = (role: RoleDef, table: string, targets: string[]) =>
  has(role, table, 'create') && (targets.length === 0 || has(role, table, 'append')) && targets.every((t) => has(role, t, 'appendTo'));

describe('security roles', () => {
  it('an agent can write a message or note on a conversation of their business unit, pointing at its channel and template', () => {
    expect(canCreateWithLookups(agentRole, 'swb_message', ['swb_conversation', 'systemuser', 'swb_channel', 'swb_messagetemplate'])).toBe(true);
    expect(has(agentRole, 'swb_conversation', 'read', 'local')).toBe(true);
  });

  it('a message once written is never edited by an agent or a supervisor', () => {
    expect(has(agentRole, 'swb_message', 'write')).toBe(false);
    expect(has(supervisorRole, 'swb_message', 'write')).toBe(false);
  });

  it('an agent can invite a consult but never edits a session afterwards', () => {
    expect(canCreateWithLookups(agentRole, 'swb_session', ['swb_conversation', 'systemuser'])).toBe(true);
    expect(has(agentRole, 'swb_session', 'write')).toBe(false);
  });

  it('an agent can answer their own offers and set their own presence', () => {
    expect(has(agentRole, 'swb_offer', 'write')).toBe(true);
    expect(agentRole.privileges.swb_offer?.write).toBe('basic');
    expect(canCreateWithLookups(agentRole, 'swb_agentstatus', ['systemuser'])).toBe(true);
    expect(agentRole.privileges.swb_agentstatus?.write).toBe('basic');
  });

  it('an agent can see every agent presence (consult picks among them) and raise a case from a conversation', () => {
    expect(has(agentRole, 'swb_agentstatus', 'read', 'global')).toBe(true);
    expect(canCreateWithLookups(agentRole, 'incident', ['swb_conversation', 'contact', 'account'])).toBe(true);
  });

  it('an agent reads configuration but never changes it, and deletes nothing but their own push tickets', () => {
    for (const [table, p] of Object.entries(agentRole.privileges)) {
      if (table === 'swb_pushticket') continue;
      expect(p.delete ?? 'none').toBe('none');
      if (table.startsWith('swb_') && !['swb_conversation', 'swb_message', 'swb_session', 'swb_offer', 'swb_agentstatus'].includes(table)) {
        expect([table, p.read]).toEqual([table, 'global']);
        expect([table, p.write ?? 'none', p.create ?? 'none']).toEqual([table, 'none', 'none']);
      }
    }
  });

  it('a push ticket is the agent\'s own: created, read and deleted at user depth, never written (its address is the app\'s)', () => {
    for (const role of [agentRole, supervisorRole]) {
      expect(role.privileges['swb_pushticket']).toEqual({ create: 'basic', read: 'basic', delete: 'basic' });
    }
  });

  it('a supervisor reads everything and may move routing state for anyone, but not configure channels', () => {
    for (const t of ['swb_conversation', 'swb_session', 'swb_offer', 'swb_agentstatus']) {
      expect(has(supervisorRole, t, 'read', 'global')).toBe(true);
      expect(has(supervisorRole, t, 'write', 'global')).toBe(true);
    }
    expect(has(supervisorRole, 'swb_conversation', 'assign', 'global')).toBe(true);
    expect(has(supervisorRole, 'swb_channel', 'write')).toBe(false);
  });

  it("the supervisor's audit trail is written once and never edited; agents neither read it nor open the desk", () => {
    expect(canCreateWithLookups(supervisorRole, 'swb_supervisoraction', ['swb_conversation', 'systemuser', 'queue'])).toBe(true);
    for (const role of [agentRole, supervisorRole, administratorRole]) {
      expect(has(role, 'swb_supervisoraction', 'write')).toBe(false);
      expect(has(role, 'swb_supervisoraction', 'delete')).toBe(false);
    }
    expect(has(agentRole, 'swb_supervisoraction', 'read')).toBe(false);
    expect(has(agentRole, 'swb_supervisordesk', 'read')).toBe(false);
    expect(has(supervisorRole, 'swb_supervisordesk', 'read', 'global')).toBe(true);
    expect(has(administratorRole, 'swb_supervisoraction', 'read', 'global')).toBe(true);
  });

  it('an administrator has full control of every configuration table', () => {
    for (const t of ['swb_workstream', 'swb_routingrule', 'swb_channel', 'swb_chatwidget', 'swb_operatinghours', 'swb_automatedmessage']) {
      for (const k of ['create', 'read', 'write', 'delete', 'append', 'appendTo'] as const) expect([t, k, has(administratorRole, t, k, 'global')]).toEqual([t, k, true]);
    }
  });
});
