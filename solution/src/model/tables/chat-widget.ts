import { bool, json, lookup, memo, table, text } from '../builders';

export const chatWidget = table({
  logicalName: 'swb_chatwidget',
  entitySetName: 'swb_chatwidgets',
  name: ['Chat widget', 'Widget de chat'],
  plural: ['Chat widgets', 'Widgets de chat'],
  description: ['A live-chat widget embedded on web pages.', 'Un widget de chat intégré aux pages web.'],
  ownership: 'organization',
  columns: [
    memo('swb_allowedorigins', ['Allowed origins', 'Origines autorisées'], ['One origin per line (https://shop.example); others are refused.', 'Une origine par ligne ; les autres sont refusées.'], 4000),
    json('swb_prechatquestions', ['Pre-chat questions', 'Questions avant chat'], ['JSON array of questions {id, label{1033,1036}, type, required, contactField} — contactField maps an answer to a contact column for identification.', 'Tableau JSON des questions ; contactField relie une réponse à une colonne du contact.']),
    lookup('swb_operatinghoursid', 'swb_operatinghours', ['Operating hours', "Heures d'ouverture"], ['Hours the widget is staffed.', 'Heures de présence.']),
    json('swb_localestrings', ['Locale strings', 'Textes localisés'], ['JSON object of widget strings per locale, overriding the defaults.', 'Objet JSON des textes du widget par langue.']),
    text('swb_defaultlocale', ['Default locale', 'Langue par défaut'], ['Locale used when the browser asks for none we have (en-US).', 'Langue utilisée à défaut (en-US).'], 20),
    lookup('swb_workstreamid', 'swb_workstream', ['Workstream', 'Flux de travail'], ['Workstream that routes chats from this widget.', 'Flux qui route les chats de ce widget.'], { required: 'required' }),
    bool('swb_isenabled', ['Enabled', 'Activé'], ['Disabled widgets refuse new chats.', 'Les widgets désactivés refusent les nouveaux chats.'], true),
  ],
});
