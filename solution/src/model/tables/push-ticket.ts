import { memo, table, text, when } from '../builders';

// How an agent's browser gets onto the push service without a secret in the page: the control
// creates a ticket as the signed-in user; the push-ticket step (running as the app) reads who
// created it, writes a short-lived Web PubSub client URL for that user only, with the groups of
// the conversations they take part in (and of their queues, for a supervisor). The row is
// user-owned and the roles read it at user depth, so only its creator reads the URL.
export const pushTicket = table({
  logicalName: 'swb_pushticket',
  entitySetName: 'swb_pushtickets',
  name: ['Push ticket', 'Ticket de notification'],
  plural: ['Push tickets', 'Tickets de notification'],
  description: [
    "A signed-in user's request to connect to live updates; the app answers with a short-lived address only they can read.",
    "Demande de connexion aux mises à jour en direct d'un utilisateur ; l'application répond par une adresse temporaire que lui seul peut lire.",
  ],
  ownership: 'user',
  columns: [
    memo('swb_url', ['Connection address', 'Adresse de connexion'], ['The Web PubSub client address, valid until the expiry; written by the app.', "L'adresse client Web PubSub, valable jusqu'à l'expiration ; écrite par l'application."], 4000, { secured: true }),
    when('swb_expireson', ['Expires on', 'Expire le'], ['When the address stops working; the control asks for a new ticket before.', "Quand l'adresse cesse de fonctionner ; le contrôle demande un nouveau ticket avant."], { secured: true }),
    text('swb_error', ['Error', 'Erreur'], ['Why no address was given (push not configured, not an agent).', "Pourquoi aucune adresse n'a été donnée (notifications non configurées, pas un agent)."], 200, { secured: true }),
  ],
});
