// The forms Switchboard ships. The conversation form is where agents spend their shift:
// the communication pane takes most of the width, the session timer and the summary sit
// beside it. The agent inbox is not tied to a record (it works from the signed-in user),
// and PCF field controls cannot be placed on dashboards, so it lives on the agent status
// form: an agent opens their own status row ("My agent status" view) and gets presence,
// offers and open conversations there.
import type { FormDef } from './types';
import { l } from './labels';
import { ViewIds } from './views';

export const FormIds = {
  conversationMain: 'd2564a19-075b-4958-8aa4-eff4f61d1e9d',
  agentStatusMain: 'd9edc7c9-377c-479a-8f9c-6aa93469f236',
  supervisorDeskMain: '4c7f6a9e-2b1d-4e85-9a63-5d0f1b2c8e47',
} as const;

// The controls read the record id from the hosting form, so their bound property only
// anchors them to a column; the conversation's subject (its primary name) is always there.
export const conversationForm: FormDef = {
  id: FormIds.conversationMain,
  table: 'swb_conversation',
  type: 'main',
  name: l('Conversation', 'Conversation'),
  description: l('Agent workspace for one conversation: transcript, timer and summary.', 'Espace de l\'agent pour une conversation : échanges, minuteur et résumé.'),
  tabs: [
    {
      name: 'tab_conversation',
      label: l('Conversation', 'Conversation'),
      columns: [
        {
          width: 67,
          sections: [
            {
              name: 'section_communication',
              label: l('Communication', 'Communication'),
              showLabel: false,
              cells: [
                {
                  kind: 'pcf',
                  control: 'swb_Switchboard.CommunicationPane',
                  bind: { property: 'anchor', column: 'subject' },
                  parameters: { pollSeconds: 3, heightPx: 600 },
                  label: l('Communication', 'Communication'),
                  showLabel: false,
                  rowSpan: 12,
                },
              ],
            },
          ],
        },
        {
          width: 33,
          sections: [
            {
              name: 'section_session',
              label: l('Session', 'Session'),
              cells: [
                {
                  kind: 'pcf',
                  control: 'swb_Switchboard.SessionTimer',
                  bind: { property: 'anchor', column: 'subject' },
                  parameters: { refreshSeconds: 15 },
                  label: l('Session time', 'Durée de session'),
                  showLabel: false,
                },
              ],
            },
            {
              name: 'section_summary',
              label: l('Summary', 'Résumé'),
              cells: [
                {
                  kind: 'pcf',
                  control: 'swb_Switchboard.ConversationSummary',
                  bind: { property: 'anchor', column: 'subject' },
                  parameters: { showCustomer: true, showRouting: true, showPreChat: true, showContext: true, showSentiment: true, showHistory: true, historyCount: 5 },
                  label: l('Summary', 'Résumé'),
                  showLabel: false,
                  rowSpan: 8,
                },
              ],
            },
          ],
        },
      ],
    },
    {
      name: 'tab_details',
      label: l('Details', 'Détails'),
      columns: [
        {
          width: 50,
          sections: [
            {
              name: 'section_routing',
              label: l('Routing', 'Routage'),
              cells: [
                { kind: 'field', column: 'subject' },
                { kind: 'field', column: 'swb_state', disabled: true },
                { kind: 'field', column: 'swb_channeltype', disabled: true },
                { kind: 'field', column: 'swb_queueid' },
                { kind: 'field', column: 'swb_workstreamid', disabled: true },
                { kind: 'field', column: 'swb_primaryagentid' },
                { kind: 'field', column: 'swb_priority' },
                { kind: 'field', column: 'ownerid' },
              ],
            },
            {
              name: 'section_bot',
              label: l('Bot', 'Robot'),
              cells: [
                { kind: 'field', column: 'swb_botid', disabled: true },
                { kind: 'field', column: 'swb_botstate', disabled: true },
                { kind: 'field', column: 'swb_handoffsummary', disabled: true },
              ],
            },
          ],
        },
        {
          width: 50,
          sections: [
            {
              name: 'section_customer',
              label: l('Customer', 'Client'),
              cells: [
                { kind: 'field', column: 'swb_customerid' },
                { kind: 'field', column: 'swb_customername' },
                { kind: 'field', column: 'swb_customerphone', disabled: true },
                { kind: 'field', column: 'swb_language' },
                { kind: 'field', column: 'swb_identificationresult', disabled: true },
                { kind: 'field', column: 'regardingobjectid' },
              ],
            },
            {
              name: 'section_times',
              label: l('Times', 'Horaires'),
              cells: [
                { kind: 'field', column: 'swb_openedon', disabled: true },
                { kind: 'field', column: 'swb_queuedon', disabled: true },
                { kind: 'field', column: 'swb_firstassignedon', disabled: true },
                { kind: 'field', column: 'swb_wrapupon', disabled: true },
                { kind: 'field', column: 'swb_closedon', disabled: true },
              ],
            },
          ],
        },
      ],
    },
    {
      name: 'tab_routing_history',
      label: l('Routing history', 'Historique du routage'),
      columns: [
        {
          width: 100,
          sections: [
            {
              name: 'section_sessions',
              label: l('Sessions', 'Sessions'),
              cells: [{ kind: 'subgrid', name: 'subgrid_sessions', table: 'swb_session', relationship: 'swb_conversation_session_conversationid', view: ViewIds.conversationSessions, label: l('Sessions', 'Sessions'), recordsPerPage: 5, rowSpan: 4 }],
            },
            {
              name: 'section_offers',
              label: l('Offers', 'Offres'),
              cells: [{ kind: 'subgrid', name: 'subgrid_offers', table: 'swb_offer', relationship: 'swb_conversation_offer_conversationid', view: ViewIds.conversationOffers, label: l('Offers', 'Offres'), recordsPerPage: 10, rowSpan: 6 }],
            },
          ],
        },
      ],
    },
  ],
};

export const agentStatusForm: FormDef = {
  id: FormIds.agentStatusMain,
  table: 'swb_agentstatus',
  type: 'main',
  name: l('Agent inbox', 'Boîte de réception de l\'agent'),
  description: l('Presence, incoming offers and open conversations of the signed-in agent.', 'Présence, offres entrantes et conversations ouvertes de l\'agent connecté.'),
  tabs: [
    {
      name: 'tab_inbox',
      label: l('Inbox', 'Réception'),
      columns: [
        {
          width: 67,
          sections: [
            {
              name: 'section_inbox',
              label: l('Inbox', 'Réception'),
              showLabel: false,
              cells: [
                {
                  kind: 'pcf',
                  control: 'swb_Switchboard.AgentInbox',
                  bind: { property: 'anchor', column: 'swb_name' },
                  parameters: { pollSeconds: 5 },
                  label: l('Agent inbox', 'Boîte de réception'),
                  showLabel: false,
                  rowSpan: 12,
                },
              ],
            },
          ],
        },
        {
          width: 33,
          sections: [
            {
              name: 'section_status',
              label: l('Status', 'Statut'),
              cells: [
                { kind: 'field', column: 'swb_agentid', disabled: true },
                { kind: 'field', column: 'swb_basepresence', disabled: true },
                { kind: 'field', column: 'swb_presencelabel', disabled: true },
                { kind: 'field', column: 'swb_manualoverride', disabled: true },
                { kind: 'field', column: 'swb_capacityused', disabled: true },
                { kind: 'field', column: 'swb_capacitymax' },
                { kind: 'field', column: 'swb_defaultpresence' },
                { kind: 'field', column: 'swb_heartbeaton', disabled: true },
              ],
            },
          ],
        },
      ],
    },
  ],
};

// The supervisor desk works from the signed-in supervisor (their queues), like the inbox works
// from the signed-in agent; the desk row's name only anchors it. Only supervisors and
// administrators read the desk table, so agents never reach this form.
export const supervisorDeskForm: FormDef = {
  id: FormIds.supervisorDeskMain,
  table: 'swb_supervisordesk',
  type: 'main',
  name: l('Supervisor desk', 'Poste de supervision'),
  description: l('Ongoing conversations, agents and queues of the supervisor\'s queues, live, with monitor, join, assign, transfer and force-close.', 'Conversations en cours, agents et files du superviseur, en direct, avec écoute, participation, attribution, transfert et fermeture forcée.'),
  tabs: [
    {
      name: 'tab_floor',
      label: l('Floor', 'Plateau'),
      columns: [
        {
          width: 100,
          sections: [
            {
              name: 'section_floor',
              label: l('Floor', 'Plateau'),
              showLabel: false,
              cells: [
                {
                  kind: 'pcf',
                  control: 'swb_Switchboard.SupervisorDesk',
                  bind: { property: 'anchor', column: 'swb_name' },
                  parameters: { pollSeconds: 15, transcriptSeconds: 3, heightPx: 760, sections: 'queues,conversations,agents' },
                  label: l('Supervisor desk', 'Poste de supervision'),
                  showLabel: false,
                  rowSpan: 24,
                },
              ],
            },
          ],
        },
      ],
    },
    // History: the insight buckets (supervisors and administrators read them), by period, queue,
    // channel and agent, with CSV export. A tab of its own, so the live floor does not wait for it.
    {
      name: 'tab_insights',
      label: l('Insights', 'Analyses'),
      columns: [
        {
          width: 100,
          sections: [
            {
              name: 'section_insights',
              label: l('Insights', 'Analyses'),
              showLabel: false,
              cells: [
                {
                  kind: 'pcf',
                  control: 'swb_Switchboard.Insights',
                  bind: { property: 'anchor', column: 'swb_name' },
                  parameters: { defaultRange: '7d', showSentiment: true },
                  label: l('Insights', 'Analyses'),
                  showLabel: false,
                  rowSpan: 24,
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

export const forms: FormDef[] = [conversationForm, agentStatusForm, supervisorDeskForm];
