import { choice, column, int, lookup, table, when } from '../builders';

export const offer = table({
  logicalName: 'swb_offer',
  entitySetName: 'swb_offers',
  name: ['Offer', 'Offre'],
  plural: ['Offers', 'Offres'],
  description: ['A conversation offered to one agent, and the answer.', "Une conversation proposée à un agent, et sa réponse."],
  ownership: 'user',
  columns: [
    lookup('swb_conversationid', 'swb_conversation', ['Conversation', 'Conversation'], ['Conversation offered.', 'Conversation proposée.'], { required: 'required' }),
    lookup('swb_agentid', 'systemuser', ['Agent', 'Agent'], ['Agent it is offered to.', "Agent à qui elle est proposée."], { required: 'required', searched: true }),
    lookup('swb_queueid', 'queue', ['Queue', 'File'], ['Queue the conversation was taken from.', 'File dont vient la conversation.']),
    choice('swb_response', 'swb_offerresponse', ['Response', 'Réponse'], ['Pending, accepted, declined or timed out.', 'En attente, acceptée, refusée ou expirée.'], { required: 'required', defaultValue: 612400000 }),
    when('swb_offeredon', ['Offered on', 'Proposée le'], ['When the offer was made.', "Date de l'offre."], { secured: true }),
    when('swb_respondedon', ['Responded on', 'Répondue le'], ['When the agent answered or it timed out.', "Réponse de l'agent ou expiration."]),
    when('swb_expireson', ['Expires on', 'Expire le'], ['When an unanswered offer times out.', "Expiration d'une offre sans réponse."], { searched: true, secured: true }),
    column('swb_offerstamp', 'bigint', ['Offer stamp', "Rang de l'offre"], [
      'Routing order of the offer: milliseconds, strictly increasing. Dates keep only seconds; advanced round robin needs the exact order.',
      "Ordre de routage de l'offre : millisecondes, strictement croissantes. Les dates ne gardent que les secondes ; le tourniquet avancé a besoin de l'ordre exact.",
    ], { secured: true }),
    int('swb_attempt', ['Attempt', 'Tentative'], ['Offer number for this conversation, from 1.', 'Numéro de l\'offre pour cette conversation, à partir de 1.'], 1, 1000, { secured: true }),
  ],
});
