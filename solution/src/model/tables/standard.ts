// Standard tables Switchboard reads or extends. Columns marked `standard` exist in
// every Dataverse environment: the metadata knows them, the solution never writes them.
// Columns without the mark are our extensions and are shipped in the solution.
import { bool, choice, column, customer, int, lookup, phone, table, text, type Text } from '../builders';
import type { ColumnDef } from '../types';

const std = (c: ColumnDef): ColumnDef => ({ ...c, standard: true });
const stdText = (n: string, name: Text, d: Text, maxLength: number, extra: Partial<ColumnDef> = {}) => std(text(n, name, d, maxLength, extra));

export const contact = table({
  logicalName: 'contact',
  entitySetName: 'contacts',
  name: ['Contact', 'Contact'],
  plural: ['Contacts', 'Contacts'],
  description: ['Person with whom a business unit has a relationship.', 'Personne avec qui une unité commerciale a une relation.'],
  ownership: 'user',
  standard: true,
  primaryName: { logicalName: 'fullname', name: ['Full name', 'Nom complet'], maxLength: 160 },
  columns: [
    stdText('firstname', ['First name', 'Prénom'], ['First name.', 'Prénom.'], 50),
    stdText('lastname', ['Last name', 'Nom'], ['Last name.', 'Nom.'], 50),
    std(column('emailaddress1', 'string', ['Email', 'Courrier électronique'], ['Primary email.', 'Adresse principale.'], { maxLength: 100, format: 'email', searched: true })),
    std(phone('mobilephone', ['Mobile phone', 'Téléphone mobile'], ['Matched against the SMS sender in E.164.', "Comparé à l'expéditeur SMS au format E.164."], { searched: true, maxLength: 50 })),
    std(phone('telephone1', ['Business phone', 'Téléphone professionnel'], ['Business phone.', 'Téléphone professionnel.'], { maxLength: 50 })),
    std(customer('parentcustomerid', ['Company name', 'Nom de la société'], ['Parent account or contact.', 'Compte ou contact parent.'])),
  ],
});

export const account = table({
  logicalName: 'account',
  entitySetName: 'accounts',
  name: ['Account', 'Compte'],
  plural: ['Accounts', 'Comptes'],
  description: ['Business that represents a customer or potential customer.', 'Entreprise cliente ou cliente potentielle.'],
  ownership: 'user',
  standard: true,
  primaryName: { logicalName: 'name', name: ['Account name', 'Nom du compte'], maxLength: 160 },
  columns: [
    std(phone('telephone1', ['Main phone', 'Téléphone principal'], ['Matched against the SMS sender in E.164.', "Comparé à l'expéditeur SMS au format E.164."], { searched: true, maxLength: 50 })),
    std(column('emailaddress1', 'string', ['Email', 'Courrier électronique'], ['Primary email.', 'Adresse principale.'], { maxLength: 100, format: 'email', searched: true })),
  ],
});

export const systemUser = table({
  logicalName: 'systemuser',
  entitySetName: 'systemusers',
  name: ['User', 'Utilisateur'],
  plural: ['Users', 'Utilisateurs'],
  description: ['Person with access to the system; agents and supervisors.', 'Personne ayant accès au système ; agents et superviseurs.'],
  ownership: 'organization',
  standard: true,
  primaryName: { logicalName: 'fullname', name: ['Full name', 'Nom complet'], maxLength: 200 },
  columns: [
    stdText('domainname', ['User name', "Nom d'utilisateur"], ['Sign-in name.', 'Nom de connexion.'], 1024, { searched: true }),
    std(column('internalemailaddress', 'string', ['Primary email', 'Adresse principale'], ['Primary email.', 'Adresse principale.'], { maxLength: 100, format: 'email' })),
    std(bool('isdisabled', ['Status', 'Statut'], ['Disabled users get no work.', "Les utilisateurs désactivés ne reçoivent pas de travail."])),
  ],
});

export const queue = table({
  logicalName: 'queue',
  entitySetName: 'queues',
  name: ['Queue', 'File'],
  plural: ['Queues', 'Files'],
  description: ['A list of work items; Switchboard routes conversations through queues.', 'Une liste de travail ; Switchboard route les conversations par les files.'],
  ownership: 'user',
  standard: true,
  primaryName: { logicalName: 'name', name: ['Name', 'Nom'], maxLength: 200 },
  columns: [
    int('swb_priority', ['Routing priority', 'Priorité de routage'], ['Higher priority queues are served first.', 'Les files prioritaires sont servies en premier.'], 0, 1000, { defaultValue: 0 }),
    choice('swb_assignmentmethod', 'swb_assignmentmethod', ['Assignment method', "Méthode d'attribution"], ['How this queue picks an agent.', 'Comment la file choisit un agent.']),
    int('swb_itemlimit', ['Item limit', "Limite d'éléments"], ['Waiting items beyond which the queue overflows; 0 for none.', 'Éléments en attente au-delà desquels la file déborde ; 0 pour aucune.'], 0, 100000, { defaultValue: 0 }),
    int('swb_maxwaitseconds', ['Maximum wait (seconds)', 'Attente maximale (secondes)'], ['Wait beyond which the item overflows; 0 for none.', "Attente au-delà de laquelle l'élément déborde ; 0 pour aucune."], 0, 604800, { defaultValue: 0 }),
    // Comma-separated swb_overflowcondition values (see workstream.swb_allowedpresences for why not multi-select).
    text('swb_overflowconditions', ['Overflow conditions', 'Conditions de débordement'], ['Comma-separated overflow condition values (swb_overflowcondition) that trigger overflow.', 'Valeurs de condition de débordement (swb_overflowcondition) séparées par des virgules.'], 200),
    choice('swb_overflowaction', 'swb_overflowaction', ['Overflow action', 'Action de débordement'], ['Transfer to another queue or send an automated message.', 'Transférer ou envoyer un message automatique.']),
    lookup('swb_overflowqueueid', 'queue', ['Overflow queue', 'File de débordement'], ['Queue that takes overflowing items.', 'File qui reçoit les éléments en débordement.']),
    lookup('swb_overflowmessageid', 'swb_automatedmessage', ['Overflow message', 'Message de débordement'], ['Automated message sent on overflow.', 'Message automatique envoyé au débordement.']),
    bool('swb_isfallback', ['Fallback queue', 'File de secours'], ['Receives items no rule routes.', "Reçoit les éléments qu'aucune règle ne route."]),
    lookup('swb_operatinghoursid', 'swb_operatinghours', ['Operating hours', "Heures d'ouverture"], ['Hours the queue is staffed.', 'Heures de présence de la file.']),
  ],
});

export const incident = table({
  logicalName: 'incident',
  entitySetName: 'incidents',
  name: ['Case', 'Incident'],
  plural: ['Cases', 'Incidents'],
  description: ['Service request case associated with a contract.', 'Incident de service.'],
  ownership: 'user',
  standard: true,
  primaryName: { logicalName: 'title', name: ['Case title', "Titre de l'incident"], maxLength: 200 },
  columns: [
    std(customer('customerid', ['Customer', 'Client'], ['Account or contact the case is for.', "Compte ou contact de l'incident."], { required: 'required' })),
    lookup('swb_conversationid', 'swb_conversation', ['Conversation', 'Conversation'], ['Conversation the case was raised from.', "Conversation à l'origine de l'incident."]),
  ],
});
