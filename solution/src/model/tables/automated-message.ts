import { bool, choice, lookup, memo, table, text } from '../builders';

export const automatedMessage = table({
  logicalName: 'swb_automatedmessage',
  entitySetName: 'swb_automatedmessages',
  name: ['Automated message', 'Message automatique'],
  plural: ['Automated messages', 'Messages automatiques'],
  description: ['A system message sent to the customer when a lifecycle event happens.', 'Un message système envoyé au client lors d\'un événement.'],
  ownership: 'organization',
  columns: [
    choice('swb_trigger', 'swb_automatedmessagetrigger', ['Trigger', 'Déclencheur'], ['Event that sends the message.', 'Événement qui envoie le message.'], { required: 'required' }),
    choice('swb_channeltype', 'swb_channeltype', ['Channel type', 'Type de canal'], ['Channel type it applies to; empty for all.', 'Type de canal concerné ; vide pour tous.']),
    text('swb_locale', ['Locale', 'Langue'], ['Locale of the text (fr-FR).', 'Langue du texte (fr-FR).'], 20, { required: 'required' }),
    memo('swb_text', ['Text', 'Texte'], ['The message, with placeholders.', 'Le message, avec espaces réservés.'], 4000, { required: 'required' }),
    lookup('swb_workstreamid', 'swb_workstream', ['Workstream', 'Flux de travail'], ['Limit to one workstream; empty for all.', 'Limiter à un flux ; vide pour tous.']),
    bool('swb_isenabled', ['Enabled', 'Activé'], ['Disabled messages are not sent.', 'Les messages désactivés ne sont pas envoyés.'], true),
  ],
});
