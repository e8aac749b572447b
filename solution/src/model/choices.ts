// Global choices. Values sit inside the publisher's option-value range
// (pac.config.json optionValuePrefix 61240 → 612400000..612409999); the validator
// refuses any value outside it, so a prefix change cannot silently drift.
import { PRESENCE_BASES, PRESENCE_CHOICE, type PresenceBase } from '@switchboard/core';
import { label, type Text } from './builders';
import type { ChoiceDef, ChoiceOptionDef } from './types';

export const OPTION_VALUE_BASE = 612400000;

type Option = readonly [name: string, en: string, fr: string];

function choiceSet(name: string, display: Text, description: Text, options: Option[]): ChoiceDef {
  return {
    name,
    displayName: label(display),
    description: label(description),
    options: options.map(([code, en, fr], i): ChoiceOptionDef => ({ value: OPTION_VALUE_BASE + i, name: code, label: label([en, fr]) })),
  };
}

// Base presence names and values are core's (presence-choice.ts): the routing worker, the
// plugin steps and the agent inbox turn stored values into names with that one table. Only
// the labels are the model's.
const PRESENCE_LABELS: Readonly<Record<PresenceBase, readonly [en: string, fr: string]>> = {
  Available: ['Available', 'Disponible'],
  Busy: ['Busy', 'Occupé'],
  DoNotDisturb: ['Do not disturb', 'Ne pas déranger'],
  Away: ['Away', 'Absent'],
  Offline: ['Offline', 'Hors ligne'],
};

function presenceChoiceSet(): ChoiceDef {
  return {
    name: 'swb_presencebase',
    displayName: label(['Base presence', 'Présence de base']),
    description: label(['The presence every custom status maps to.', 'La présence à laquelle correspond chaque statut personnalisé.']),
    options: PRESENCE_BASES.map((base): ChoiceOptionDef => ({ value: PRESENCE_CHOICE[base], name: base, label: label([...PRESENCE_LABELS[base]]) })),
  };
}

export const choices: ChoiceDef[] = [
  choiceSet('swb_conversationstate', ['Conversation state', 'État de la conversation'], ['Where a conversation is in its lifecycle.', 'Étape du cycle de vie de la conversation.'], [
    ['Open', 'Open', 'Ouverte'],
    ['Waiting', 'Waiting', 'En attente'],
    ['Active', 'Active', 'Active'],
    ['WrapUp', 'Wrap-up', 'Conclusion'],
    ['Closed', 'Closed', 'Fermée'],
  ]),
  choiceSet('swb_channeltype', ['Channel type', 'Type de canal'], ['How the customer reaches us.', 'Moyen par lequel le client nous contacte.'], [
    ['LiveChat', 'Live chat', 'Conversation en direct'],
    ['Sms', 'SMS', 'SMS'],
  ]),
  choiceSet('swb_provider', ['Provider', 'Fournisseur'], ['SMS provider behind a channel.', 'Fournisseur SMS derrière un canal.'], [
    ['Twilio', 'Twilio', 'Twilio'],
    ['TeleSign', 'TeleSign', 'TeleSign'],
    ['Acs', 'Azure Communication Services', 'Azure Communication Services'],
  ]),
  presenceChoiceSet(),
  choiceSet('swb_messagedirection', ['Message direction', 'Sens du message'], ['Whether a message came from the customer or goes to them.', 'Indique si le message vient du client ou lui est destiné.'], [
    ['Inbound', 'Inbound', 'Entrant'],
    ['Outbound', 'Outbound', 'Sortant'],
  ]),
  choiceSet('swb_authorkind', ['Author kind', "Type d'auteur"], ['Who wrote a message.', 'Auteur du message.'], [
    ['Customer', 'Customer', 'Client'],
    ['Agent', 'Agent', 'Agent'],
    ['Bot', 'Bot', 'Robot'],
    ['System', 'System', 'Système'],
  ]),
  choiceSet('swb_visibility', ['Visibility', 'Visibilité'], ['Internal messages are never shown to the customer.', 'Les messages internes ne sont jamais montrés au client.'], [
    ['Public', 'Public', 'Public'],
    ['Internal', 'Internal', 'Interne'],
  ]),
  choiceSet('swb_deliverystatus', ['Delivery status', 'État de remise'], ['Delivery of a message through its channel.', 'Remise du message par son canal.'], [
    ['Pending', 'Pending', 'En attente'],
    ['Queued', 'Queued', 'En file'],
    ['Sent', 'Sent', 'Envoyé'],
    ['Delivered', 'Delivered', 'Remis'],
    ['Failed', 'Failed', 'Échec'],
    ['Received', 'Received', 'Reçu'],
  ]),
  choiceSet('swb_offerresponse', ['Offer response', "Réponse à l'offre"], ["An agent's answer to an offered conversation.", "Réponse d'un agent à une conversation proposée."], [
    ['Pending', 'Pending', 'En attente'],
    ['Accepted', 'Accepted', 'Acceptée'],
    ['Declined', 'Declined', 'Refusée'],
    ['TimedOut', 'Timed out', 'Expirée'],
    // A supervisor assigned or closed the conversation while it was offered: not the agent's
    // decline, so routing does not hold it against them.
    ['Withdrawn', 'Withdrawn', 'Retirée'],
  ]),
  choiceSet('swb_assignmentmethod', ['Assignment method', "Méthode d'attribution"], ['How a queue picks an agent.', 'Comment une file choisit un agent.'], [
    ['HighestCapacity', 'Highest capacity', 'Capacité la plus élevée'],
    ['AdvancedRoundRobin', 'Advanced round robin', 'Tourniquet avancé'],
    ['LeastActive', 'Least active', 'Le moins actif'],
  ]),
  choiceSet('swb_overflowcondition', ['Overflow condition', 'Condition de débordement'], ['When a queue overflows.', 'Quand une file déborde.'], [
    ['ItemLimitExceeded', 'Item limit exceeded', "Limite d'éléments dépassée"],
    ['WaitTimeExceeded', 'Wait time exceeded', "Temps d'attente dépassé"],
    ['OutsideOperatingHours', 'Outside operating hours', "En dehors des heures d'ouverture"],
  ]),
  choiceSet('swb_overflowaction', ['Overflow action', 'Action de débordement'], ['What happens to an item when its queue overflows.', "Ce qu'il advient d'un élément quand sa file déborde."], [
    ['TransferToQueue', 'Transfer to another queue', 'Transférer vers une autre file'],
    ['AutomatedMessage', 'Send an automated message and end', 'Envoyer un message automatique et terminer'],
  ]),
  choiceSet('swb_sessionrole', ['Session role', 'Rôle de session'], ["An agent's part in a conversation.", "Rôle d'un agent dans une conversation."], [
    ['Primary', 'Primary', 'Principal'],
    ['Consult', 'Consult', 'Consultation'],
  ]),
  choiceSet('swb_sessionstate', ['Session state', 'État de session'], ["Where an agent's session stands.", "Où en est la session d'un agent."], [
    ['Active', 'Active', 'Active'],
    ['WrapUp', 'Wrap-up', 'Conclusion'],
    ['Closed', 'Closed', 'Fermée'],
  ]),
  choiceSet('swb_wrapupblocking', ['Wrap-up blocking', 'Blocage en conclusion'], ['Whether wrap-up keeps holding the agent\'s capacity.', "Indique si la conclusion garde la capacité de l'agent."], [
    ['Never', 'Release capacity at wrap-up', 'Libérer la capacité dès la conclusion'],
    ['UntilClosed', 'Hold capacity until closed', "Garder la capacité jusqu'à la fermeture"],
    ['ForDuration', 'Hold capacity for a set time', 'Garder la capacité pendant une durée fixée'],
  ]),
  choiceSet('swb_routingrulekind', ['Routing rule kind', 'Type de règle de routage'], ['Classification rules enrich; route-to-queue rules pick the queue.', 'Les règles de classification enrichissent ; les règles de routage choisissent la file.'], [
    ['Classification', 'Classification', 'Classification'],
    ['RouteToQueue', 'Route to queue', 'Router vers une file'],
  ]),
  choiceSet('swb_automatedmessagetrigger', ['Automated message trigger', 'Déclencheur de message automatique'], ['The event that sends an automated message.', "L'événement qui envoie un message automatique."], [
    ['ConversationStarted', 'Conversation started', 'Conversation commencée'],
    ['Queued', 'Queued', 'Mise en file'],
    ['AgentAssigned', 'Agent assigned', 'Agent attribué'],
    ['AgentLeft', 'Agent left', "L'agent est parti"],
    ['OutsideOperatingHours', 'Outside operating hours', "En dehors des heures d'ouverture"],
    ['ConversationEnded', 'Conversation ended', 'Conversation terminée'],
  ]),
  choiceSet('swb_templatekind', ['Template kind', 'Type de modèle'], ['Outbound message template or agent quick reply.', 'Modèle de message sortant ou réponse rapide.'], [
    ['MessageTemplate', 'Message template', 'Modèle de message'],
    ['QuickReply', 'Quick reply', 'Réponse rapide'],
  ]),
  choiceSet('swb_contextvariabletype', ['Context variable type', 'Type de variable de contexte'], ['Type of a value the host page passes to the widget.', "Type d'une valeur transmise au widget par la page hôte."], [
    ['Text', 'Text', 'Texte'],
    ['Number', 'Number', 'Nombre'],
    ['Boolean', 'Yes/No', 'Oui/Non'],
  ]),
  choiceSet('swb_agentconnectionstate', ['Agent connection state', "État de connexion de l'agent"], ["Whether the agent's workspace is connected.", "Indique si l'espace de travail de l'agent est connecté."], [
    ['Connected', 'Connected', 'Connecté'],
    ['Disconnected', 'Disconnected', 'Déconnecté'],
    ['SignedOut', 'Signed out', 'Déconnecté de la session'],
  ]),
  choiceSet('swb_identificationresult', ['Identification result', "Résultat d'identification"], ['Outcome of matching the customer to a contact or account.', "Résultat de la correspondance du client avec un contact ou un compte."], [
    ['NotAttempted', 'Not attempted', 'Non tentée'],
    ['Identified', 'Identified', 'Identifié'],
    ['NotFound', 'Not found', 'Introuvable'],
    ['Ambiguous', 'Ambiguous', 'Ambigu'],
  ]),
  // The commercial product's seven-point scale (core/src/insights/sentiment.ts SENTIMENT_LEVELS, in order).
  choiceSet('swb_sentiment', ['Sentiment', 'Sentiment'], ["The customer's mood as last estimated.", "L'humeur du client telle que dernièrement estimée."], [
    ['VeryNegative', 'Very negative', 'Très négatif'],
    ['Negative', 'Negative', 'Négatif'],
    ['SlightlyNegative', 'Slightly negative', 'Légèrement négatif'],
    ['Neutral', 'Neutral', 'Neutre'],
    ['SlightlyPositive', 'Slightly positive', 'Légèrement positif'],
    ['Positive', 'Positive', 'Positif'],
    ['VeryPositive', 'Very positive', 'Très positif'],
  ]),
  choiceSet('swb_insightgrain', ['Period', 'Période'], ['The length of an insights bucket.', "La durée d'un compartiment d'analyse."], [
    ['Hour', 'Hour', 'Heure'],
    ['Day', 'Day', 'Jour'],
    ['Month', 'Month', 'Mois'],
  ]),
  choiceSet('swb_skillmatching', ['Skill matching', 'Correspondance des compétences'], ['Exact match needs every skill; closest match ranks by proficiency.', 'La correspondance exacte exige toutes les compétences ; la plus proche classe par niveau.'], [
    ['Exact', 'Exact match', 'Correspondance exacte'],
    ['Closest', 'Closest match', 'Correspondance la plus proche'],
  ]),
  choiceSet('swb_botkind', ['Bot kind', 'Type de robot'], ['How Switchboard talks to a bot.', 'Comment Switchboard parle à un robot.'], [
    ['DirectLine', 'Bot Framework Direct Line', 'Bot Framework Direct Line'],
    ['Webhook', 'Webhook bot', 'Robot webhook'],
  ]),
  choiceSet('swb_botstate', ['Bot state', 'État du robot'], ['Where the bot stands in a conversation it answered first.', "Où en est le robot dans une conversation qu'il a prise en premier."], [
    ['Holding', 'Bot answering', 'Robot en cours'],
    ['HandedOff', 'Handed off to a person', 'Passée à une personne'],
    ['Ended', 'Ended by the bot', 'Terminée par le robot'],
    ['Failed', 'Bot failed, a person took over', 'Échec du robot, reprise par une personne'],
    ['TimedOut', 'Closed after inactivity', 'Fermée après inactivité'],
  ]),
  choiceSet('swb_waitoutcome', ['Wait outcome', "Issue de l'attente"], ["How a conversation's first wait in a queue ended.", "Comment s'est terminée la première attente d'une conversation en file."], [
    ['AnsweredWithin20s', 'Answered within 20 s', 'Répondue en 20 s'],
    ['AnsweredWithin60s', 'Answered within 60 s', 'Répondue en 60 s'],
    ['AnsweredLater', 'Answered after 60 s', 'Répondue après 60 s'],
    ['Abandoned', 'Abandoned', 'Abandonnée'],
  ]),
  choiceSet('swb_supervisoractionkind', ['Supervisor action', 'Action de superviseur'], ['What a supervisor did on the floor.', "Ce qu'un superviseur a fait."], [
    ['Monitor', 'Monitor', 'Écoute'],
    ['Join', 'Join', 'Participation'],
    ['Assign', 'Assign', 'Attribution'],
    ['Transfer', 'Transfer', 'Transfert'],
    ['ForceClose', 'Force close', 'Fermeture forcée'],
    ['SetPresence', 'Set presence', 'Changement de présence'],
    ['SignOut', 'Sign out', 'Déconnexion'],
  ]),
  choiceSet('swb_numberkind', ['Number kind', 'Type de numéro'], ['Kind of SMS sender.', "Type d'expéditeur SMS."], [
    ['LongCode', 'Long code', 'Numéro long'],
    ['ShortCode', 'Short code', 'Numéro court'],
    ['TollFree', 'Toll-free', 'Numéro gratuit'],
    ['Alphanumeric', 'Alphanumeric sender', 'Expéditeur alphanumérique'],
  ]),
];
