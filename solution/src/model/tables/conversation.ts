import { bool, choice, customer, int, json, lookup, memo, text, phone, table, when } from '../builders';

// An activity table so a conversation shows on the customer's timeline, like the
// commercial product's conversation (msdyn_ocliveworkitem).
export const conversation = table({
  logicalName: 'swb_conversation',
  entitySetName: 'swb_conversations',
  name: ['Conversation', 'Conversation'],
  plural: ['Conversations', 'Conversations'],
  description: ['A chat or SMS conversation with a customer.', 'Une conversation par chat ou SMS avec un client.'],
  ownership: 'user',
  isActivity: true,
  columns: [
    choice('swb_state', 'swb_conversationstate', ['State', 'État'], ['Lifecycle state: Open, Waiting, Active, Wrap-up, Closed.', 'État : ouverte, en attente, active, conclusion, fermée.'], { required: 'required', defaultValue: 612400000 }),
    choice('swb_channeltype', 'swb_channeltype', ['Channel type', 'Type de canal'], ['Live chat or SMS.', 'Chat en direct ou SMS.'], { required: 'required', secured: true }),
    lookup('swb_channelid', 'swb_channel', ['Channel', 'Canal'], ['SMS channel the conversation arrived on.', 'Canal SMS par lequel la conversation est arrivée.'], { secured: true }),
    lookup('swb_chatwidgetid', 'swb_chatwidget', ['Chat widget', 'Widget de chat'], ['Chat widget the conversation started from.', 'Widget de chat à l\'origine de la conversation.'], { secured: true }),
    lookup('swb_queueid', 'queue', ['Queue', 'File'], ['Queue the conversation waits in or was routed to.', 'File dans laquelle la conversation attend ou a été routée.']),
    lookup('swb_workstreamid', 'swb_workstream', ['Workstream', 'Flux de travail'], ['Workstream whose rules route this conversation.', 'Flux de travail dont les règles routent cette conversation.']),
    customer('swb_customerid', ['Customer', 'Client'], ['Contact or account identified as the customer.', 'Contact ou compte identifié comme client.']),
    phone('swb_customerphone', ['Customer phone', 'Téléphone du client'], ['Customer number in E.164 (SMS).', 'Numéro du client au format E.164 (SMS).'], { searched: true, secured: true }),
    text('swb_customername', ['Customer name', 'Nom du client'], ['Name the customer gave, before identification.', 'Nom donné par le client, avant identification.'], 200),
    choice('swb_identificationresult', 'swb_identificationresult', ['Identification result', "Résultat d'identification"], ['Outcome of automatic identification.', "Résultat de l'identification automatique."]),
    json('swb_candidateids', ['Candidate records', 'Enregistrements candidats'], ['JSON array of {table, id} when identification was ambiguous.', 'Tableau JSON de {table, id} quand l\'identification est ambiguë.'], 4000),
    json('swb_prechatanswers', ['Pre-chat answers', 'Réponses avant chat'], ['JSON object of pre-chat question answers.', 'Objet JSON des réponses aux questions avant chat.'], 100000, { secured: true }),
    json('swb_context', ['Context', 'Contexte'], ['JSON object of context variables from the host page or the channel.', 'Objet JSON des variables de contexte de la page hôte ou du canal.'], 100000, { secured: true }),
    int('swb_priority', ['Priority', 'Priorité'], ['Higher is routed first within a queue.', 'Plus élevée, routée en premier dans une file.'], 0, 1000, { defaultValue: 0, secured: true }),
    json('swb_requiredskills', ['Required skills', 'Compétences requises'], ['JSON array of skill names set by classification rules.', 'Tableau JSON des compétences fixées par les règles de classification.'], 4000, { secured: true }),
    text('swb_language', ['Language', 'Langue'], ['BCP 47 language tag of the customer (fr-FR).', 'Balise de langue BCP 47 du client (fr-FR).'], 20),
    when('swb_openedon', ['Opened on', 'Ouverte le'], ['When the conversation was created.', 'Date de création de la conversation.'], { secured: true }),
    when('swb_queuedon', ['Queued on', 'Mise en file le'], ['When the conversation last entered a queue (FIFO order).', 'Dernière entrée dans une file (ordre FIFO).'], { searched: true, secured: true }),
    when('swb_firstassignedon', ['First assigned on', 'Première attribution le'], ['When an agent first accepted it.', 'Première acceptation par un agent.'], { secured: true }),
    when('swb_activeon', ['Active on', 'Active le'], ['When it last became active.', 'Dernier passage à l\'état actif.'], { secured: true }),
    when('swb_wrapupon', ['Wrap-up on', 'Conclusion le'], ['When wrap-up began.', 'Début de la conclusion.'], { secured: true }),
    when('swb_closedon', ['Closed on', 'Fermée le'], ['When it was closed.', 'Date de fermeture.'], { secured: true }),
    when('swb_reopenedon', ['Reopened on', 'Rouverte le'], ['When a closed conversation was last reopened.', 'Dernière réouverture d\'une conversation fermée.'], { secured: true }),
    lookup('swb_primaryagentid', 'systemuser', ['Primary agent', 'Agent principal'], ['Agent who owns the conversation now.', 'Agent responsable de la conversation.'], { searched: true }),
    int('swb_lastmessagesequence', ['Last message sequence', 'Dernière séquence de message'], ['Sequence number of the latest message; the next one is this plus one.', 'Numéro de séquence du dernier message.'], 0, 2147483647, { defaultValue: 0, secured: true }),
    int('swb_declinecount', ['Decline count', 'Nombre de refus'], ['Offers declined or timed out for this item.', 'Offres refusées ou expirées pour cet élément.'], 0, 1000, { defaultValue: 0, secured: true }),
    // Routing's own view of the offers, on the conversation itself, so that a routing pass reads
    // the head of a queue and nothing else: not the offers of every waiting conversation.
    lookup('swb_offeredto', 'systemuser', ['Offered to', 'Proposée à'], [
      'The agent holding the live offer of this conversation; empty when none is pending.',
      "L'agent qui détient l'offre en cours de cette conversation ; vide quand aucune n'est en attente.",
    ], { secured: true, searched: true }),
    int('swb_offerattempt', ['Offer attempts', "Tentatives d'offre"], ['Offers made for this conversation so far.', 'Offres faites pour cette conversation jusqu\'ici.'], 0, 1000, { defaultValue: 0, secured: true }),
    json('swb_declinedby', ['Declined by', 'Refusée par'], [
      'Agents who declined or let an offer of it time out, as JSON {"agent id": count}: the decline limit and who not to offer it to again.',
      'Agents qui l\'ont refusée ou ont laissé expirer une offre, en JSON {"id de l\'agent": nombre} : la limite de refus et à qui ne plus la proposer.',
    ], 4000, { secured: true }),
    text('swb_customertokenhash', ['Customer token hash', 'Empreinte du jeton client'], ['SHA-256 of the chat customer token; the token itself is never stored.', 'SHA-256 du jeton client ; le jeton n\'est jamais stocké.'], 128, { searched: true, secured: 'hidden' }),
    text('swb_startfingerprint', ['Start fingerprint', 'Empreinte du démarrage'], [
      'SHA-256 of the chat start request (answers, context, locale): a retried start must match it to get the conversation back.',
      'SHA-256 de la demande de démarrage du chat (réponses, contexte, langue) : un démarrage réessayé doit y correspondre pour retrouver la conversation.',
    ], 64, { secured: 'hidden' }),
    choice('swb_sentiment', 'swb_sentiment', ['Sentiment', 'Sentiment'], ['Last estimated customer sentiment.', 'Dernier sentiment estimé du client.'], { secured: true }),
    // Facts the supervisor desk reads on the conversation itself, stamped once by the server, so
    // a refresh aggregates rows of today instead of scanning messages or offers.
    when('swb_lastcustomermessageon', ['Last customer message on', 'Dernier message du client le'], [
      "When the customer last wrote: the desk shows how long they have been waiting for an answer.",
      "Dernier message du client : le poste de supervision montre depuis quand il attend une réponse.",
    ], { secured: true }),
    when('swb_waitendedon', ['First wait ended on', 'Fin de la première attente le'], [
      'When the first wait in a queue ended: answered by an agent, or abandoned. Today\'s queue figures count from it.',
      "Fin de la première attente en file : réponse d'un agent ou abandon. Les chiffres du jour des files en partent.",
    ], { secured: true, searched: true }),
    int('swb_waitseconds', ['First wait (seconds)', 'Première attente (secondes)'], [
      'Seconds between entering the queue and the first answer or the abandon.',
      "Secondes entre l'entrée en file et la première réponse ou l'abandon.",
    ], 0, 2147483647, { secured: true }),
    choice('swb_waitoutcome', 'swb_waitoutcome', ['First wait outcome', 'Issue de la première attente'], [
      'Answered within 20 s, within 60 s, later, or abandoned: service level without date arithmetic in a query.',
      'Répondue en 20 s, en 60 s, plus tard, ou abandonnée : le niveau de service sans calcul de dates dans une requête.',
    ], { secured: true }),
    // Checked by the conversation-guard step: only a supervisor of the queue may set it, in the
    // same write that assigns or transfers the conversation to an agent who is already full.
    bool('swb_forcedassignment', ['Assigned over capacity', 'Attribuée au-delà de la capacité'], [
      "A supervisor's last assignment of this conversation was made past the agent's capacity, on purpose.",
      "La dernière attribution par un superviseur a été faite au-delà de la capacité de l'agent, volontairement.",
    ]),
    // The bot that answered first (Bot Framework Direct Line or a webhook bot), written by the app.
    // While swb_botstate is Holding the conversation stays Open: routing leaves it alone and no
    // agent capacity is used; a hand-off merges the bot's context into swb_context and routes it.
    lookup('swb_botid', 'swb_bot', ['Bot', 'Robot'], ['Bot that answered the customer first.', 'Robot qui a répondu le premier au client.'], { secured: true }),
    choice('swb_botstate', 'swb_botstate', ['Bot state', 'État du robot'], ['Answering, handed off, ended, failed or closed after inactivity.', 'En cours, passée, terminée, en échec ou fermée après inactivité.'], { secured: true }),
    text('swb_botconversationid', ['Bot conversation id', 'Id de conversation du robot'], ['The Direct Line conversation that carries this one.', 'La conversation Direct Line qui porte celle-ci.'], 200, { secured: 'hidden' }),
    text('swb_botwatermark', ['Bot watermark', 'Marque du robot'], ['Direct Line watermark: the bot activities already read.', 'Marque Direct Line : les activités du robot déjà lues.'], 100, { secured: 'hidden' }),
    when('swb_botactivityon', ['Last bot activity on', 'Dernière activité du robot le'], ['Last message either way while the bot answered: the inactivity timeout counts from it.', "Dernier message dans un sens ou l'autre pendant que le robot répondait : le délai d'inactivité part de là."], { secured: true }),
    memo('swb_handoffsummary', ['Hand-off summary', 'Résumé du transfert'], ['What the bot told the person who takes over, and why it handed off.', "Ce que le robot a dit à la personne qui reprend, et pourquoi il a passé la main."], 2000, { secured: true }),
    // Insights (written by the app): sentiment as it goes, the post-conversation survey, and what
    // the conversation last added to the historical buckets (so a change takes exactly that back).
    int('swb_sentimentscore', ['Sentiment score', 'Score de sentiment'], ['Rolling score of the customer\'s messages, -100 (very negative) to 100 (very positive).', 'Score glissant des messages du client, de -100 (très négatif) à 100 (très positif).'], -100, 100, { secured: true }),
    json('swb_sentimenttrend', ['Sentiment trend', 'Tendance du sentiment'], ['The last levels, oldest first, as JSON [{"at", "level"}]: the summary draws the trend from it.', 'Les derniers niveaux, du plus ancien, en JSON [{"at", "level"}] : le résumé en trace la tendance.'], 4000, { secured: true }),
    when('swb_sentimentalerton', ['Sentiment alert on', 'Alerte de sentiment le'], ['When the conversation last crossed into negative: its agent was alerted and supervisors see it.', "Dernier passage en négatif : son agent a été alerté et les superviseurs le voient."], { secured: true, searched: true }),
    int('swb_csatrating', ['Satisfaction rating', 'Note de satisfaction'], ['The customer\'s answer to the post-conversation survey, 1 to 5.', "La réponse du client à l'enquête de fin de conversation, de 1 à 5."], 1, 5, { secured: true }),
    memo('swb_csatcomment', ['Satisfaction comment', 'Commentaire de satisfaction'], ['What the customer added to their rating.', 'Ce que le client a ajouté à sa note.'], 2000, { secured: true }),
    when('swb_csatrequestedon', ['Survey asked on', 'Enquête demandée le'], ['When the survey question was sent (SMS and messaging channels).', "Envoi de la question de l'enquête (SMS et messageries)."], { secured: true }),
    when('swb_csatrespondedon', ['Survey answered on', 'Enquête répondue le'], ['When the customer answered the survey.', "Réponse du client à l'enquête."], { secured: true }),
    json('swb_insightsfold', ['Insights contribution', "Contribution à l'analyse"], ['What this conversation last added to the insights buckets (JSON); written by the app.', "Ce que cette conversation a ajouté aux compartiments d'analyse (JSON) ; écrit par l'application."], 4000, { secured: 'hidden' }),
  ],
});
