import { label } from './builders';
import type { EnvironmentVariableDef } from './types';

export const environmentVariables: EnvironmentVariableDef[] = [
  {
    schemaName: 'swb_FunctionsBaseUrl',
    displayName: label(['Functions base URL', 'URL de base des fonctions']),
    description: label(['Public base URL of the Switchboard functions app (https://contoso-switchboard.azurewebsites.net/api).', "URL publique de base de l'application de fonctions Switchboard."]),
    type: 'string',
  },
  {
    schemaName: 'swb_WebhookKeySettingName',
    displayName: label(['Webhook key setting name', 'Nom du paramètre de clé webhook']),
    description: label(['Name of the functions app setting holding the key plugin-step webhooks send; never the key.', "Nom du paramètre de l'application contenant la clé des webhooks ; jamais la clé."]),
    type: 'string',
    defaultValue: 'SWITCHBOARD_WEBHOOK_KEY',
  },
  {
    schemaName: 'swb_DefaultPhoneRegion',
    displayName: label(['Default phone region', 'Région téléphonique par défaut']),
    description: label(['ISO 3166 region used to read numbers typed without a country code.', 'Région ISO 3166 pour lire les numéros saisis sans indicatif.']),
    type: 'string',
    defaultValue: 'US',
  },
  {
    schemaName: 'swb_DefaultLocale',
    displayName: label(['Default locale', 'Langue par défaut']),
    description: label(['Locale for automated messages when the customer language is unknown.', 'Langue des messages automatiques quand celle du client est inconnue.']),
    type: 'string',
    defaultValue: 'en-US',
  },
  {
    schemaName: 'swb_DisconnectGraceSeconds',
    displayName: label(['Disconnect grace (seconds)', 'Délai de déconnexion (secondes)']),
    description: label(['A disconnect shorter than this keeps the agent presence.', "Une déconnexion plus courte garde la présence de l'agent."]),
    type: 'number',
    defaultValue: '150',
  },
  {
    schemaName: 'swb_HeartbeatSeconds',
    displayName: label(['Heartbeat interval (seconds)', 'Intervalle de signal (secondes)']),
    description: label(['How often agent workspaces report they are connected.', 'Fréquence à laquelle les espaces de travail signalent leur connexion.']),
    type: 'number',
    defaultValue: '30',
  },
];
