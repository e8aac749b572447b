// The model-driven app "Switchboard Workspace" and its site map. Agents work in the
// first area; configuration (mostly for administrators, read-only to agents through
// their role) is in the second.
import { roles } from '../model/roles';
import { FormIds } from './forms';
import { l } from './labels';
import type { AppDef, SubAreaDef } from './types';
import { ViewIds } from './views';

const sub = (table: string, en: string, fr: string): SubAreaDef => ({ id: `swb_sub_${table}`, table, title: l(en, fr) });

export const workspaceApp: AppDef = {
  uniqueName: 'swb_SwitchboardWorkspace',
  name: l('Switchboard Workspace', 'Espace de travail Switchboard'),
  description: l('Conversations, routing and channels of Switchboard, for agents, supervisors and administrators.', 'Conversations, routage et canaux de Switchboard, pour les agents, superviseurs et administrateurs.'),
  roles: roles.map((r) => r.id),
  tables: [
    'swb_conversation', 'swb_message', 'swb_session', 'swb_offer', 'swb_agentstatus',
    'queue', 'swb_workstream', 'swb_routingrule', 'swb_bot', 'swb_capacityprofile', 'swb_agentskill',
    'swb_channel', 'swb_smsnumber', 'swb_chatwidget', 'swb_contextvariable',
    'swb_messagetemplate', 'swb_automatedmessage', 'swb_operatinghours', 'swb_optout',
    'contact', 'account', 'incident', 'systemuser', 'swb_supervisoraction', 'swb_supervisordesk',
  ],
  forms: [FormIds.conversationMain, FormIds.agentStatusMain, FormIds.supervisorDeskMain],
  views: Object.values(ViewIds),
  areas: [
    {
      id: 'swb_area_workspace',
      title: l('Workspace', 'Espace de travail'),
      groups: [
        {
          id: 'swb_group_mywork',
          title: l('My work', 'Mon travail'),
          subAreas: [sub('swb_conversation', 'Conversations', 'Conversations'), sub('swb_agentstatus', 'Agent statuses', 'Statuts d\'agent')],
        },
        {
          // Agents do not see this group: they cannot read either table, and a site map hides
          // what the user cannot read.
          id: 'swb_group_supervision',
          title: l('Supervision', 'Supervision'),
          subAreas: [sub('swb_supervisordesk', 'Supervisor desk', 'Poste de supervision'), sub('swb_supervisoraction', 'Supervisor actions', 'Actions de superviseur')],
        },
        {
          id: 'swb_group_routing',
          title: l('Routing', 'Routage'),
          subAreas: [sub('queue', 'Queues', 'Files'), sub('swb_workstream', 'Workstreams', 'Flux de travail'), sub('swb_routingrule', 'Routing rules', 'Règles de routage')],
        },
      ],
    },
    {
      id: 'swb_area_settings',
      title: l('Settings', 'Paramètres'),
      groups: [
        {
          id: 'swb_group_channels',
          title: l('Channels', 'Canaux'),
          subAreas: [sub('swb_channel', 'Channels', 'Canaux'), sub('swb_chatwidget', 'Chat widgets', 'Widgets de chat'), sub('swb_bot', 'Bots', 'Robots')],
        },
        {
          id: 'swb_group_messaging',
          title: l('Messaging', 'Messagerie'),
          subAreas: [sub('swb_messagetemplate', 'Templates', 'Modèles'), sub('swb_automatedmessage', 'Automated messages', 'Messages automatiques')],
        },
        {
          id: 'swb_group_operations',
          title: l('Operations', 'Exploitation'),
          subAreas: [sub('swb_operatinghours', 'Operating hours', 'Heures d\'ouverture')],
        },
      ],
    },
  ],
};

export const apps: AppDef[] = [workspaceApp];
