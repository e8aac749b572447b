import { choice, memo, table, text } from '../builders';

export const messageTemplate = table({
  logicalName: 'swb_messagetemplate',
  entitySetName: 'swb_messagetemplates',
  name: ['Message template', 'Modèle de message'],
  plural: ['Message templates', 'Modèles de message'],
  description: ['Reusable text for outbound messages and agent quick replies; {placeholders} are filled on send.', 'Texte réutilisable ; les {espaces réservés} sont remplis à l\'envoi.'],
  ownership: 'organization',
  columns: [
    choice('swb_kind', 'swb_templatekind', ['Kind', 'Type'], ['Message template or quick reply.', 'Modèle de message ou réponse rapide.'], { required: 'required' }),
    text('swb_locale', ['Locale', 'Langue'], ['Locale of the text (fr-FR).', 'Langue du texte (fr-FR).'], 20, { required: 'required' }),
    choice('swb_channeltype', 'swb_channeltype', ['Channel type', 'Type de canal'], ['Restrict to one channel type; empty for all.', 'Limiter à un type de canal ; vide pour tous.']),
    memo('swb_body', ['Body', 'Corps'], ['Text with placeholders such as {customer.firstname}.', 'Texte avec espaces réservés tels que {customer.firstname}.'], 4000, { required: 'required' }),
  ],
});
