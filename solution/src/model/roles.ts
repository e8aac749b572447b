// Who does what. Agents work conversations through row writes under their own
// identity, so their role must allow exactly those writes; configuration is read-only
// to them. Supervisors see everything and may move routing state (reassign, force
// presence); administrators own the configuration. The functions app runs as an
// application user with its own role, which is not shipped here.
import { label } from './builders';
import type { RoleDef, TablePrivileges } from './types';

const configTables = [
  'swb_workstream',
  'swb_bot',
  'swb_routingrule',
  'swb_capacityprofile',
  'swb_agentskill',
  'swb_channel',
  'swb_smsnumber',
  'swb_chatwidget',
  'swb_contextvariable',
  'swb_messagetemplate',
  'swb_automatedmessage',
  'swb_operatinghours',
  'swb_optout',
];
const routingState = ['swb_conversation', 'swb_message', 'swb_session', 'swb_offer', 'swb_agentstatus'];

const readAll: TablePrivileges = { read: 'global', append: 'global', appendTo: 'global' };
const fullOrg: TablePrivileges = { create: 'global', read: 'global', write: 'global', delete: 'global', append: 'global', appendTo: 'global' };
const fullUser: TablePrivileges = { ...fullOrg, assign: 'global', share: 'global' };

const each = (names: string[], p: TablePrivileges) => Object.fromEntries(names.map((n) => [n, { ...p }]));

export const agentRole: RoleDef = {
  id: '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0a01',
  name: label(['Switchboard Agent', 'Agent Switchboard']),
  description: label(['Works conversations: reads configuration, writes messages, own sessions and own presence.', 'Traite les conversations : lit la configuration, écrit les messages, ses sessions et sa présence.']),
  privileges: {
    // appendTo: an agent's message may point at its channel or template.
    ...each(configTables, { read: 'global', appendTo: 'global' }),
    // Agents see the conversations of their business unit: consult and transfer need
    // conversations they do not own yet.
    swb_conversation: { create: 'basic', read: 'local', write: 'basic', append: 'local', appendTo: 'local' },
    // A message, once written, is the record: no one on the floor edits it (delivery status and
    // provider ids are the app's). Who may write which message is the message-guard step's rule.
    swb_message: { create: 'basic', read: 'local', append: 'local', appendTo: 'local' },
    // Sessions are created for a consult (the conversation guard checks who may invite) and
    // moved by the conversation-state step as the app; an agent never edits one.
    swb_session: { create: 'basic', read: 'local', append: 'local', appendTo: 'local' },
    swb_offer: { read: 'basic', write: 'basic' },
    // Presence of others is readable so consult can list available agents.
    swb_agentstatus: { create: 'basic', read: 'global', write: 'basic', append: 'basic' },
    contact: { create: 'basic', read: 'global', write: 'local', append: 'global', appendTo: 'global' },
    account: { create: 'basic', read: 'global', write: 'local', append: 'global', appendTo: 'global' },
    incident: { create: 'basic', read: 'local', write: 'local', append: 'local', appendTo: 'local' },
    queue: { read: 'global', appendTo: 'global' },
    systemuser: { read: 'global', appendTo: 'global' },
    // Live updates: an agent asks for a connection address as themselves and reads only their own.
    swb_pushticket: { create: 'basic', read: 'basic', delete: 'basic' },
  },
};

export const supervisorRole: RoleDef = {
  id: '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0a02',
  name: label(['Switchboard Supervisor', 'Superviseur Switchboard']),
  description: label(['Monitors every conversation and agent; may reassign conversations and change presence.', 'Surveille toutes les conversations et tous les agents ; peut réattribuer et changer la présence.']),
  privileges: {
    ...each(configTables, { read: 'global', appendTo: 'global' }),
    ...each(routingState, { create: 'basic', read: 'global', write: 'global', append: 'global', appendTo: 'global' }),
    // Transcripts are records, not drafts: supervisors read them and add notes, never edit them.
    swb_message: { create: 'basic', read: 'global', append: 'global', appendTo: 'global' },
    swb_conversation: { create: 'basic', read: 'global', write: 'global', append: 'global', appendTo: 'global', assign: 'global' },
    swb_agentskill: { create: 'global', read: 'global', write: 'global', delete: 'global' },
    contact: readAll,
    account: readAll,
    incident: { create: 'basic', read: 'global', write: 'global', append: 'global', appendTo: 'global' },
    queue: readAll,
    systemuser: { read: 'global', appendTo: 'global' },
    // The audit trail: a supervisor creates only their own Monitor rows (supervisor-guard step);
    // the app writes the rest. Nobody edits it.
    swb_supervisoraction: { create: 'global', read: 'global', append: 'global' },
    swb_supervisordesk: { read: 'global' },
    swb_pushticket: { create: 'basic', read: 'basic', delete: 'basic' },
    // Historical analytics: read, never written (the app folds them).
    swb_insightbucket: { read: 'global' },
    swb_insightsync: { read: 'global' },
  },
};

export const administratorRole: RoleDef = {
  id: '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0a03',
  name: label(['Switchboard Administrator', 'Administrateur Switchboard']),
  description: label(['Configures channels, widgets, queues, workstreams and rules.', 'Configure les canaux, widgets, files, flux et règles.']),
  privileges: {
    ...each(configTables, fullOrg),
    ...each(routingState, fullUser),
    contact: readAll,
    account: readAll,
    incident: readAll,
    queue: fullUser,
    systemuser: { read: 'global', append: 'global', appendTo: 'global' },
    swb_supervisoraction: { read: 'global' },
    swb_supervisordesk: fullOrg,
    swb_pushticket: { create: 'basic', read: 'basic', delete: 'global' },
    swb_insightbucket: { read: 'global' },
    swb_insightsync: { read: 'global' },
  },
};

export const roles: RoleDef[] = [agentRole, supervisorRole, administratorRole];
