import { bool, choice, lookup, table, when } from '../builders';

// The supervisor's audit trail. Organization-owned and never updated: a supervisor creates only a
// Monitor row (the supervisor-guard step checks it is theirs and the conversation is in one of
// their queues); every other row is written by the app from the write that did the action
// (supervisor-audit step), so a supervisor who goes around the desk is recorded all the same.
export const supervisorAction = table({
  logicalName: 'swb_supervisoraction',
  entitySetName: 'swb_supervisoractions',
  name: ['Supervisor action', 'Action de superviseur'],
  plural: ['Supervisor actions', 'Actions de superviseur'],
  description: [
    'What a supervisor did: monitored, joined, assigned, transferred or force-closed a conversation, or set an agent\'s presence.',
    "Ce qu'un superviseur a fait : écouté, rejoint, attribué, transféré ou fermé une conversation, ou changé la présence d'un agent.",
  ],
  ownership: 'organization',
  columns: [
    choice('swb_action', 'swb_supervisoractionkind', ['Action', 'Action'], ['What was done.', 'Ce qui a été fait.'], { required: 'required' }),
    lookup('swb_supervisorid', 'systemuser', ['Supervisor', 'Superviseur'], ['Who did it.', "Qui l'a fait."], { required: 'required', searched: true }),
    lookup('swb_conversationid', 'swb_conversation', ['Conversation', 'Conversation'], ['The conversation acted on.', 'La conversation concernée.'], { searched: true }),
    lookup('swb_agentid', 'systemuser', ['Agent', 'Agent'], ['The agent it went to, or whose presence changed.', "L'agent destinataire, ou dont la présence a changé."]),
    lookup('swb_fromagentid', 'systemuser', ['From agent', "Agent d'origine"], ['The primary agent before a transfer.', "L'agent principal avant un transfert."]),
    lookup('swb_queueid', 'queue', ['Queue', 'File'], ["The conversation's queue, or the queue it was transferred to.", 'La file de la conversation, ou celle vers laquelle elle a été transférée.']),
    bool('swb_forced', ['Over capacity', 'Au-delà de la capacité'], ["Assigned past the agent's capacity on purpose.", "Attribuée volontairement au-delà de la capacité de l'agent."]),
    choice('swb_presence', 'swb_presencebase', ['Presence set', 'Présence fixée'], ['The presence a supervisor set.', 'La présence fixée par le superviseur.']),
    when('swb_occurredon', ['Occurred on', 'Survenue le'], [
      "When the action was saved (the operation's time); empty on a Monitor row, whose creation is the action.",
      "Moment de l'action (heure de l'opération) ; vide sur une ligne d'écoute, dont la création est l'action.",
    ], { secured: true }),
  ],
});
