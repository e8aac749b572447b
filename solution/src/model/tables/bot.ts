import { bool, choice, int, table, text, url } from '../builders';

// A bot that may answer customers before a person: a Bot Framework bot through Direct Line
// (Azure Bot Service, Copilot Studio) or any bot that speaks Switchboard's signed webhook
// contract. Workstreams and classification rules point at one; the secret stays in the
// functions app's settings, the row only names the setting.
export const bot = table({
  logicalName: 'swb_bot',
  entitySetName: 'swb_bots',
  name: ['Bot', 'Robot'],
  plural: ['Bots', 'Robots'],
  description: ['A bot that answers customers first and hands off to a person.', "Un robot qui répond d'abord aux clients puis passe la main à une personne."],
  ownership: 'organization',
  columns: [
    choice('swb_kind', 'swb_botkind', ['Kind', 'Type'], ['Bot Framework Direct Line, or a webhook bot.', 'Bot Framework Direct Line, ou un robot webhook.'], { required: 'required' }),
    url('swb_endpointurl', ['Endpoint', 'Point de terminaison'], [
      'Direct Line: the API root (https://directline.botframework.com/v3/directline, or a regional one). Webhook: the URL Switchboard posts events to.',
      "Direct Line : la racine de l'API (https://directline.botframework.com/v3/directline, ou une régionale). Webhook : l'URL où Switchboard publie les événements.",
    ], { required: 'required' }),
    text('swb_secretsettingname', ['Secret setting', 'Paramètre du secret'], [
      'Name of the functions app setting that holds the Direct Line secret or the webhook signing secret (never the secret itself).',
      "Nom du paramètre de l'application de fonctions qui contient le secret Direct Line ou de signature (jamais le secret lui-même).",
    ], 100, { required: 'required' }),
    int('swb_timeoutseconds', ['Answer timeout (seconds)', 'Délai de réponse (secondes)'], [
      'A bot that fails or takes longer than this to answer hands the conversation to a person at once.',
      'Un robot en échec ou qui répond après ce délai passe aussitôt la conversation à une personne.',
    ], 1, 60, { defaultValue: 5 }),
    int('swb_inactivityminutes', ['Inactivity timeout (minutes)', "Délai d'inactivité (minutes)"], [
      'A conversation the bot still holds with no message from either side for this long is closed.',
      "Une conversation encore tenue par le robot sans message de part et d'autre pendant cette durée est fermée.",
    ], 1, 10080, { defaultValue: 30 }),
    bool('swb_isenabled', ['Enabled', 'Activé'], ['A disabled bot is skipped: conversations go straight to a person.', 'Un robot désactivé est ignoré : les conversations vont directement à une personne.'], true),
  ],
});
