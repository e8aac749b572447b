import { bool, choice, key, lookup, table } from '../builders';

export const contextVariable = table({
  logicalName: 'swb_contextvariable',
  entitySetName: 'swb_contextvariables',
  name: ['Context variable', 'Variable de contexte'],
  plural: ['Context variables', 'Variables de contexte'],
  description: ['A value the host page may pass when a chat starts; usable in routing conditions.', "Une valeur que la page hôte peut transmettre au début d'un chat."],
  ownership: 'organization',
  primaryName: { logicalName: 'swb_name', name: ['Name', 'Nom'], maxLength: 100 },
  columns: [
    lookup('swb_chatwidgetid', 'swb_chatwidget', ['Chat widget', 'Widget de chat'], ['Widget that accepts the variable.', 'Widget qui accepte la variable.'], { required: 'required' }),
    choice('swb_type', 'swb_contextvariabletype', ['Type', 'Type'], ['Text, number or yes/no.', 'Texte, nombre ou oui/non.'], { required: 'required', defaultValue: 612400000 }),
    bool('swb_isrequired', ['Required', 'Obligatoire'], ['A chat without it is refused.', 'Un chat sans elle est refusé.']),
  ],
  alternateKeys: [key('swb_contextvariable_name', ['Widget and name', 'Widget et nom'], ['swb_chatwidgetid', 'swb_name'])],
});
