import { choice, lookup, table, when } from '../builders';

export const session = table({
  logicalName: 'swb_session',
  entitySetName: 'swb_sessions',
  name: ['Session', 'Session'],
  plural: ['Sessions', 'Sessions'],
  description: ["One agent's part in a conversation, as primary or consult.", "La participation d'un agent à une conversation, principal ou consultation."],
  ownership: 'user',
  isActivity: true,
  columns: [
    lookup('swb_conversationid', 'swb_conversation', ['Conversation', 'Conversation'], ['Conversation the agent works.', "Conversation traitée par l'agent."], { required: 'required' }),
    lookup('swb_agentid', 'systemuser', ['Agent', 'Agent'], ['Agent of this session.', 'Agent de cette session.'], { required: 'required', searched: true }),
    choice('swb_role', 'swb_sessionrole', ['Role', 'Rôle'], ['Primary or consult.', 'Principal ou consultation.'], { required: 'required' }),
    choice('swb_state', 'swb_sessionstate', ['State', 'État'], ['Active, wrap-up or closed.', 'Active, conclusion ou fermée.'], { required: 'required', defaultValue: 612400000 }),
    when('swb_joinedon', ['Joined on', 'Rejointe le'], ['When the agent joined; the session timer starts here.', "Arrivée de l'agent ; le chronomètre part d'ici."], { secured: true }),
    when('swb_wrapupon', ['Wrap-up on', 'Conclusion le'], ['When wrap-up began; the timer restarts here.', 'Début de la conclusion ; le chronomètre repart.'], { secured: true }),
    when('swb_lefton', ['Left on', 'Quittée le'], ['When the agent left.', "Départ de l'agent."], { secured: true }),
  ],
});
