import { bool, choice, int, json, lookup, table, text } from '../builders';

export const workstream = table({
  logicalName: 'swb_workstream',
  entitySetName: 'swb_workstreams',
  name: ['Workstream', 'Flux de travail'],
  plural: ['Workstreams', 'Flux de travail'],
  description: ['How conversations of one channel type are routed and assigned.', "Comment les conversations d'un type de canal sont routées et attribuées."],
  ownership: 'organization',
  columns: [
    choice('swb_channeltype', 'swb_channeltype', ['Channel type', 'Type de canal'], ['Channel type this workstream serves.', 'Type de canal servi par ce flux.'], { required: 'required' }),
    choice('swb_assignmentmethod', 'swb_assignmentmethod', ['Assignment method', "Méthode d'attribution"], ['Default method when the queue has none.', "Méthode par défaut si la file n'en a pas."]),
    // Comma-separated swb_presencebase values, the same text the Web API gives for a
    // multi-select choice: the solution schema we validate against has no multi-select type.
    text('swb_allowedpresences', ['Allowed presences', 'Présences autorisées'], ['Comma-separated presence values (swb_presencebase) that may receive work; empty means Available and Busy.', 'Valeurs de présence (swb_presencebase) séparées par des virgules ; vide : Disponible et Occupé.'], 200),
    int('swb_capacityunits', ['Capacity units', 'Unités de capacité'], ['Units one conversation uses.', 'Unités utilisées par une conversation.'], 0, 10000, { defaultValue: 1 }),
    lookup('swb_capacityprofileid', 'swb_capacityprofile', ['Capacity profile', 'Profil de capacité'], ['Profile whose limit applies instead of units.', 'Profil dont la limite s\'applique à la place des unités.']),
    int('swb_offertimeoutseconds', ['Offer timeout (seconds)', "Délai d'offre (secondes)"], ['How long an agent has to accept.', "Temps dont dispose l'agent pour accepter."], 5, 3600, { defaultValue: 60 }),
    int('swb_declinelimit', ['Decline limit', 'Limite de refus'], ['Offers declined or timed out before the item stops being offered and overflows.', 'Refus ou expirations avant que l\'élément ne soit plus proposé.'], 0, 100, { defaultValue: 3 }),
    choice('swb_wrapupblocking', 'swb_wrapupblocking', ['Wrap-up blocking', 'Blocage en conclusion'], ['Whether wrap-up keeps holding capacity.', 'Indique si la conclusion garde la capacité.']),
    int('swb_wrapupseconds', ['Wrap-up time (seconds)', 'Durée de conclusion (secondes)'], ['Capacity is held this long when blocking for a set time.', 'Durée pendant laquelle la capacité reste prise.'], 0, 86400, { defaultValue: 0 }),
    choice('swb_skillmatching', 'swb_skillmatching', ['Skill matching', 'Correspondance des compétences'], ['Exact or closest skill match.', 'Correspondance exacte ou la plus proche.']),
    lookup('swb_operatinghoursid', 'swb_operatinghours', ['Operating hours', "Heures d'ouverture"], ['When agents of this workstream work.', 'Heures de travail des agents de ce flux.']),
    lookup('swb_fallbackqueueid', 'queue', ['Fallback queue', 'File de secours'], ['Queue used when no rule matches.', 'File utilisée quand aucune règle ne correspond.']),
    lookup('swb_botid', 'swb_bot', ['Bot', 'Robot'], ['Bot that answers first, before a person (a classification rule may pick another).', "Robot qui répond d'abord, avant une personne (une règle de classification peut en choisir un autre)."]),
    bool('swb_sentimentenabled', ['Sentiment analysis', 'Analyse du sentiment'], ['Score customers\' messages of this workstream (when the organisation has it on). Off: no message is sent to any provider.', "Évaluer les messages des clients de ce flux (si l'organisation l'a activée). Désactivée : aucun message n'est envoyé à un fournisseur."], true),
    bool('swb_surveyenabled', ['Satisfaction survey', 'Enquête de satisfaction'], ['Ask the customer for a 1–5 rating when a conversation ends.', 'Demander au client une note de 1 à 5 à la fin d\'une conversation.'], false),
    json('swb_surveytexts', ['Survey wording', "Texte de l'enquête"], ['The survey question by language, as JSON {"en": "…", "fr": "…"}; empty: the built-in wording.', "La question de l'enquête par langue, en JSON {\"en\": \"…\", \"fr\": \"…\"} ; vide : le texte intégré."], 4000),
  ],
});
