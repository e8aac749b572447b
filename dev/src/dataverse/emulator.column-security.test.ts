// Column security over HTTP, as four callers: an agent in the Agent profile, a user in no profile,
// an administrator in the Administrator profile, and the application user.
// Profiles and membership: https://learn.microsoft.com/power-apps/developer/data-platform/column-level-security#manage-access-using-field-security-profiles
// Reads, filters, orders and aggregates treat a column the caller may not read as null:
// https://learn.microsoft.com/dynamics365/customerengagement/on-premises/developer/use-field-security-control-access-field-values
// Write errors: https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes
// (AttributePrivilegeCreateIsMissing 0x8004F502, AttributePermissionUpdateIsMissingDuringUpdate 0x8004F507)
import { DynamicsWebApi } from 'dynamics-web-api';
import { type Emulator, createEmulator } from './emulator';
import { ADMIN_PROFILE, ADMIN_ROLE, AGENT_PROFILE, AGENT_ROLE, SUPERVISOR_PROFILE, fixtureMetadata } from './testing/fixture-metadata';

let emu: Emulator;
let port: number;
const client = (token: string) =>
  new DynamicsWebApi({ serverUrl: `http://127.0.0.1:${port}`, dataApi: { version: '9.2' }, onTokenRefresh: async () => token, propagateErrors: true });

async function failure(p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { status: number; code: string; message: string };
  }
  throw new Error('expected the request to fail');
}

const APP = 'column-app-token';
let ana: string; // agent, Agent profile
let nico: string; // agent, no profile
let anaStatus: string;
let nicoStatus: string;
const app = () => client(APP);
const asAna = () => client('dev:ana@switchboard.dev');
const asNico = () => client('dev:nico@switchboard.dev');
const asAdam = () => client('dev:adam@switchboard.dev');

beforeAll(async () => {
  emu = createEmulator({ metadata: fixtureMetadata, db: ':memory:', appToken: APP });
  ({ port } = await emu.listen(0));
  ana = emu.seedUser({ fullname: 'Ana Agent', domainname: 'ana@switchboard.dev', roles: [AGENT_ROLE], fieldSecurityProfiles: [AGENT_PROFILE] });
  nico = emu.seedUser({ fullname: 'Nico Noprofile', domainname: 'nico@switchboard.dev', roles: [AGENT_ROLE] });
  emu.seedUser({ fullname: 'Adam Admin', domainname: 'adam@switchboard.dev', roles: [ADMIN_ROLE], fieldSecurityProfiles: [ADMIN_PROFILE] });
  const status = (user: string, name: string, capacity: number): Promise<string> => app().create({
    collection: 'swb_agentstatuses',
    data: { swb_name: name, swb_presence: 1, swb_capacitymax: capacity, swb_capacityused: 1, swb_lastreleaseon: '2026-03-01T10:00:00Z', 'swb_agentid@odata.bind': `/systemusers(${user})`, 'ownerid@odata.bind': `/systemusers(${user})` },
  });
  anaStatus = await status(ana, 'Ana status', 3);
  nicoStatus = await status(nico, 'Nico status', 5);
});
afterAll(() => emu.close());

describe('profiles and membership', () => {
  it('the field security profiles of the metadata are rows, and the app adds users through systemuserprofiles_association', async () => {
    const profiles = await app().retrieveMultiple({ collection: 'fieldsecurityprofiles', select: ['name'], orderBy: ['name'] });
    expect(profiles.value.map((p: { fieldsecurityprofileid: string; name: string }) => [p.name, p.fieldsecurityprofileid])).toEqual([
      ['Switchboard Administrator', ADMIN_PROFILE], ['Switchboard Agent', AGENT_PROFILE], ['Switchboard Supervisor', SUPERVISOR_PROFILE],
    ]);
    const sue = emu.seedUser({ fullname: 'Sue Supervisor', domainname: 'sue-profile@switchboard.dev', roles: [AGENT_ROLE] });
    expect((await client('dev:sue-profile@switchboard.dev').retrieve({ collection: 'swb_agentstatuses', key: anaStatus, select: ['swb_capacitymax'] })).swb_capacitymax).toBeNull();
    await app().associate({ collection: 'systemusers', primaryKey: sue, relationshipName: 'systemuserprofiles_association', relatedCollection: 'fieldsecurityprofiles', relatedKey: SUPERVISOR_PROFILE });
    expect((await client('dev:sue-profile@switchboard.dev').retrieve({ collection: 'swb_agentstatuses', key: anaStatus, select: ['swb_capacitymax'] })).swb_capacitymax).toBe(3);
    const members = await app().retrieveMultiple({ collection: `fieldsecurityprofiles(${SUPERVISOR_PROFILE})/systemuserprofiles_association`, select: ['fullname'] });
    expect(members.value.map((u: { fullname: string }) => u.fullname)).toEqual(['Sue Supervisor']);
    // an agent cannot grant themselves a profile
    const self = await failure(asNico().associate({ collection: 'systemusers', primaryKey: nico, relationshipName: 'systemuserprofiles_association', relatedCollection: 'fieldsecurityprofiles', relatedKey: ADMIN_PROFILE }));
    expect(self.status).toBe(403);
  });
});

describe('an agent in the Agent profile', () => {
  it('reads secured columns', async () => {
    const row = await asAna().retrieve({ collection: 'swb_agentstatuses', key: anaStatus, select: ['swb_capacitymax', 'swb_capacityused', 'swb_lastreleaseon'] });
    expect([row.swb_capacitymax, row.swb_capacityused, row.swb_lastreleaseon]).toEqual([3, 1, new Date('2026-03-01T10:00:00Z')]);
  });

  it('cannot update or create them, but writes the other columns', async () => {
    const update = await failure(asAna().update({ collection: 'swb_agentstatuses', key: anaStatus, data: { swb_capacitymax: 9 } }));
    expect([update.status, update.code, update.message]).toEqual([403, '0x8004F507', "The user doesn't have AttributePrivilegeUpdate and not granted shared access for a secured attribute during update operation"]);
    await asAna().update({ collection: 'swb_agentstatuses', key: anaStatus, data: { swb_presence: 2 } });
    const create = await failure(asAna().create({ collection: 'swb_agentstatuses', data: { swb_name: 'own', swb_capacitymax: 50 } }));
    expect([create.status, create.code, create.message]).toEqual([403, '0x8004F502', 'The user does not have create permissions to a secured field. The requested operation could not be completed.']);
    // leaving a secured column empty needs no permission
    expect(await asAna().create({ collection: 'swb_agentstatuses', data: { swb_name: 'own', swb_capacitymax: null } })).toMatch(/^[0-9a-f-]{36}$/);
    expect((await app().retrieve({ collection: 'swb_agentstatuses', key: anaStatus, select: ['swb_capacitymax', 'swb_presence'] }))).toMatchObject({ swb_capacitymax: 3, swb_presence: 2 });
  });
});

describe('a user in no profile', () => {
  it('reads null in retrieve, retrieveMultiple, $expand, a single property and FetchXML', async () => {
    const n = asNico();
    expect(await n.retrieve({ collection: 'swb_agentstatuses', key: nicoStatus, select: ['swb_name', 'swb_capacitymax', 'swb_lastreleaseon'] }))
      .toMatchObject({ swb_name: 'Nico status', swb_capacitymax: null, swb_lastreleaseon: null });
    const many = await n.retrieveMultiple({ collection: 'swb_agentstatuses', select: ['swb_capacityused'], filter: `swb_agentstatusid eq ${anaStatus}` });
    expect(many.value[0].swb_capacityused).toBeNull();
    const expanded = await n.retrieve({ collection: 'systemusers', key: nico, select: ['fullname'], expand: [{ property: 'swb_systemuser_agentstatuses', select: ['swb_capacitymax'] }] });
    expect(expanded.swb_systemuser_agentstatuses.map((s: { swb_capacitymax: unknown }) => s.swb_capacitymax)).toEqual([null]);
    const single = await fetch(`${emu.url}swb_agentstatuses(${nicoStatus})/swb_capacitymax/$value`, { headers: { Authorization: 'Bearer dev:nico@switchboard.dev' } });
    expect(single.status).toBe(204);
    const fetched = await n.fetch({ collection: 'swb_agentstatuses', fetchXml: `<fetch><entity name='swb_agentstatus'><attribute name='swb_name' /><attribute name='swb_capacitymax' /><filter><condition attribute='swb_agentstatusid' operator='eq' value='${nicoStatus}' /></filter></entity></fetch>` });
    expect(fetched.value[0]).toMatchObject({ swb_name: 'Nico status' });
    expect(fetched.value[0]).not.toHaveProperty('swb_capacitymax');
  });

  it('cannot use filters, orders or aggregates to learn the values: the column is null there too', async () => {
    const n = asNico();
    const names = async (filter: string, orderBy?: string[]) =>
      (await n.retrieveMultiple({ collection: 'swb_agentstatuses', select: ['swb_name'], filter: `(swb_name eq 'Ana status' or swb_name eq 'Nico status') and (${filter})`, orderBy })).value.map((r: { swb_name: string }) => r.swb_name);
    expect(await names('swb_capacitymax eq 5')).toEqual([]);
    expect(await names('swb_capacitymax gt 0')).toEqual([]);
    expect((await names('swb_capacitymax eq null')).sort()).toEqual(['Ana status', 'Nico status']);
    expect(await names("Microsoft.Dynamics.CRM.In(PropertyName='swb_capacitymax',PropertyValues=['3','5'])")).toEqual([]);
    // ordering by a null column leaves the rows in the same order either way
    expect(await names('swb_presence ne null', ['swb_capacitymax desc'])).toEqual(await names('swb_presence ne null', ['swb_capacitymax asc']));
    const [sum] = (await n.retrieveMultiple({ collection: 'swb_agentstatuses', apply: 'aggregate(swb_capacitymax with sum as total,$count as n)' })).value;
    expect(sum).toEqual({ n: 3 });
    const groups = (await n.retrieveMultiple({ collection: 'swb_agentstatuses', apply: 'groupby((swb_capacitymax),aggregate($count as n))' })).value;
    expect(groups).toEqual([{ n: 3 }]);
    const fetchedCount = await n.fetch({ collection: 'swb_agentstatuses', fetchXml: "<fetch><entity name='swb_agentstatus'><attribute name='swb_name' /><filter><condition attribute='swb_capacitymax' operator='ge' value='1' /></filter></entity></fetch>" });
    expect(fetchedCount.value).toEqual([]);
  });

  it('cannot write secured columns either', async () => {
    expect((await failure(asNico().update({ collection: 'swb_agentstatuses', key: nicoStatus, data: { swb_capacityused: 0 } }))).code).toBe('0x8004F507');
    expect((await failure(asNico().create({ collection: 'swb_agentstatuses', data: { swb_name: 'x', swb_lastreleaseon: '2026-03-01T00:00:00Z' } }))).code).toBe('0x8004F502');
  });
});

describe('an administrator in the Administrator profile and the application user', () => {
  it('read and write secured columns', async () => {
    await asAdam().update({ collection: 'swb_agentstatuses', key: nicoStatus, data: { swb_capacitymax: 7 } });
    const created: string = await asAdam().create({ collection: 'swb_agentstatuses', data: { swb_name: 'admin made', swb_capacitymax: 4 } });
    expect((await asAdam().retrieve({ collection: 'swb_agentstatuses', key: created, select: ['swb_capacitymax'] })).swb_capacitymax).toBe(4);
    expect((await asAdam().retrieve({ collection: 'swb_agentstatuses', key: nicoStatus, select: ['swb_capacitymax'] })).swb_capacitymax).toBe(7);
    await app().update({ collection: 'swb_agentstatuses', key: nicoStatus, data: { swb_capacitymax: 6, swb_capacityused: 2 } });
    const [total] = (await app().retrieveMultiple({ collection: 'swb_agentstatuses', apply: `filter(swb_agentstatusid eq ${nicoStatus})/aggregate(swb_capacitymax with sum as total)` })).value;
    expect(total).toEqual({ total: 6 });
  });
});
