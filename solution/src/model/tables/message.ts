import { choice, int, key, lookup, memo, table, text, when } from '../builders';

export const message = table({
  logicalName: 'swb_message',
  entitySetName: 'swb_messages',
  name: ['Message', 'Message'],
  plural: ['Messages', 'Messages'],
  description: ['One message of a conversation, public or internal.', "Un message d'une conversation, public ou interne."],
  ownership: 'user',
  columns: [
    lookup('swb_conversationid', 'swb_conversation', ['Conversation', 'Conversation'], ['Conversation the message belongs to.', 'Conversation du message.'], { required: 'required' }),
    choice('swb_direction', 'swb_messagedirection', ['Direction', 'Sens'], ['Inbound from the customer or outbound to them.', 'Entrant du client ou sortant vers lui.'], { required: 'required' }),
    choice('swb_authorkind', 'swb_authorkind', ['Author kind', "Type d'auteur"], ['Customer, agent, bot or system.', 'Client, agent, robot ou système.'], { required: 'required' }),
    choice('swb_visibility', 'swb_visibility', ['Visibility', 'Visibilité'], ['Internal notes are never sent to the customer.', 'Les notes internes ne sont jamais envoyées au client.'], { required: 'required', defaultValue: 612400000 }),
    memo('swb_body', ['Body', 'Corps'], ['Message text.', 'Texte du message.'], 20000),
    text('swb_providermessageid', ['Provider message id', 'Identifiant fournisseur'], ["The provider's id for the message; with the channel it is unique, so provider retries cannot duplicate.", "Identifiant du fournisseur ; unique avec le canal, les nouvelles tentatives ne créent pas de doublon."], 100, { searched: true }),
    lookup('swb_channelid', 'swb_channel', ['Channel', 'Canal'], ['SMS channel that carried the message.', 'Canal SMS qui a transporté le message.']),
    choice('swb_deliverystatus', 'swb_deliverystatus', ['Delivery status', 'État de remise'], ['Delivery through the channel.', 'Remise par le canal.']),
    int('swb_sequence', ['Sequence', 'Séquence'], ['Order within the conversation, from 1; unique per conversation.', 'Ordre dans la conversation, à partir de 1 ; unique par conversation.'], 1, 2147483647, { required: 'required' }),
    lookup('swb_authoragentid', 'systemuser', ['Author agent', 'Agent auteur'], ['Agent who wrote it, for agent messages.', "Agent qui l'a écrit, pour les messages d'agent."]),
    text('swb_authorname', ['Author name', "Nom de l'auteur"], ['Display name shown to the reader.', 'Nom affiché au lecteur.'], 200),
    lookup('swb_templateid', 'swb_messagetemplate', ['Template', 'Modèle'], ['Template the message was written from.', 'Modèle utilisé pour le message.']),
    when('swb_senton', ['Sent on', 'Envoyé le'], ['When the provider accepted it.', 'Acceptation par le fournisseur.']),
    when('swb_deliveredon', ['Delivered on', 'Remis le'], ['When the provider reported delivery.', 'Remise signalée par le fournisseur.']),
    text('swb_error', ['Error', 'Erreur'], ['Last delivery error from the provider.', 'Dernière erreur de remise du fournisseur.'], 2000),
    // A customer's message as sentiment analysis read it (nothing when analysis is off).
    choice('swb_sentiment', 'swb_sentiment', ['Sentiment', 'Sentiment'], ['How the customer sounded in this message, on the seven-point scale.', 'Le ton du client dans ce message, sur l\'échelle à sept niveaux.'], { secured: true }),
    int('swb_sentimentscore', ['Sentiment score', 'Score de sentiment'], ['-100 (very negative) to 100 (very positive).', '-100 (très négatif) à 100 (très positif).'], -100, 100, { secured: true }),
  ],
  alternateKeys: [
    key('swb_message_provider', ['Provider message', 'Message fournisseur'], ['swb_channelid', 'swb_providermessageid']),
    key('swb_message_sequence', ['Conversation sequence', 'Séquence de conversation'], ['swb_conversationid', 'swb_sequence']),
  ],
});
