import { bool, choice, int, json, lookup, memo, table } from '../builders';

export const routingRule = table({
  logicalName: 'swb_routingrule',
  entitySetName: 'swb_routingrules',
  name: ['Routing rule', 'Règle de routage'],
  plural: ['Routing rules', 'Règles de routage'],
  description: ['An ordered rule of a workstream: classify a conversation or route it to a queue.', "Une règle ordonnée d'un flux : classer une conversation ou la router vers une file."],
  ownership: 'organization',
  columns: [
    lookup('swb_workstreamid', 'swb_workstream', ['Workstream', 'Flux de travail'], ['Workstream the rule belongs to.', 'Flux de la règle.'], { required: 'required' }),
    choice('swb_kind', 'swb_routingrulekind', ['Kind', 'Type'], ['Classification or route to queue.', 'Classification ou routage vers une file.'], { required: 'required' }),
    int('swb_order', ['Order', 'Ordre'], ['Rules run in ascending order; the first route-to-queue match wins.', "Les règles s'exécutent par ordre croissant."], 0, 100000, { required: 'required' }),
    memo('swb_condition', ['Condition', 'Condition'], ['Condition over conversation, customer and context attributes.', 'Condition sur les attributs de la conversation, du client et du contexte.'], 4000),
    json('swb_actions', ['Actions', 'Actions'], ['JSON actions of a classification rule (set priority, add skills...).', "Actions JSON d'une règle de classification."], 10000),
    lookup('swb_targetqueueid', 'queue', ['Target queue', 'File cible'], ['Queue a route-to-queue rule sends to.', 'File cible.']),
    int('swb_percentage', ['Percentage', 'Pourcentage'], ['Share of matching items sent to the target queue (percentage routing).', 'Part des éléments envoyés à la file cible.'], 0, 100, { defaultValue: 100 }),
    lookup('swb_botid', 'swb_bot', ['Bot', 'Robot'], ['A matching classification rule makes this bot answer first (overrides the workstream\'s bot).', 'Une règle de classification correspondante fait répondre ce robot en premier (remplace celui du flux).']),
    bool('swb_isenabled', ['Enabled', 'Activée'], ['Disabled rules are skipped.', 'Les règles désactivées sont ignorées.'], true),
  ],
});
