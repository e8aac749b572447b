import { choice, json, lookup, table, text, when } from '../builders';

// Historical analytics, kept incrementally: what the conversations opened in one period, of one
// queue, channel and answering agent, add up to (core/src/insights/metrics.ts Measures, as JSON).
// A timer folds what changed since its last run into the hour, day and month buckets, so a report
// over any range reads a few buckets, never raw messages, and history is kept as long as storage
// allows (no 12-month / 100,000-row cap). Written by the app only; read by supervisors.
export const insightBucket = table({
  logicalName: 'swb_insightbucket',
  entitySetName: 'swb_insightbuckets',
  name: ['Insights bucket', "Compartiment d'analyse"],
  plural: ['Insights buckets', "Compartiments d'analyse"],
  description: [
    'Totals of the conversations opened in one hour, day or month, by queue, channel and agent.',
    "Totaux des conversations ouvertes dans une heure, un jour ou un mois, par file, canal et agent.",
  ],
  ownership: 'organization',
  columns: [
    text('swb_bucketkey', ['Bucket', 'Compartiment'], ['grain|period start|queue|channel|agent: what the row totals.', 'grain|début|file|canal|agent : ce que la ligne totalise.'], 200, { searched: true }),
    choice('swb_grain', 'swb_insightgrain', ['Period', 'Période'], ['Hour, day or month.', 'Heure, jour ou mois.'], { required: 'required' }),
    when('swb_periodstart', ['Period start', 'Début de période'], ['Start of the period (UTC).', 'Début de la période (UTC).'], { searched: true }),
    lookup('swb_queueid', 'queue', ['Queue', 'File'], ['The queue the conversations were routed to.', 'La file des conversations.']),
    choice('swb_channeltype', 'swb_channeltype', ['Channel type', 'Type de canal'], ['Live chat or SMS.', 'Chat en direct ou SMS.']),
    lookup('swb_agentid', 'systemuser', ['Agent', 'Agent'], ['The agent who answered them first; empty for the unanswered.', "L'agent qui y a répondu en premier ; vide pour les non répondues."]),
    json('swb_measures', ['Measures', 'Mesures'], ['The totals, as JSON (incoming, answered, abandoned, wait, handle and wrap-up times, transfers, consults, declines, timeouts, survey, sentiment).', 'Les totaux, en JSON.'], 8000),
  ],
});
