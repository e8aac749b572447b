import { bool, choice, lookup, phone, table, text, url } from '../builders';

// Secrets (auth tokens, API keys, connection strings) live in the functions app's
// settings or Key Vault; a row only names the setting, so a Dataverse reader with
// access to the row never learns a credential.
export const channel = table({
  logicalName: 'swb_channel',
  entitySetName: 'swb_channels',
  name: ['Channel', 'Canal'],
  plural: ['Channels', 'Canaux'],
  description: ['An SMS provider account connected to Switchboard.', 'Un compte de fournisseur SMS relié à Switchboard.'],
  ownership: 'organization',
  columns: [
    choice('swb_channeltype', 'swb_channeltype', ['Channel type', 'Type de canal'], ['Channel type.', 'Type de canal.'], { required: 'required', defaultValue: 612400001 }),
    choice('swb_provider', 'swb_provider', ['Provider', 'Fournisseur'], ['Twilio, TeleSign or Azure Communication Services.', 'Twilio, TeleSign ou Azure Communication Services.'], { required: 'required' }),
    phone('swb_phonenumber', ['Phone number', 'Numéro de téléphone'], ['Default sender number in E.164.', "Numéro d'envoi par défaut au format E.164."]),
    text('swb_senderid', ['Sender id', "Identifiant d'expéditeur"], ['Alphanumeric sender or messaging service id, if any.', "Expéditeur alphanumérique ou service de messagerie."], 100),
    text('swb_accountid', ['Account id', 'Identifiant de compte'], ['Twilio account SID, TeleSign customer id or ACS endpoint.', 'SID Twilio, identifiant client TeleSign ou point de terminaison ACS.'], 200),
    text('swb_secretsettingname', ['Secret setting name', 'Nom du paramètre secret'], ['Name of the app setting holding the auth token, API key or connection string — never the value.', "Nom du paramètre d'application contenant le jeton, la clé ou la chaîne de connexion — jamais la valeur."], 100),
    text('swb_callbacksecretsettingname', ['Callback secret setting name', 'Nom du paramètre secret de rappel'], ['Name of the app setting used to authenticate provider callbacks — never the value.', "Nom du paramètre servant à authentifier les rappels — jamais la valeur."], 100),
    url('swb_callbackbaseurl', ['Public callback base URL', 'URL publique de rappel'], ['Public base URL the provider calls (signature checks use it).', 'URL publique appelée par le fournisseur.']),
    phone('swb_testnumber', ['Test number', 'Numéro de test'], ['Number that receives the "validate API key" test SMS.', 'Numéro qui reçoit le SMS de validation.']),
    lookup('swb_workstreamid', 'swb_workstream', ['Workstream', 'Flux de travail'], ['Workstream that routes this channel.', 'Flux qui route ce canal.']),
    text('swb_defaultregion', ['Default region', 'Région par défaut'], ['ISO 3166 region for numbers typed without a country code (GB).', 'Région ISO 3166 des numéros saisis sans indicatif.'], 2),
    bool('swb_isenabled', ['Enabled', 'Activé'], ['Disabled channels refuse inbound messages.', 'Les canaux désactivés refusent les messages.'], true),
  ],
});
