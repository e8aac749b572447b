import { bool, json, key, lookup, phone, table, text, when } from '../builders';

// We honour STOP/START ourselves on every provider rather than trusting each
// provider's own list, so the row is keyed on number + channel.
export const optOut = table({
  logicalName: 'swb_optout',
  entitySetName: 'swb_optouts',
  name: ['Opt-out', 'Désinscription'],
  plural: ['Opt-outs', 'Désinscriptions'],
  description: ['Whether a phone number opted out of messages on a channel.', "Indique si un numéro s'est désinscrit d'un canal."],
  ownership: 'organization',
  columns: [
    phone('swb_phonenumber', ['Phone number', 'Numéro'], ['Customer number in E.164.', 'Numéro du client au format E.164.'], { required: 'required', searched: true }),
    lookup('swb_channelid', 'swb_channel', ['Channel', 'Canal'], ['Channel the opt-out applies to.', 'Canal concerné.'], { required: 'required' }),
    bool('swb_isoptedout', ['Opted out', 'Désinscrit'], ['True after STOP, false after START.', 'Vrai après STOP, faux après START.'], true),
    text('swb_keyword', ['Keyword', 'Mot-clé'], ['Keyword the customer sent (STOP, ARRET, START...).', 'Mot-clé envoyé par le client.'], 50),
    when('swb_changedon', ['Changed on', 'Modifié le'], ["When the customer sent the keyword that decided it (the provider's time when it gives one).", 'Envoi par le client du mot-clé qui a décidé (heure du fournisseur quand il la donne).']),
    json('swb_keywordlog', ['Keyword log', 'Journal des mots-clés'], [
      'The last keywords received, as JSON [{"id": provider message id, "at": time, "optedOut": bool}]: a provider retry or a replayed request is recognised by its id and changes nothing.',
      'Les derniers mots-clés reçus, en JSON [{"id": identifiant fournisseur, "at": heure, "optedOut": booléen}] : une nouvelle tentative ou une requête rejouée est reconnue par son identifiant et ne change rien.',
    ], 20000),
  ],
  alternateKeys: [key('swb_optout_phone_channel', ['Number and channel', 'Numéro et canal'], ['swb_phonenumber', 'swb_channelid'])],
});
