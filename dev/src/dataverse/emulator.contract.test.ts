// Contract tests: the emulator driven over HTTP by dynamics-web-api, a client we did not write.
import { DynamicsWebApi } from 'dynamics-web-api';
import { type Emulator, createEmulator } from './emulator';
import { fixtureMetadata } from './testing/fixture-metadata';

let emu: Emulator;
let api: DynamicsWebApi;
let port: number;

const client = (token: string, extra: Record<string, unknown> = {}) =>
  new DynamicsWebApi({ serverUrl: `http://127.0.0.1:${port}`, dataApi: { version: '9.2' }, onTokenRefresh: async () => token, propagateErrors: true, ...extra });

async function failure(p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { status: number; code: string; message: string };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  emu = createEmulator({ metadata: fixtureMetadata, db: ':memory:' });
  ({ port } = await emu.listen(0));
  api = client(emu.appToken);
});
afterAll(() => emu.close());

async function channel(name = 'SMS'): Promise<string> {
  return api.create({ collection: 'swb_channels', data: { swb_name: name, swb_provider: 1 } });
}

describe('rows', () => {
  it('create answers 204 with OData-EntityId and the row carries system columns and an etag', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Ann', lastname: 'Lee', mobilephone: '+33612345678' } });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row = await api.retrieve({ collection: 'contacts', key: id });
    expect(row).toMatchObject({ contactid: id, firstname: 'Ann', statecode: 0, statuscode: 1 });
    expect(row['@odata.etag']).toBe(`W/"${row.versionnumber}"`);
    expect(row.createdon).toBeInstanceOf(Date); // dynamics-web-api revives ISO dates
    expect((row.createdon as Date).getMilliseconds()).toBe(0);
    expect(row._ownerid_value).toBe('0a7e0003-0000-4000-8000-000000000001');
    expect(row._createdby_value).toBe(row._ownerid_value);
  });

  it('a user created without isdisabled is stored enabled, as Dataverse fills the default: "isdisabled ne true" finds it', async () => {
    const id = (await api.create({ collection: 'systemusers', data: { fullname: 'Default User', domainname: 'default.user@example.test' } })) as string;
    expect((await api.retrieve<{ isdisabled: boolean }>({ collection: 'systemusers', key: id, select: ['isdisabled'] })).isdisabled).toBe(false);
    const found = await api.retrieveMultiple<{ systemuserid: string }>({ collection: 'systemusers', select: ['systemuserid'], filter: `isdisabled ne true and systemuserid eq ${id}` });
    expect(found.value.map((u) => u.systemuserid)).toEqual([id]);
  });

  it('create with return=representation answers 201 with the selected columns', async () => {
    const row: Record<string, unknown> = await api.create({ collection: 'contacts', data: { firstname: 'Bo', numberofchildren: 2, donotsms: true }, returnRepresentation: true, select: ['firstname', 'donotsms'] });
    expect(row.firstname).toBe('Bo');
    expect(row.donotsms).toBe(true);
    expect(row).not.toHaveProperty('numberofchildren');
    expect(row.contactid).toBeDefined();
  });

  it('an unknown column, a wrong type or a too-long string is a 400, never silently dropped', async () => {
    expect((await failure(api.create({ collection: 'contacts', data: { nosuchcolumn: 1 } }))).status).toBe(400);
    expect((await failure(api.create({ collection: 'contacts', data: { numberofchildren: 'two' } }))).status).toBe(400);
    expect((await failure(api.create({ collection: 'contacts', data: { firstname: 'x'.repeat(51) } }))).status).toBe(400);
    expect((await failure(api.create({ collection: 'swb_channels', data: { swb_name: 'x', swb_provider: 9 } }))).code).toBe('0x8004431a');
  });

  it('lookups are written with @odata.bind and read as _x_value with annotations when asked', async () => {
    const ch = await channel();
    const contact: string = await api.create({ collection: 'contacts', data: { firstname: 'Cy', lastname: 'Ng' } });
    const conv: string = await api.create({
      collection: 'swb_conversations',
      data: { subject: 'Hello', 'swb_channelid@odata.bind': `/swb_channels(${ch})`, 'swb_customerid_contact@odata.bind': `/contacts(${contact})` },
    });
    const plain = await api.retrieve({ collection: 'swb_conversations', key: conv, select: ['_swb_channelid_value', '_swb_customerid_value'] });
    expect(plain._swb_channelid_value).toBe(ch);
    expect(plain['_swb_channelid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBeUndefined();
    const annotated = await api.retrieve({ collection: 'swb_conversations', key: conv, select: ['_swb_customerid_value'], includeAnnotations: '*' });
    expect(annotated['_swb_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('contact');
    expect(annotated['_swb_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty']).toBe('swb_customerid_contact');
    expect(annotated['_swb_customerid_value@OData.Community.Display.V1.FormattedValue']).toBe('Cy Ng'); // fullname follows first and last name
    const ch2 = await api.retrieve({ collection: 'swb_conversations', key: conv, select: ['_swb_channelid_value'], includeAnnotations: 'OData.Community.Display.V1.FormattedValue' });
    expect(ch2['_swb_channelid_value@OData.Community.Display.V1.FormattedValue']).toBe('SMS');
    // a polymorphic lookup needs the <lookup>_<target> navigation property, as in Dataverse
    expect((await failure(api.create({ collection: 'swb_conversations', data: { 'swb_customerid@odata.bind': `/contacts(${contact})` } }))).status).toBe(400);
    // binding to a row that does not exist
    const missing = await failure(api.create({ collection: 'swb_conversations', data: { 'swb_channelid@odata.bind': '/swb_channels(00000000-0000-0000-0000-000000000001)' } }));
    expect([missing.status, missing.code]).toEqual([404, '0x80040217']);
  });

  it('$expand follows single-valued and collection navigation properties with nested options', async () => {
    const ch = await channel('Chat');
    const conv: string = await api.create({ collection: 'swb_conversations', data: { subject: 'Expand me', 'swb_channelid@odata.bind': `/swb_channels(${ch})` } });
    for (let i = 1; i <= 3; i++) {
      await api.create({ collection: 'swb_messages', data: { swb_body: `m${i}`, swb_sequence: i, 'swb_conversationid@odata.bind': `/swb_conversations(${conv})` } });
    }
    const row = await api.retrieve({
      collection: 'swb_conversations', key: conv, select: ['subject'],
      expand: [{ property: 'swb_channelid', select: ['swb_name'] }, { property: 'swb_conversation_messages', select: ['swb_body'], filter: 'swb_sequence ge 2', orderBy: ['swb_sequence desc'] }],
    });
    expect(row.swb_channelid.swb_name).toBe('Chat');
    expect(row.swb_conversation_messages.map((m: { swb_body: string }) => m.swb_body)).toEqual(['m3', 'm2']);
  });

  it('update changes only the given columns and moves the etag forward', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Di', lastname: 'Ro' } });
    const before = await api.retrieve({ collection: 'contacts', key: id });
    await api.update({ collection: 'contacts', key: id, data: { lastname: 'Roe' } });
    const after = await api.retrieve({ collection: 'contacts', key: id });
    expect([after.firstname, after.lastname]).toEqual(['Di', 'Roe']);
    expect(Number(after.versionnumber)).toBeGreaterThan(Number(before.versionnumber));
    // dynamics-web-api's update sends If-Match: * (update only): a missing row is 404, not a create
    const missing = await failure(api.update({ collection: 'contacts', key: '00000000-0000-0000-0000-0000000000aa', data: { lastname: 'x' } }));
    expect([missing.status, missing.code]).toEqual([404, '0x80040217']);
  });

  it('PATCH with return=representation answers 200 for an update and 201 for an upsert that created', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Gil' } });
    const res = await fetch(`${emu.url}contacts(${id})?$select=firstname`, {
      method: 'PATCH', body: JSON.stringify({ firstname: 'Gilles' }),
      headers: { Authorization: `Bearer ${emu.appToken}`, 'Content-Type': 'application/json', Prefer: 'return=representation' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ firstname: 'Gilles', contactid: id });
    const created = await api.upsert({ collection: 'contacts', key: 'a1b2c3d4-0000-4000-8000-0000000000ff', data: { firstname: 'New' }, returnRepresentation: true, select: ['firstname'] });
    expect(created.firstname).toBe('New');
  });

  it('a conditional GET with the current etag answers 304 Not Modified', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Hank' } });
    const { '@odata.etag': etag } = await api.retrieve({ collection: 'contacts', key: id, select: ['firstname'] });
    const get = (tag: string) => fetch(`${emu.url}contacts(${id})`, { headers: { Authorization: `Bearer ${emu.appToken}`, 'If-None-Match': tag } });
    expect((await get(etag)).status).toBe(304);
    await api.update({ collection: 'contacts', key: id, data: { firstname: 'Hank2' } });
    expect((await get(etag)).status).toBe(200);
  });

  it('answers CORS preflights so the browser-hosted agent workspace can call it', async () => {
    const res = await fetch(`${emu.url}contacts`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:7072', 'Access-Control-Request-Headers': 'authorization,prefer' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:7072');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,prefer');
  });

  it('a stale If-Match is 412 for update and delete; the current etag succeeds', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Ed' } });
    const { '@odata.etag': etag } = await api.retrieve({ collection: 'contacts', key: id, select: ['firstname'] });
    await api.update({ collection: 'contacts', key: id, data: { firstname: 'Eddie' }, ifmatch: etag });
    const stale = await failure(api.update({ collection: 'contacts', key: id, data: { firstname: 'Lost' }, ifmatch: etag }));
    expect([stale.status, stale.code]).toEqual([412, '0x80060882']);
    const staleDelete = await failure(api.deleteRecord({ collection: 'contacts', key: id, ifmatch: etag }));
    expect(staleDelete.status).toBe(412);
    const current = await api.retrieve({ collection: 'contacts', key: id, select: ['firstname'] });
    expect(current.firstname).toBe('Eddie');
    await api.deleteRecord({ collection: 'contacts', key: id, ifmatch: current['@odata.etag'] });
    const gone = await failure(api.retrieve({ collection: 'contacts', key: id }));
    expect([gone.status, gone.code]).toEqual([404, '0x80040217']);
  });

  it('upsert by alternate key creates once then updates the same row; create-only and update-only are honoured', async () => {
    const ch = await channel();
    const key = `swb_channelid=${ch},swb_providermessageid='SM''42'`;
    await api.upsert({ collection: 'swb_messages', key, data: { swb_body: 'first' } });
    await api.upsert({ collection: 'swb_messages', key, data: { swb_body: 'second' } });
    const all = await api.retrieveMultiple({ collection: 'swb_messages', filter: `_swb_channelid_value eq ${ch}` });
    expect(all.value).toHaveLength(1);
    expect(all.value[0]).toMatchObject({ swb_body: 'second', swb_providermessageid: "SM'42", _swb_channelid_value: ch });
    const byKey = await api.retrieve({ collection: 'swb_messages', key, select: ['swb_body'] });
    expect(byKey.swb_messageid).toBe(all.value[0].swb_messageid);
    const createOnly = await failure(api.upsert({ collection: 'swb_messages', key, data: { swb_body: 'again' }, ifnonematch: '*' }));
    expect([createOnly.status, createOnly.code]).toEqual([412, '0x80040237']);
    const updateOnly = await failure(api.upsert({ collection: 'swb_messages', key: `swb_channelid=${ch},swb_providermessageid='nope'`, data: { swb_body: 'x' }, ifmatch: '*' }));
    expect(updateOnly.status).toBe(404);
    // upsert on a primary key that does not exist creates the row with that id
    const id = 'a1b2c3d4-0000-4000-8000-00000000abcd';
    await api.upsert({ collection: 'contacts', key: id, data: { firstname: 'Upserted' } });
    expect((await api.retrieve({ collection: 'contacts', key: id })).firstname).toBe('Upserted');
  });

  it('a second row with the same alternate key is refused with the duplicate-record error', async () => {
    const ch = await channel();
    await api.create({ collection: 'swb_messages', data: { swb_providermessageid: 'dup', 'swb_channelid@odata.bind': `/swb_channels(${ch})` } });
    const dup = await failure(api.create({ collection: 'swb_messages', data: { swb_providermessageid: 'DUP', 'swb_channelid@odata.bind': `/swb_channels(${ch})` } }));
    expect(dup.code).toBe('0x80040237');
    const keyNotDeclared = await failure(api.retrieve({ collection: 'swb_messages', key: "swb_providermessageid='dup'" }));
    expect(keyNotDeclared.status).toBe(400);
  });

  it('delete cascades to child rows, removes links, and Restrict blocks the delete', async () => {
    const ch = await channel();
    const conv: string = await api.create({ collection: 'swb_conversations', data: { subject: 'c', 'swb_channelid@odata.bind': `/swb_channels(${ch})` } });
    const msg: string = await api.create({ collection: 'swb_messages', data: { swb_body: 'b', 'swb_conversationid@odata.bind': `/swb_conversations(${conv})` } });
    await api.deleteRecord({ collection: 'swb_conversations', key: conv });
    expect((await failure(api.retrieve({ collection: 'swb_messages', key: msg }))).status).toBe(404);
    await api.create({ collection: 'swb_messages', data: { 'swb_channelid@odata.bind': `/swb_channels(${ch})` } });
    expect((await failure(api.deleteRecord({ collection: 'swb_channels', key: ch }))).status).toBe(400);
  });

  it('N:N rows are associated and disassociated through $ref', async () => {
    const queue: string = await api.create({ collection: 'queues', data: { name: 'Support' } });
    const user = emu.seedUser({ fullname: 'Queue Member', domainname: 'member@switchboard.dev' });
    await api.associate({ collection: 'queues', primaryKey: queue, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: user });
    const members = await api.retrieve({ collection: 'queues', key: queue, expand: [{ property: 'queuemembership_association', select: ['fullname'] }] });
    expect(members.queuemembership_association.map((u: { fullname: string }) => u.fullname)).toEqual(['Queue Member']);
    const fromUser = await api.retrieveMultiple({ collection: `systemusers(${user})/queuemembership_association` });
    expect(fromUser.value.map((q: { queueid: string }) => q.queueid)).toEqual([queue]);
    await api.disassociate({ collection: 'queues', primaryKey: queue, relationshipName: 'queuemembership_association', relatedKey: user });
    const after = await api.retrieve({ collection: 'queues', key: queue, expand: [{ property: 'queuemembership_association' }] });
    expect(after.queuemembership_association).toEqual([]);
  });

  it('single columns can be read, set and cleared', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Fay', emailaddress1: 'f@x.org' } });
    await api.updateSingleProperty({ collection: 'contacts', key: id, fieldValuePair: { firstname: 'Faye' } });
    await api.deleteRecord({ collection: 'contacts', key: id, property: 'emailaddress1' });
    const row = await api.retrieve({ collection: 'contacts', key: id, select: ['firstname', 'emailaddress1'] });
    expect([row.firstname, row.emailaddress1]).toEqual(['Faye', null]);
  });
});

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api#create-related-table-rows-in-one-operation
describe('deep insert', () => {
  it('a conversation and its first messages are one request: collection-valued rows point back at the new row', async () => {
    const conv: string = await api.create({
      collection: 'swb_conversations',
      data: { subject: 'deep', swb_conversation_messages: [{ swb_body: 'hello', swb_sequence: 1 }, { swb_body: 'anyone?', swb_sequence: 2 }] },
    });
    const messages = await api.retrieveMultiple({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${conv}`, select: ['swb_body'], orderBy: ['swb_sequence'] });
    expect(messages.value.map((m: { swb_body: string }) => m.swb_body)).toEqual(['hello', 'anyone?']);
  });

  it('single-valued related rows are created first and bound, nesting further levels, with return=representation', async () => {
    const row: { parentcustomerid_account: { name: string; accountid: string } } = await api.create({
      collection: 'contacts',
      data: { firstname: 'Deep', parentcustomerid_account: { name: 'Deep Co', contact_customer_accounts: [{ firstname: 'Colleague' }] } },
      returnRepresentation: true, select: ['firstname'], expand: [{ property: 'parentcustomerid_account', select: ['name'] }],
    });
    expect(row.parentcustomerid_account.name).toBe('Deep Co');
    const colleagues = await api.retrieveMultiple({ collection: `accounts(${row.parentcustomerid_account.accountid})/contact_customer_accounts`, select: ['firstname'], orderBy: ['firstname'] });
    expect(colleagues.value.map((c: { firstname: string }) => c.firstname)).toEqual(['Colleague', 'Deep']);
  });

  it('is one transaction: a related row that fails rolls every row back', async () => {
    const subject = `deep-fail-${Date.now()}`;
    const err = await failure(api.create({ collection: 'swb_conversations', data: { subject, swb_conversation_messages: [{ swb_body: 'ok' }, { swb_nosuch: 1 }] } }));
    expect(err.status).toBe(400);
    expect((await api.retrieveMultiple({ collection: 'swb_conversations', filter: `subject eq '${subject}'` })).value).toEqual([]);
    expect((await api.retrieveMultiple({ collection: 'swb_messages', filter: "swb_body eq 'ok'" })).value).toEqual([]);
  });

  it('inline related rows in an update are refused: Dataverse has no deep update', async () => {
    const conv: string = await api.create({ collection: 'swb_conversations', data: { subject: 'no deep update' } });
    const err = await failure(api.update({ collection: 'swb_conversations', key: conv, data: { swb_conversation_messages: [{ swb_body: 'x' }] } }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('deep insert works on create only');
    const shape = await failure(api.create({ collection: 'swb_conversations', data: { subject: 'x', swb_conversation_messages: { swb_body: 'not an array' } } }));
    expect(shape.message).toContain('must be an array of objects');
  });
});

describe('documented answers', () => {
  // https://learn.microsoft.com/troubleshoot/power-platform/dataverse/dataverse-web-api-and-sdk/web-api-client-errors
  it('a resource name in the wrong case is 404 Resource not found for the segment, 0x8006088a', async () => {
    const res = await fetch(`${emu.url}Contact`, { headers: { Authorization: `Bearer ${emu.appToken}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: '0x8006088a', message: "Resource not found for the segment 'Contact'." } });
    const viaLib = await failure(api.retrieveMultiple({ collection: 'Contact' }));
    expect([viaLib.status, viaLib.code]).toEqual([404, '0x8006088a']);
  });

  // same page: "Error identified in Payload provided by the user for Entity"
  it('an @odata.bind on a navigation property that does not exist is 400 with 0x80048d19', async () => {
    const acct: string = await api.create({ collection: 'accounts', data: { name: 'Bind target' } });
    const err = await failure(api.create({ collection: 'contacts', data: { firstname: 'test', 'parentcustomerid@odata.bind': `accounts(${acct})` } }));
    expect([err.status, err.code]).toEqual([400, '0x80048d19']);
    expect(err.message).toContain("Error identified in Payload provided by the user for Entity :'contacts'");
    expect(err.message).toContain("An undeclared property 'parentcustomerid' which only has property annotations in the payload");
  });

  // same page: "Could not find a property named" (0x0) and "Invalid property ... was found in entity" (0x0)
  it('unknown property names answer the OData messages Dataverse shows, with code 0x0', async () => {
    const select = await failure(api.retrieveMultiple({ collection: 'contacts', select: ['Firstname'] }));
    expect([select.status, select.code, select.message]).toEqual([400, '0x0', "Could not find a property named 'Firstname' on type 'Microsoft.Dynamics.CRM.contact'."]);
    const payload = await failure(api.create({ collection: 'contacts', data: { Firstname: 'x' } }));
    expect([payload.status, payload.code]).toEqual([400, '0x0']);
    expect(payload.message).toContain("Invalid property 'Firstname' was found in entity 'Microsoft.Dynamics.CRM.contact'");
  });

  // same page: "No HTTP resource was found that matches the request URI"
  it('a function called with POST is 404 No HTTP resource was found', async () => {
    const res = await fetch(`${emu.url}WhoAmI`, { method: 'POST', headers: { Authorization: `Bearer ${emu.appToken}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(`No HTTP resource was found that matches the request URI '${emu.url}WhoAmI'.`);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows
  it('a related collection answers /$count with the bare number as text/plain, honouring $filter', async () => {
    const acct: string = await api.create({ collection: 'accounts', data: { name: 'Counted' } });
    for (const n of ['One', 'Two', 'Three']) await api.create({ collection: 'contacts', data: { firstname: n, 'parentcustomerid_account@odata.bind': `/accounts(${acct})` } });
    const res = await fetch(`${emu.url}accounts(${acct})/contact_customer_accounts/$count`, { headers: { Authorization: `Bearer ${emu.appToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('3');
    expect(await api.count({ collection: `accounts(${acct})/contact_customer_accounts`, filter: "firstname ne 'Two'" })).toBe(2);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api#retrieve-a-single-property-value
  it('a single property /$value is its raw text, and a null value is 204', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Raw', numberofchildren: 4 } });
    const get = (path: string) => fetch(`${emu.url}contacts(${id})/${path}`, { headers: { Authorization: `Bearer ${emu.appToken}` } });
    const first = await get('firstname/$value');
    expect([first.status, first.headers.get('content-type'), await first.text()]).toEqual([200, 'text/plain', 'Raw']);
    expect(await (await get('numberofchildren/$value')).text()).toBe('4');
    expect((await get('lastname/$value')).status).toBe(204);
    expect(await (await get('firstname')).json()).toMatchObject({ value: 'Raw' });
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api#remove-a-reference-to-a-table-row
  it('DELETE .../$ref?$id=<entity URL> removes a collection-valued reference', async () => {
    const acct: string = await api.create({ collection: 'accounts', data: { name: 'Unlink me' } });
    const contact: string = await api.create({ collection: 'contacts', data: { firstname: 'Linked', 'parentcustomerid_account@odata.bind': `/accounts(${acct})` } });
    const res = await fetch(`${emu.url}accounts(${acct})/contact_customer_accounts/$ref?$id=${emu.url}contacts(${contact})`, {
      method: 'DELETE', headers: { Authorization: `Bearer ${emu.appToken}` },
    });
    expect(res.status).toBe(204);
    expect((await api.retrieve({ collection: 'contacts', key: contact, select: ['_parentcustomerid_value'] }))._parentcustomerid_value).toBeNull();
    const queue: string = await api.create({ collection: 'queues', data: { name: 'Unlink queue' } });
    const user = emu.seedUser({ fullname: 'Unlinked Member', domainname: 'unlinked@switchboard.dev' });
    await api.associate({ collection: 'queues', primaryKey: queue, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: user });
    const nn = await fetch(`${emu.url}queues(${queue})/queuemembership_association/$ref?$id=${encodeURIComponent(`${emu.url}systemusers(${user})`)}`, {
      method: 'DELETE', headers: { Authorization: `Bearer ${emu.appToken}` },
    });
    expect(nn.status).toBe(204);
    expect((await api.retrieveMultiple({ collection: `queues(${queue})/queuemembership_association` })).value).toEqual([]);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns#formatted-values
  it('statuscode carries its formatted value like statecode, with activity labels on activity tables', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Formatted' } });
    const row = await api.retrieve({ collection: 'contacts', key: id, select: ['statecode', 'statuscode'], includeAnnotations: 'OData.Community.Display.V1.FormattedValue' });
    expect(row['statecode@OData.Community.Display.V1.FormattedValue']).toBe('Active');
    expect(row['statuscode@OData.Community.Display.V1.FormattedValue']).toBe('Active');
    const conv: string = await api.create({ collection: 'swb_conversations', data: { subject: 'formatted', statecode: 1, statuscode: 2 } });
    const act = await api.retrieve({ collection: 'swb_conversations', key: conv, select: ['statecode', 'statuscode'], includeAnnotations: '*' });
    expect([act['statecode@OData.Community.Display.V1.FormattedValue'], act['statuscode@OData.Community.Display.V1.FormattedValue']]).toEqual(['Completed', 'Completed']);
  });
});

describe('queries', () => {
  let marker: string;
  beforeAll(async () => {
    marker = `q${Date.now()}`;
    const people = [
      { firstname: 'Alice', lastname: marker, numberofchildren: 0, birthdate: '1990-01-01T00:00:00Z', mobilephone: '+4420 7946 0001' },
      { firstname: 'Bob', lastname: marker, numberofchildren: 2, birthdate: '1985-06-15T10:00:00Z', mobilephone: null },
      { firstname: "O'Brien", lastname: marker, numberofchildren: 3, birthdate: '2000-12-31T23:59:59Z', mobilephone: '+33 6 12 34 56 78' },
      { firstname: 'Carla', lastname: marker, numberofchildren: 5, birthdate: null, mobilephone: '+1 555 0100' },
      { firstname: 'dave', lastname: marker, numberofchildren: 1, birthdate: '1970-03-03T03:03:03Z', mobilephone: '+1 555 0199' },
    ];
    for (const p of people) await api.create({ collection: 'contacts', data: p });
  });

  const names = async (filter: string, extra: Record<string, unknown> = {}) =>
    (await api.retrieveMultiple({ collection: 'contacts', select: ['firstname'], filter: `lastname eq '${marker}' and (${filter})`, orderBy: ['firstname'], ...extra }))
      .value.map((r: { firstname: string }) => r.firstname);

  it('$filter supports comparisons, and/or/not, grouping, string functions, null, dates and quote escaping', async () => {
    expect(await names('numberofchildren gt 1 and numberofchildren le 3')).toEqual(['Bob', "O'Brien"]);
    expect(await names('numberofchildren eq 0 or numberofchildren ge 5')).toEqual(['Alice', 'Carla']);
    expect(await names('not (numberofchildren lt 3)')).toEqual(['Carla', "O'Brien"]);
    expect(await names('numberofchildren ne 2 and (startswith(mobilephone, \'+1\') or endswith(firstname, \'ce\'))')).toEqual(['Alice', 'Carla', 'dave']);
    expect(await names("contains(firstname, 'ar')")).toEqual(['Carla']);
    expect(await names('mobilephone eq null')).toEqual(['Bob']);
    expect(await names('birthdate ne null and birthdate lt 1986-01-01T00:00:00Z')).toEqual(['Bob', 'dave']);
    expect(await names("firstname eq 'O''Brien'")).toEqual(["O'Brien"]);
    expect(await names("firstname eq 'DAVE'")).toEqual(['dave']); // Dataverse compares text case-insensitively
    // % and _ are wildcards in string filters: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#use-wildcard-characters
    expect(await names("contains(firstname, 'C%a')")).toEqual(['Carla']);
    expect(await names("startswith(firstname, 'B_b')")).toEqual(['Bob']);
  });

  it('lookup values are filtered with _x_value and an unquoted guid', async () => {
    const acct: string = await api.create({ collection: 'accounts', data: { name: 'Contoso', telephone1: '+1 555 0000' } });
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Emp', 'parentcustomerid_account@odata.bind': `/accounts(${acct})` } });
    const r = await api.retrieveMultiple({ collection: 'contacts', filter: `_parentcustomerid_value eq ${acct}`, select: ['firstname'] });
    expect(r.value.map((x: { contactid: string }) => x.contactid)).toEqual([id]);
    const viaNav = await api.retrieveMultiple({ collection: `accounts(${acct})/contact_customer_accounts`, select: ['firstname'] });
    expect(viaNav.value.map((x: { firstname: string }) => x.firstname)).toEqual(['Emp']);
  });

  it('anything unsupported or malformed is a 400 with a message, never a match-all', async () => {
    const cases = [
      "nosuch eq 'x'",
      "numberofchildren eq 'two'",
      `_parentcustomerid_value eq '00000000-0000-0000-0000-000000000000'`,
      "firstname eq 'unterminated",
      "tolower(firstname) eq 'a'",
      "firstname eq 'a' and",
      "firstname in ('a','b')",
      "contains(firstname, '[ab]')",
    ];
    for (const filter of cases) {
      const err = await failure(api.retrieveMultiple({ collection: 'contacts', filter }));
      expect({ filter, status: err.status }).toEqual({ filter, status: 400 });
      expect(err.message.length).toBeGreaterThan(10);
    }
    expect((await failure(api.retrieveMultiple({ collection: 'contacts', queryParams: ['$skip=1'] }))).status).toBe(400);
  });

  it('$orderby, $top and $count', async () => {
    const r = await api.retrieveMultiple({ collection: 'contacts', filter: `lastname eq '${marker}'`, orderBy: ['numberofchildren desc'], top: 2, count: true, select: ['firstname'] });
    expect(r.value.map((x: { firstname: string }) => x.firstname)).toEqual(['Carla', "O'Brien"]);
    expect(r.oDataCount).toBe(5);
    expect(await api.count({ collection: 'contacts', filter: `lastname eq '${marker}' and numberofchildren gt 0` })).toBe(4);
    expect(await api.count({ collection: 'swb_channels' })).toBeGreaterThan(0);
  });

  it('paging with odata.maxpagesize returns nextLink pages that cover every row exactly once', async () => {
    const first = await api.retrieveMultiple({ collection: 'contacts', filter: `lastname eq '${marker}'`, select: ['firstname'], maxPageSize: 2 });
    expect(first.value).toHaveLength(2);
    expect(first.oDataNextLink).toContain('$skiptoken=');
    const all = await api.retrieveAll({ collection: 'contacts', filter: `lastname eq '${marker}'`, select: ['firstname'], maxPageSize: 2 });
    expect(all.value.map((x: { firstname: string }) => x.firstname).sort()).toEqual(['Alice', 'Bob', 'Carla', "O'Brien", 'dave']);
  });
});

describe('$batch', () => {
  it('a change set commits every operation and Content-ID references resolve', async () => {
    api.startBatch();
    api.create({ collection: 'swb_conversations', data: { subject: 'batched' }, contentId: '1' });
    api.create({ collection: 'swb_messages', data: { swb_body: 'in batch', 'swb_conversationid@odata.bind': '$1' } });
    const [convId, msgId] = await api.executeBatch();
    const msg = await api.retrieve({ collection: 'swb_messages', key: msgId, select: ['_swb_conversationid_value'] });
    expect(msg._swb_conversationid_value).toBe(convId);
  });

  it('a failing operation rolls the whole change set back', async () => {
    const subject = `rollback-${Date.now()}`;
    api.startBatch();
    api.create({ collection: 'swb_conversations', data: { subject } });
    api.create({ collection: 'swb_messages', data: { swb_nosuchcolumn: 'boom' } });
    const result = await api.executeBatch().catch((e: unknown) => e);
    const parts = Array.isArray(result) ? result : [result];
    expect(parts.some((p: { status?: number }) => p && p.status === 400)).toBe(true);
    const found = await api.retrieveMultiple({ collection: 'swb_conversations', filter: `subject eq '${subject}'` });
    expect(found.value).toHaveLength(0);
  });

  it('reads outside change sets are answered in order', async () => {
    const id: string = await api.create({ collection: 'contacts', data: { firstname: 'Batchy' } });
    api.startBatch();
    api.retrieve({ collection: 'contacts', key: id, select: ['firstname'] });
    api.retrieveMultiple({ collection: 'contacts', filter: `contactid eq ${id}`, select: ['firstname'] });
    const [one, many] = await api.executeBatch();
    expect(one.firstname).toBe('Batchy');
    expect(many.value[0].firstname).toBe('Batchy');
  });
});

// Raw multipart bodies: dynamics-web-api cannot send a malformed batch or leave out continue-on-error per test.
function batchBody(boundary: string, parts: { method: string; url: string; body?: unknown }[]): string {
  const lines: string[] = [];
  for (const p of parts) {
    lines.push(`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', `${p.method} ${p.url} HTTP/1.1`);
    if (p.body !== undefined) lines.push('Content-Type: application/json; type=entry', '', JSON.stringify(p.body));
    else lines.push('');
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

const postBatch = (body: string, boundary: string, prefer?: string) =>
  fetch(`${emu.url}$batch`, {
    method: 'POST', body,
    headers: { Authorization: `Bearer ${emu.appToken}`, 'Content-Type': `multipart/mixed; boundary=${boundary}`, ...(prefer ? { Prefer: prefer } : {}) },
  });

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api#handling-errors
describe('$batch errors', () => {
  it('a batch that stops at a failing request answers 400 with the responses up to the failure, and runs nothing after it', async () => {
    const marker = `stop-${Date.now()}`;
    const body = batchBody('batch_stop', [
      { method: 'POST', url: '/api/data/v9.2/contacts', body: { firstname: 'First', lastname: marker } },
      { method: 'POST', url: '/api/data/v9.2/contacts', body: { firstname: 'x'.repeat(51), lastname: marker } },
      { method: 'POST', url: '/api/data/v9.2/contacts', body: { firstname: 'Never', lastname: marker } },
    ]);
    const res = await postBatch(body, 'batch_stop');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 204', 'HTTP/1.1 400']);
    expect(text).toContain('"code":"0x80044331"');
    const left = await api.retrieveMultiple({ collection: 'contacts', filter: `lastname eq '${marker}'`, select: ['firstname'] });
    expect(left.value.map((r: { firstname: string }) => r.firstname)).toEqual(['First']);
  });

  it('with Prefer: odata.continue-on-error the batch answers 200 and every request runs, failures in their own parts', async () => {
    const marker = `cont-${Date.now()}`;
    const body = batchBody('batch_cont', [
      { method: 'POST', url: '/api/data/v9.2/contacts', body: { firstname: 'x'.repeat(51), lastname: marker } },
      { method: 'POST', url: '/api/data/v9.2/contacts', body: { firstname: 'Second', lastname: marker } },
    ]);
    const res = await postBatch(body, 'batch_cont', 'odata.continue-on-error');
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('odata.continue-on-error');
    expect((await res.text()).match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 400', 'HTTP/1.1 204']);
    const left = await api.retrieveMultiple({ collection: 'contacts', filter: `lastname eq '${marker}'`, select: ['firstname'] });
    expect(left.value.map((r: { firstname: string }) => r.firstname)).toEqual(['Second']);
  });

  it('a body that is not a multipart batch is a 400, never an empty 200', async () => {
    for (const body of ['garbage', '--other\r\nContent-Type: application/http\r\n\r\nGET /x HTTP/1.1\r\n\r\n--other--', '']) {
      const res = await postBatch(body, 'batch_x');
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/batch/);
    }
    const unterminated = batchBody('batch_u', [{ method: 'GET', url: '/api/data/v9.2/WhoAmI' }]).replace('--batch_u--', '');
    expect((await postBatch(unterminated, 'batch_u')).status).toBe(400);
  });

  it('a Content-ID reference to a request that does not exist is a 400 naming it', async () => {
    api.startBatch();
    api.create({ collection: 'swb_messages', data: { swb_body: 'orphan', 'swb_conversationid@odata.bind': '$7' } });
    // dynamics-web-api hands back the parsed parts of a failed batch: [{ status, error: { code, message } }]
    const [first] = (await api.executeBatch().catch((e: unknown) => e)) as { status: number; error: { message: string } }[];
    expect(first.status).toBe(400);
    expect(first.error.message).toBe("Content-ID Reference: '$7' does not exist in the batch context.");
  });
});

describe('service', () => {
  it('WhoAmI names the calling user', async () => {
    const me = await api.callFunction({ name: 'WhoAmI' });
    expect(me.UserId).toBe('0a7e0003-0000-4000-8000-000000000001');
    expect(me.OrganizationId).toBeDefined();
  });

  it('EntityDefinitions give entity set names, keys and attributes', async () => {
    const def = await api.retrieveEntity({ key: "LogicalName='swb_message'", select: ['EntitySetName', 'PrimaryIdAttribute'], expand: [{ property: 'Attributes' }] });
    expect(def).toMatchObject({ EntitySetName: 'swb_messages', PrimaryIdAttribute: 'swb_messageid' });
    expect(def.Attributes.find((a: { LogicalName: string }) => a.LogicalName === 'swb_conversationid')).toMatchObject({ AttributeType: 'Lookup', Targets: ['swb_conversation'] });
    const byName = client(emu.appToken, { useEntityNames: true });
    const rows = await byName.retrieveMultiple({ collection: 'swb_channel', select: ['swb_name'], top: 1 });
    expect(rows.value).toHaveLength(1);
  });

  it('injected faults answer 429 with Retry-After and the service-protection error', async () => {
    const faulty = createEmulator({ metadata: fixtureMetadata, db: ':memory:', faults: '429:0.5,503:0.5', random: (() => { let i = 0; return () => [0.1, 0.7][i++ % 2]; })() });
    const { url } = await faulty.listen(0);
    try {
      const res = await fetch(`${url}WhoAmI`, { headers: { Authorization: `Bearer ${faulty.appToken}` } });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('0x80072322');
      expect((await fetch(`${url}WhoAmI`, { headers: { Authorization: `Bearer ${faulty.appToken}` } })).status).toBe(503);
    } finally {
      await faulty.close();
    }
  });
});
