// A small model in the shape of the generated metadata, so the emulator's contract tests do not
// move when the real data model changes. Covers: a customer (polymorphic) lookup, a composite
// alternate key with a lookup column, an activity table, N:N, 1:N cascades, the three roles and
// column security (secured agent-status columns with Agent, Supervisor and Administrator profiles).
import type { AttributeMetadata, EntityMetadata, Metadata } from '@switchboard/solution';

type Col = Omit<AttributeMetadata, 'logicalName' | 'required' | 'system'> & { system?: boolean };

function entity(logicalName: string, set: string, pk: string, name: string, ownership: 'user' | 'organization', cols: Record<string, Col>, keys: EntityMetadata['alternateKeys'] = []): EntityMetadata {
  const attributes: Record<string, AttributeMetadata> = {};
  for (const [n, c] of Object.entries({ [pk]: { type: 'uniqueidentifier' } as Col, [name]: { type: 'string', maxLength: 200 } as Col, ...cols })) {
    attributes[n] = { logicalName: n, required: false, system: false, ...c };
  }
  return { logicalName, entitySetName: set, primaryIdAttribute: pk, primaryNameAttribute: name, isActivity: pk === 'activityid', standard: !logicalName.startsWith('swb_'), ownership, attributes, alternateKeys: keys };
}

export const AGENT_ROLE = '5b1f3c52-0000-4d8e-9d43-000000000001';
export const SUPERVISOR_ROLE = '5b1f3c52-0000-4d8e-9d43-000000000002';
export const ADMIN_ROLE = '5b1f3c52-0000-4d8e-9d43-000000000003';

const tables = [
  entity('contact', 'contacts', 'contactid', 'fullname', 'user', {
    firstname: { type: 'string', maxLength: 50 },
    lastname: { type: 'string', maxLength: 50 },
    mobilephone: { type: 'string', maxLength: 50, searched: true },
    emailaddress1: { type: 'string', maxLength: 100 },
    parentcustomerid: { type: 'customer', targets: ['account', 'contact'] },
    birthdate: { type: 'datetime' },
    numberofchildren: { type: 'integer', min: 0, max: 100 },
    creditlimit: { type: 'money' },
    donotsms: { type: 'boolean' },
    swb_topics: { type: 'multichoice', options: [1, 2, 3, 4] },
  }),
  entity('account', 'accounts', 'accountid', 'name', 'user', {
    telephone1: { type: 'string', maxLength: 50, searched: true },
  }),
  entity('queue', 'queues', 'queueid', 'name', 'user', {}),
  entity('swb_channel', 'swb_channels', 'swb_channelid', 'swb_name', 'organization', {
    swb_provider: { type: 'choice', options: [1, 2, 3] },
  }),
  entity('swb_conversation', 'swb_conversations', 'activityid', 'subject', 'user', {
    swb_customerid: { type: 'customer', targets: ['contact', 'account'] },
    swb_channelid: { type: 'lookup', targets: ['swb_channel'] },
    swb_state: { type: 'choice', options: [1, 2, 3, 4, 5] },
    swb_startedon: { type: 'datetime' },
  }),
  entity('swb_message', 'swb_messages', 'swb_messageid', 'swb_name', 'user', {
    swb_body: { type: 'memo', maxLength: 4000 },
    swb_conversationid: { type: 'lookup', targets: ['swb_conversation'] },
    swb_channelid: { type: 'lookup', targets: ['swb_channel'] },
    swb_providermessageid: { type: 'string', maxLength: 100, searched: true },
    swb_sequence: { type: 'integer' },
    swb_visibility: { type: 'choice', options: [1, 2] },
  }, [{ logicalName: 'swb_message_provider', columns: ['swb_channelid', 'swb_providermessageid'] }]),
  entity('swb_agentstatus', 'swb_agentstatuses', 'swb_agentstatusid', 'swb_name', 'user', {
    swb_agentid: { type: 'lookup', targets: ['systemuser'] },
    swb_presence: { type: 'choice', options: [1, 2, 3] },
    swb_capacitymax: { type: 'integer', min: 0, max: 100, secured: true },
    swb_capacityused: { type: 'integer', min: 0, max: 100, secured: true },
    swb_lastreleaseon: { type: 'datetime', secured: true },
  }),
];

export const AGENT_PROFILE = '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0b01';
export const SUPERVISOR_PROFILE = '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0b02';
export const ADMIN_PROFILE = '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0b03';

const securedColumns = ['swb_capacitymax', 'swb_capacityused', 'swb_lastreleaseon'];
const grant = (read: boolean, write: boolean) => ({
  swb_agentstatus: Object.fromEntries(securedColumns.map((c) => [c, { read, create: write, update: write }])),
});

export const fixtureMetadata: Metadata = {
  entities: Object.fromEntries(tables.map((t) => [t.logicalName, t])),
  entitySets: Object.fromEntries(tables.map((t) => [t.entitySetName, t.logicalName])),
  oneToMany: [
    { kind: 'oneToMany', schemaName: 'swb_conversation_messages', referencedTable: 'swb_conversation', referencingTable: 'swb_message', lookupColumn: 'swb_conversationid', cascadeDelete: 'Cascade' },
    { kind: 'oneToMany', schemaName: 'swb_channel_conversations', referencedTable: 'swb_channel', referencingTable: 'swb_conversation', lookupColumn: 'swb_channelid', cascadeDelete: 'RemoveLink' },
    { kind: 'oneToMany', schemaName: 'swb_channel_messages', referencedTable: 'swb_channel', referencingTable: 'swb_message', lookupColumn: 'swb_channelid', cascadeDelete: 'Restrict' },
    { kind: 'oneToMany', schemaName: 'contact_customer_accounts', referencedTable: 'account', referencingTable: 'contact', lookupColumn: 'parentcustomerid', cascadeDelete: 'RemoveLink' },
    { kind: 'oneToMany', schemaName: 'swb_systemuser_agentstatuses', referencedTable: 'systemuser', referencingTable: 'swb_agentstatus', lookupColumn: 'swb_agentid', cascadeDelete: 'RemoveLink' },
  ],
  manyToMany: [
    { kind: 'manyToMany', schemaName: 'queuemembership_association', table1: 'queue', table2: 'systemuser', intersectEntityName: 'queuemembership', standard: true },
  ],
  fieldSecurityProfiles: [
    { id: AGENT_PROFILE, name: 'Switchboard Agent', permissions: grant(true, false) },
    { id: SUPERVISOR_PROFILE, name: 'Switchboard Supervisor', permissions: grant(true, false) },
    { id: ADMIN_PROFILE, name: 'Switchboard Administrator', permissions: grant(true, true) },
  ],
  roles: [
    {
      id: AGENT_ROLE,
      name: 'Switchboard Agent',
      privileges: {
        contact: { read: 'global', write: 'global', append: 'global', appendTo: 'global', create: 'global' },
        account: { read: 'global', appendTo: 'global' },
        swb_channel: { read: 'global', appendTo: 'global' },
        swb_conversation: { create: 'basic', read: 'basic', write: 'basic', append: 'basic', appendTo: 'basic' },
        swb_message: { create: 'basic', read: 'basic', write: 'basic', append: 'basic', appendTo: 'basic' },
        swb_agentstatus: { create: 'basic', read: 'global', write: 'basic', append: 'basic' },
        queue: { read: 'global' },
      },
    },
    {
      id: SUPERVISOR_ROLE,
      name: 'Switchboard Supervisor',
      privileges: {
        contact: { read: 'global' },
        swb_conversation: { read: 'global', write: 'global' },
        swb_message: { read: 'global' },
      },
    },
    {
      id: ADMIN_ROLE,
      name: 'Switchboard Administrator',
      privileges: {
        swb_channel: { create: 'global', read: 'global', write: 'global', delete: 'global', append: 'global', appendTo: 'global' },
        swb_agentstatus: { create: 'global', read: 'global', write: 'global', delete: 'global', append: 'global', appendTo: 'global' },
      },
    },
  ],
};
