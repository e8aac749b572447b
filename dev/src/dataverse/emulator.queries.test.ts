// Query features of the Web API, over HTTP with dynamics-web-api (raw fetch where it cannot say
// it): navigation-path and lambda filters, the Microsoft.Dynamics.CRM query functions, parameter
// aliases. The emulator runs on a fixed clock so relative dates are exact.
import { DynamicsWebApi } from 'dynamics-web-api';
import { type Emulator, createEmulator } from './emulator';
import { AGENT_ROLE, fixtureMetadata } from './testing/fixture-metadata';

const NOW = Date.parse('2026-03-04T13:00:00Z');
let emu: Emulator;
let api: DynamicsWebApi;
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

let contoso: string;
let fabrikam: string;

const marker = 'qf';

beforeAll(async () => {
  emu = createEmulator({ metadata: fixtureMetadata, db: ':memory:', now: () => NOW });
  ({ port } = await emu.listen(0));
  api = client(emu.appToken);
  contoso = await api.create({ collection: 'accounts', data: { name: 'Contoso', telephone1: '+1 425 555 0100' } });
  fabrikam = await api.create({ collection: 'accounts', data: { name: 'Fabrikam' } });
  await api.create({ collection: 'accounts', data: { name: 'Empty Inc' } });
  const people = [
    { firstname: 'Alice', numberofchildren: 0, birthdate: '2026-03-04T12:30:00Z', account: contoso, swb_topics: '1,3' },
    { firstname: 'Bob', numberofchildren: 2, birthdate: '2026-03-04T09:00:00Z', account: contoso, swb_topics: '2' },
    { firstname: 'Carla', numberofchildren: 5, birthdate: '2026-03-03T10:00:00Z', account: fabrikam, swb_topics: null },
    { firstname: 'Dave', numberofchildren: 1, birthdate: '2026-03-01T08:00:00Z', account: fabrikam, swb_topics: '3,4' },
    { firstname: 'Erin', numberofchildren: 3, birthdate: '2026-01-23T08:00:00Z', account: null, swb_topics: '4' },
    { firstname: 'Finn', numberofchildren: 4, birthdate: '2026-03-05T08:00:00Z', account: null, swb_topics: null },
  ];
  for (const p of people) {
    await api.create({
      collection: 'contacts',
      data: {
        firstname: p.firstname, lastname: p.firstname === 'Bob' ? 'Bob' : marker, numberofchildren: p.numberofchildren, birthdate: p.birthdate,
        swb_topics: p.swb_topics, ...(p.account ? { 'parentcustomerid_account@odata.bind': `/accounts(${p.account})` } : {}),
      },
    });
  }
});
afterAll(() => emu.close());

const names = async (filter: string, queryParams?: string[]) =>
  (await api.retrieveMultiple({ collection: 'contacts', select: ['firstname'], filter, orderBy: ['firstname'], queryParams }))
    .value.map((r: { firstname: string }) => r.firstname);

const accounts = async (filter: string) =>
  (await api.retrieveMultiple({ collection: 'accounts', select: ['name'], filter, orderBy: ['name'] })).value.map((r: { name: string }) => r.name);

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#filter-using-lookup-column-property-values
describe('filters on related rows', () => {
  it('a path through a lookup filters on the related row, and a missing related row reads as null', async () => {
    expect(await names("parentcustomerid_account/name eq 'Contoso'")).toEqual(['Alice', 'Bob']);
    expect(await names("startswith(parentcustomerid_account/name, 'Fab')")).toEqual(['Carla', 'Dave']);
    expect(await names('parentcustomerid_account/name eq null')).toEqual(['Erin', 'Finn']);
    // further up the chain of single-valued navigation properties
    expect(await names("parentcustomerid_account/createdby/domainname eq 'switchboard-app@switchboard.dev'")).toEqual(['Alice', 'Bob', 'Carla', 'Dave']);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#filter-using-values-of-related-collections
  it('any() and all() filter on a collection-valued navigation property, nested and combined', async () => {
    expect(await accounts("contact_customer_accounts/any(c: c/numberofchildren ge 5)")).toEqual(['Fabrikam']);
    expect(await accounts('contact_customer_accounts/any()')).toEqual(['Contoso', 'Fabrikam']);
    // all() is true for an account without contacts, as OData defines it
    expect(await accounts('contact_customer_accounts/all(c: c/numberofchildren le 2)')).toEqual(['Contoso', 'Empty Inc']);
    expect(await accounts("contact_customer_accounts/any(c: contains(c/firstname, 'ar') and c/numberofchildren gt 1) and startswith(name, 'F')")).toEqual(['Fabrikam']);
    expect(await accounts("not contact_customer_accounts/any(c: c/firstname eq 'Alice')")).toEqual(['Empty Inc', 'Fabrikam']);
    // nested: channels with a conversation that has a message saying 'refund'
    const sms: string = await api.create({ collection: 'swb_channels', data: { swb_name: 'Lambda SMS' } });
    const chat: string = await api.create({ collection: 'swb_channels', data: { swb_name: 'Lambda chat' } });
    for (const [channel, body] of [[sms, 'refund please'], [chat, 'hello']]) {
      const conv: string = await api.create({ collection: 'swb_conversations', data: { subject: 'nested', 'swb_channelid@odata.bind': `/swb_channels(${channel})` } });
      await api.create({ collection: 'swb_messages', data: { swb_body: body, 'swb_conversationid@odata.bind': `/swb_conversations(${conv})` } });
    }
    const channels = await api.retrieveMultiple({
      collection: 'swb_channels', select: ['swb_name'],
      filter: "startswith(swb_name, 'Lambda') and swb_channel_conversations/any(c: c/swb_conversation_messages/any(m: contains(m/swb_body, 'refund')))",
    });
    expect(channels.value.map((r: { swb_name: string }) => r.swb_name)).toEqual(['Lambda SMS']);
  });

  it('collections nested in a lookup, a lambda on a lookup, and unknown names are 400s that say why', async () => {
    for (const filter of [
      "parentcustomerid_account/contact_customer_accounts/any(c: c/firstname eq 'x')",
      "parentcustomerid_account/any(c: c/name eq 'x')",
      "contact_customer_accounts/any(c: c/nosuch eq 'x')",
      "contact_customer_accounts/firstname eq 'x'",
    ]) {
      const err = await failure(api.retrieveMultiple({ collection: filter.startsWith('parent') ? 'contacts' : 'accounts', filter }));
      expect({ filter, status: err.status }).toEqual({ filter, status: 400 });
      expect(err.message.length).toBeGreaterThan(20);
    }
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#column-comparison
  it('two columns of the same row compare with the comparison operators', async () => {
    expect(await names('firstname eq lastname')).toEqual(['Bob']);
    expect((await failure(api.retrieveMultiple({ collection: 'contacts', filter: 'firstname eq numberofchildren' }))).status).toBe(400);
  });
});

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#dataverse-query-functions
describe('query functions', () => {
  it('In, NotIn, Between and NotBetween compare with lists of values, inline or through parameter aliases', async () => {
    expect(await names("Microsoft.Dynamics.CRM.In(PropertyName='firstname',PropertyValues=['Alice','Carla'])")).toEqual(['Alice', 'Carla']);
    expect(await names("Microsoft.Dynamics.CRM.NotIn(PropertyName='numberofchildren',PropertyValues=[\"0\",\"1\",\"2\"])")).toEqual(['Carla', 'Erin', 'Finn']);
    expect(await names('Microsoft.Dynamics.CRM.Between(PropertyName=\'numberofchildren\',PropertyValues=["2","4"])')).toEqual(['Bob', 'Erin', 'Finn']);
    expect(await names('Microsoft.Dynamics.CRM.NotBetween(PropertyName=\'numberofchildren\',PropertyValues=["1","4"])')).toEqual(['Alice', 'Carla']);
    // "Manage single quotes": values with apostrophes go in double quotes, here through aliases
    expect(await names('Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)', ["@p1='firstname'", `@p2=${encodeURIComponent('["Dave","O\'Brian"]')}`])).toEqual(['Dave']);
    expect(await names(`Microsoft.Dynamics.CRM.In(PropertyName='parentcustomerid',PropertyValues=['${fabrikam}'])`)).toEqual(['Carla', 'Dave']);
  });

  it('relative dates follow the clock: last/next X, older than X, today, yesterday, tomorrow, on, on or after, on or before', async () => {
    expect(await names("Microsoft.Dynamics.CRM.LastXHours(PropertyName='birthdate',PropertyValue=2)")).toEqual(['Alice']);
    expect(await names("Microsoft.Dynamics.CRM.LastXHours(PropertyName=@p1,PropertyValue=@p2)", ["@p1='birthdate'", '@p2=5'])).toEqual(['Alice', 'Bob']);
    // last 1 day: from yesterday's midnight to now
    expect(await names("Microsoft.Dynamics.CRM.LastXDays(PropertyName='birthdate',PropertyValue=1)")).toEqual(['Alice', 'Bob', 'Carla']);
    expect(await names("Microsoft.Dynamics.CRM.NextXDays(PropertyName='birthdate',PropertyValue=1)")).toEqual(['Finn']);
    expect(await names("Microsoft.Dynamics.CRM.OlderThanXDays(PropertyName='birthdate',PropertyValue=2)")).toEqual(['Dave', 'Erin']);
    expect(await names("Microsoft.Dynamics.CRM.OlderThanXMinutes(PropertyName='birthdate',PropertyValue=45)")).toEqual(['Bob', 'Carla', 'Dave', 'Erin']);
    expect(await names("Microsoft.Dynamics.CRM.OlderThanXMonths(PropertyName='birthdate',PropertyValue=1)")).toEqual(['Erin']);
    expect(await names("Microsoft.Dynamics.CRM.Today(PropertyName='birthdate')")).toEqual(['Alice', 'Bob']);
    expect(await names("Microsoft.Dynamics.CRM.Yesterday(PropertyName='birthdate')")).toEqual(['Carla']);
    expect(await names("Microsoft.Dynamics.CRM.Tomorrow(PropertyName='birthdate')")).toEqual(['Finn']);
    expect(await names("Microsoft.Dynamics.CRM.On(PropertyName='birthdate',PropertyValue='2026-03-01')")).toEqual(['Dave']);
    expect(await names("Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='birthdate',PropertyValue='2026-03-01')")).toEqual(['Dave', 'Erin']);
    expect(await names("Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='birthdate',PropertyValue='2026-03-04')")).toEqual(['Alice', 'Bob', 'Finn']);
    expect(await names("Microsoft.Dynamics.CRM.ThisMonth(PropertyName='birthdate') and not Microsoft.Dynamics.CRM.Today(PropertyName='birthdate')")).toEqual(['Carla', 'Dave', 'Finn']);
  });

  it('EqualUserId and NotEqualUserId compare a user lookup with the caller', async () => {
    const agent = emu.seedUser({ fullname: 'Query Agent', domainname: 'query-agent@switchboard.dev', roles: [AGENT_ROLE] });
    const as = client('dev:query-agent@switchboard.dev');
    await as.create({ collection: 'swb_conversations', data: { subject: 'mine' } });
    await api.create({ collection: 'swb_conversations', data: { subject: 'app', 'ownerid@odata.bind': `/systemusers(${agent})` } });
    await api.create({ collection: 'swb_conversations', data: { subject: 'not mine' } });
    const subjects = async (c: DynamicsWebApi, filter: string) =>
      (await c.retrieveMultiple({ collection: 'swb_conversations', select: ['subject'], filter: `subject ne 'nested' and ${filter}`, orderBy: ['subject'] })).value.map((r: { subject: string }) => r.subject);
    expect(await subjects(api, "Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')")).toEqual(['not mine']);
    expect(await subjects(as, "Microsoft.Dynamics.CRM.EqualUserId(PropertyName='createdby')")).toEqual(['mine']);
    expect(await subjects(api, "Microsoft.Dynamics.CRM.NotEqualUserId(PropertyName='ownerid')")).toEqual(['app', 'mine']);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/multi-select-picklist#query-data-from-choices
  it('ContainValues and DoesNotContainValues match any of the chosen options of a choices column', async () => {
    expect(await names("Microsoft.Dynamics.CRM.ContainValues(PropertyName='swb_topics',PropertyValues=['3','2'])")).toEqual(['Alice', 'Bob', 'Dave']);
    expect(await names("Microsoft.Dynamics.CRM.DoesNotContainValues(PropertyName='swb_topics',PropertyValues=['4'])")).toEqual(['Alice', 'Bob', 'Carla', 'Finn']);
  });

  it('query functions the emulator does not implement, and names that are not Dataverse functions, are 400s that say so', async () => {
    const fiscal = await failure(api.retrieveMultiple({ collection: 'contacts', filter: "Microsoft.Dynamics.CRM.InFiscalYear(PropertyName='birthdate',PropertyValue=2026)" }));
    expect([fiscal.status, fiscal.message]).toEqual([400, 'The Dataverse emulator does not support the query function Microsoft.Dynamics.CRM.InFiscalYear.']);
    const made = await failure(api.retrieveMultiple({ collection: 'contacts', filter: "Microsoft.Dynamics.CRM.LastXMinutes(PropertyName='birthdate',PropertyValue=5)" }));
    expect([made.status, made.message]).toEqual([400, "'Microsoft.Dynamics.CRM.LastXMinutes' is not a Dataverse query function."]);
    const wrongArg = await failure(api.retrieveMultiple({ collection: 'contacts', filter: "Microsoft.Dynamics.CRM.LastXHours(PropertyName='firstname',PropertyValue=5)" }));
    expect(wrongArg.status).toBe(400);
    const missing = await failure(api.retrieveMultiple({ collection: 'contacts', filter: "Microsoft.Dynamics.CRM.In(PropertyName='firstname')" }));
    expect(missing.message).toContain("needs the parameter 'PropertyValues'");
  });
});

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/use-web-api-functions#passing-parameters-to-a-function
describe('parameter aliases', () => {
  it('stand for values and properties in $filter and for the order in $orderby', async () => {
    expect(await names('firstname eq @p1', ["@p1='Carla'"])).toEqual(['Carla']);
    expect(await names('@p1 eq @p2', ['@p1=numberofchildren', '@p2=3'])).toEqual(['Erin']);
    const ordered = await api.retrieveMultiple({ collection: 'contacts', select: ['firstname'], filter: `lastname eq '${marker}'`, queryParams: ['$orderby=@o', '@o=numberofchildren desc'] });
    expect(ordered.value.map((r: { firstname: string }) => r.firstname)).toEqual(['Carla', 'Finn', 'Erin', 'Dave', 'Alice']);
  });

  it('an alias used but not given is a 400 naming it', async () => {
    const err = await failure(api.retrieveMultiple({ collection: 'contacts', filter: 'firstname eq @missing' }));
    expect([err.status, err.message]).toEqual([400, "The parameter alias '@missing' is used in the query but has no value (add &@missing=...)."]);
  });
});

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/aggregate-data
describe('aggregation with $apply', () => {
  const apply = async (text: string, extra: Record<string, unknown> = {}) =>
    (await api.retrieveMultiple({ collection: 'contacts', apply: text, ...extra })).value;

  it('groupby lists the distinct values, with formatted values when asked, and leaves nulls out', async () => {
    // dynamics-web-api also copies each formatted value to <name>_Formatted
    expect(await apply(`filter(lastname eq '${marker}')/groupby((statuscode))`, { includeAnnotations: 'OData.Community.Display.V1.FormattedValue' }))
      .toEqual([{ statuscode: 1, 'statuscode@OData.Community.Display.V1.FormattedValue': 'Active', statuscode_Formatted: 'Active' }]);
    expect(await apply('groupby((parentcustomerid_account/name))')).toEqual([{}, { account_name: 'Contoso' }, { account_name: 'Fabrikam' }]);
  });

  it('groupby with aggregate sums, counts and averages per group, grouping through a lookup', async () => {
    expect(await apply('groupby((parentcustomerid_account/name),aggregate(numberofchildren with sum as total,$count as n))')).toEqual([
      { total: 7, n: 2 },
      { account_name: 'Contoso', total: 2, n: 2 },
      { account_name: 'Fabrikam', total: 6, n: 2 },
    ]);
  });

  it('aggregate alone returns one row: average, min, max, countdistinct, over a filter()', async () => {
    const [row] = await apply('filter(numberofchildren gt 0)/aggregate(numberofchildren with average as avg,numberofchildren with max as most,birthdate with min as first,numberofchildren with countdistinct as kinds)');
    expect(row).toEqual({ avg: 3, most: 5, first: new Date('2026-01-23T08:00:00Z'), kinds: 5 }); // dynamics-web-api revives dates
  });

  it('orders by grouped properties, refuses ordering by aggregates and grouping by dates, as documented', async () => {
    const rows = await apply('groupby((numberofchildren))', { orderBy: ['numberofchildren desc'], top: 2 });
    expect(rows).toEqual([{ numberofchildren: 5 }, { numberofchildren: 4 }]);
    const byAggregate = await failure(api.retrieveMultiple({ collection: 'contacts', apply: 'groupby((statuscode),aggregate($count as n))', orderBy: ['n desc'] }));
    expect([byAggregate.status, byAggregate.message]).toEqual([400, 'The query node SingleValueOpenPropertyAccess is not supported']);
    expect((await failure(api.retrieveMultiple({ collection: 'contacts', apply: 'groupby((birthdate))' }))).status).toBe(400);
    expect((await failure(api.retrieveMultiple({ collection: 'contacts', apply: 'groupby((statuscode))', filter: "firstname eq 'x'" }))).message).toContain('filter(...)');
    expect((await failure(api.retrieveMultiple({ collection: 'contacts', apply: 'aggregate(firstname with sum as s)' }))).status).toBe(400);
  });
});

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/use-fetchxml-web-api
// https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/overview
describe('FetchXML', () => {
  const fetchRows = async (fetchXml: string, extra: Record<string, unknown> = {}) =>
    (await api.fetch({ collection: 'contacts', fetchXml, ...extra })).value as Record<string, unknown>[];

  it('returns the chosen attributes and the primary key, leaves null values out, filters and orders', async () => {
    const rows = await fetchRows(`<fetch>
      <entity name='contact'>
        <attribute name='firstname' /><attribute name='swb_topics' /><attribute name='parentcustomerid' />
        <filter type='and'>
          <condition attribute='lastname' operator='eq' value='${marker}' />
          <filter type='or'>
            <condition attribute='firstname' operator='like' value='%a%' />
            <condition attribute='numberofchildren' operator='in'><value>3</value><value>4</value></condition>
          </filter>
        </filter>
        <order attribute='numberofchildren' descending='true' />
      </entity></fetch>`);
    expect(rows.map((r) => r.firstname)).toEqual(['Carla', 'Finn', 'Erin', 'Dave', 'Alice']); // like is case-insensitive
    const carla = rows[0];
    expect(carla).not.toHaveProperty('swb_topics'); // null: left out, as FetchXML does
    expect(carla._parentcustomerid_value).toBe(fabrikam);
    expect(carla.contactid).toMatch(/^[0-9a-f-]{36}$/);
    expect(carla['@odata.etag']).toMatch(/^W\/"\d+"$/);
    expect(rows[1]).not.toHaveProperty('_parentcustomerid_value');
  });

  it('link-entity joins inner or outer, with linked columns as <alias>_x002e_<name> and conditions on either table', async () => {
    const inner = await fetchRows(`<fetch><entity name='contact'><attribute name='firstname' /><order attribute='firstname' />
      <link-entity name='account' from='accountid' to='parentcustomerid' alias='acct' link-type='inner'>
        <attribute name='name' /><filter><condition attribute='name' operator='begins-with' value='Fab' /></filter>
      </link-entity></entity></fetch>`);
    // dynamics-web-api also nests each alias: { acct: { name } }
    expect(inner.map((r) => [r.firstname, r.acct_x002e_name])).toEqual([['Carla', 'Fabrikam'], ['Dave', 'Fabrikam']]);
    const outer = await fetchRows(`<fetch><entity name='contact'><attribute name='firstname' />
      <filter><condition attribute='lastname' operator='eq' value='${marker}' /><condition entityname='acct' attribute='name' operator='null' /></filter>
      <order attribute='firstname' />
      <link-entity name='account' from='accountid' to='parentcustomerid' alias='acct' link-type='outer'><attribute name='name' /></link-entity>
      </entity></fetch>`);
    expect(outer.map((r) => [r.firstname, r.acct_x002e_name])).toEqual([['Erin', undefined], ['Finn', undefined]]);
  });

  it('links through an N:N intersect table', async () => {
    const queue: string = await api.create({ collection: 'queues', data: { name: 'Fetch queue' } });
    const member = emu.seedUser({ fullname: 'Fetch Member', domainname: 'fetch-member@switchboard.dev' });
    emu.seedUser({ fullname: 'Not A Member', domainname: 'fetch-outsider@switchboard.dev' });
    await api.associate({ collection: 'queues', primaryKey: queue, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: member });
    const users = (await api.fetch({ collection: 'systemusers', fetchXml: `<fetch><entity name='systemuser'><attribute name='fullname' />
      <link-entity name='queuemembership' from='systemuserid' to='systemuserid' intersect='true'>
        <link-entity name='queue' from='queueid' to='queueid' alias='q'><attribute name='name' /><filter><condition attribute='name' operator='eq' value='Fetch queue' /></filter></link-entity>
      </link-entity></entity></fetch>` })).value;
    expect(users.map((u: Record<string, unknown>) => [u.fullname, u.q_x002e_name])).toEqual([['Fetch Member', 'Fetch queue']]);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data
  it('aggregates: count, countcolumn (distinct), sum, avg, min, max, grouped and ordered by alias', async () => {
    const [all] = await fetchRows(`<fetch aggregate='true'><entity name='contact'>
      <attribute name='contactid' alias='rows' aggregate='count' />
      <attribute name='swb_topics' alias='withTopics' aggregate='countcolumn' />
      <attribute name='numberofchildren' alias='kinds' aggregate='countcolumn' distinct='true' />
      <attribute name='numberofchildren' alias='total' aggregate='sum' />
      <attribute name='numberofchildren' alias='most' aggregate='max' />
      <filter><condition attribute='lastname' operator='eq' value='${marker}' /></filter></entity></fetch>`);
    expect(all).toEqual({ rows: 5, withTopics: 3, kinds: 5, total: 13, most: 5 });
    const byAccount = await fetchRows(`<fetch aggregate='true'><entity name='contact'>
      <attribute name='numberofchildren' alias='total' aggregate='sum' />
      <attribute name='numberofchildren' alias='average' aggregate='avg' />
      <link-entity name='account' from='accountid' to='parentcustomerid' alias='a'><attribute name='name' alias='account' groupby='true' /></link-entity>
      <order alias='total' descending='true' /></entity></fetch>`);
    expect(byAccount).toEqual([{ total: 6, average: 3, account: 'Fabrikam' }, { total: 2, average: 1, account: 'Contoso' }]);
  });

  it('aggregatelimit, the 15 link-entity limit and unsupported parts are refused as Dataverse documents', async () => {
    const limited = await failure(api.fetch({ collection: 'contacts', fetchXml: "<fetch aggregate='true' aggregatelimit='2'><entity name='contact'><attribute name='contactid' alias='n' aggregate='count' /></entity></fetch>" }));
    expect([limited.status, limited.code, limited.message]).toEqual([400, '0x8004E023', 'AggregateQueryRecordLimit exceeded. Cannot perform this operation.']);
    const links = Array.from({ length: 16 }, (_, i) => `<link-entity name='account' from='accountid' to='parentcustomerid' alias='a${i}' link-type='outer' />`).join('');
    const tooMany = await failure(api.fetch({ collection: 'contacts', fetchXml: `<fetch><entity name='contact'>${links}</entity></fetch>` }));
    expect([tooMany.code, tooMany.message]).toEqual(['0x8004430D', 'Number of link entities in query exceeded maximum limit.']);
    for (const fetchXml of [
      "<fetch><entity name='contact'><filter><condition attribute='birthdate' operator='in-fiscal-year' value='2026' /></filter></entity></fetch>",
      "<fetch><entity name='contact'><link-entity name='account' from='accountid' to='parentcustomerid' link-type='any' /></entity></fetch>",
      "<fetch><entity name='contact'><attribute name='birthdate' alias='d' groupby='true' dategrouping='month' /></entity></fetch>",
      "<fetch><entity name='account'><attribute name='name' /></entity></fetch>",
      "<fetch><entity name='contact'><attribute name='nosuch' /></entity></fetch>",
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><fetch />',
      'not xml',
    ]) {
      const err = await failure(api.fetch({ collection: 'contacts', fetchXml }));
      expect({ fetchXml, status: err.status }).toEqual({ fetchXml, status: 400 });
    }
  });

  it('date operators use the same clock as the query functions', async () => {
    const rows = await fetchRows("<fetch><entity name='contact'><attribute name='firstname' /><filter><condition attribute='birthdate' operator='last-x-hours' value='5' /></filter><order attribute='firstname' /></entity></fetch>");
    expect(rows.map((r) => r.firstname)).toEqual(['Alice', 'Bob']);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/use-fetchxml-web-api#paging-with-fetchxml
  it('pages with page and count: the paging cookie and morerecords annotations until the last page, which dynamics-web-api follows', async () => {
    const xml = `<fetch count='2'><entity name='contact'><attribute name='firstname' /><filter><condition attribute='lastname' operator='eq' value='${marker}' /></filter><order attribute='firstname' /></entity></fetch>`;
    const res = await fetch(`${emu.url}contacts?fetchXml=${encodeURIComponent(xml)}&$count=true`, { headers: { Authorization: `Bearer ${emu.appToken}`, Prefer: 'odata.include-annotations="*"' } });
    const first = (await res.json()) as Record<string, unknown>;
    expect(first['@odata.count']).toBe(5);
    expect(first['@Microsoft.Dynamics.CRM.morerecords']).toBe(true);
    expect(first['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie']).toMatch(/^<cookie pagenumber="2" pagingcookie="%253ccookie%2520page%253d%25221%2522%253e/i);
    const all = await api.fetchAll({ collection: 'contacts', fetchXml: xml, includeAnnotations: 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie' });
    expect(all.value.map((r: Record<string, unknown>) => r.firstname)).toEqual(['Alice', 'Carla', 'Dave', 'Erin', 'Finn']);
    const last = await api.fetch({ collection: 'contacts', fetchXml: xml.replace("count='2'", "count='2' page='3'"), includeAnnotations: '*' });
    expect(last.value.map((r: Record<string, unknown>) => r.firstname)).toEqual(['Finn']);
    expect(last).not.toHaveProperty('PagingInfo');
  });
});
