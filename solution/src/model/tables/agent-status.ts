import { bool, choice, int, json, key, lookup, table, text, when } from '../builders';

export const agentStatus = table({
  logicalName: 'swb_agentstatus',
  entitySetName: 'swb_agentstatuses',
  name: ['Agent status', "Statut d'agent"],
  plural: ['Agent statuses', "Statuts d'agent"],
  description: ["One row per agent: presence, connection and capacity in use. Claims update it with If-Match.", 'Une ligne par agent : présence, connexion et capacité utilisée.'],
  ownership: 'user',
  columns: [
    lookup('swb_agentid', 'systemuser', ['Agent', 'Agent'], ['The agent; unique.', "L'agent ; unique."], { required: 'required' }),
    choice('swb_basepresence', 'swb_presencebase', ['Presence', 'Présence'], ['Current base presence.', 'Présence de base actuelle.'], { required: 'required', defaultValue: 612400004 }),
    text('swb_presencelabel', ['Presence label', 'Libellé de présence'], ['Custom status shown, mapped to the base presence.', 'Statut personnalisé affiché.'], 100),
    bool('swb_manualoverride', ['Manual override', 'Forçage manuel'], ['The agent chose this presence; capacity does not change it.', "L'agent a choisi cette présence ; la capacité ne la change pas."]),
    when('swb_overridesetton', ['Override set on', 'Forçage le'], ['When the manual override was set.', 'Date du forçage manuel.']),
    when('swb_heartbeaton', ['Heartbeat on', 'Signal le'], ["Last heartbeat from the agent's workspace.", "Dernier signal de l'espace de travail."]),
    choice('swb_connectionstate', 'swb_agentconnectionstate', ['Connection', 'Connexion'], ['Connected, disconnected or signed out.', 'Connecté, déconnecté ou sorti.']),
    when('swb_disconnectedon', ['Disconnected on', 'Déconnecté le'], ['Start of the current disconnect; under 2.5 minutes presence is kept.', 'Début de la déconnexion ; moins de 2,5 minutes, la présence est gardée.']),
    int('swb_capacityused', ['Capacity used', 'Capacité utilisée'], ['Units held by active and wrap-up items.', 'Unités prises par les éléments actifs et en conclusion.'], 0, 100000, { defaultValue: 0, secured: true }),
    json('swb_profileusage', ['Capacity by profile', 'Capacité par profil'], [
      'Conversations held or offered per capacity profile, as JSON {"profile id": count}; kept with the units so one guarded write checks both.',
      'Conversations prises ou proposées par profil de capacité, en JSON {"id du profil": nombre} ; tenu avec les unités pour qu\'une seule écriture conditionnelle vérifie les deux.',
    ], 4000, { secured: true }),
    int('swb_capacitymax', ['Capacity maximum', 'Capacité maximale'], ['Units the agent may hold.', "Unités que l'agent peut prendre."], 0, 100000, { defaultValue: 3, secured: true }),
    when('swb_lastreleaseon', ['Last capacity release', 'Dernière libération'], ['When capacity was last released (least-active routing).', 'Dernière libération de capacité (routage le moins actif).'], { secured: true }),
    json('swb_lastofferstamps', ['Last offers by queue', 'Dernières offres par file'], [
      'When this agent was last offered work in each queue, as JSON {"queue id": ms stamp}: advanced round robin orders by it, written with the capacity claim.',
      "Dernière offre faite à cet agent dans chaque file, en JSON {\"id de file\": horodatage ms} : le tourniquet avancé s'en sert, écrit avec la réservation de capacité.",
    ], 8000, { secured: true }),
    when('swb_presencesince', ['Presence since', 'Présence depuis'], ['When the base presence last changed, stamped by the server.', 'Dernier changement de la présence de base, horodaté par le serveur.'], { secured: true }),
    choice('swb_defaultpresence', 'swb_presencebase', ['Default presence', 'Présence par défaut'], ['Presence set by the admin; Away or Offline wins over computed presence.', "Présence fixée par l'administrateur."], { secured: true }),
  ],
  alternateKeys: [key('swb_agentstatus_agent', ['Agent', 'Agent'], ['swb_agentid'])],
});
