import { int, table, text, when } from '../builders';

// Where the insights fold stands: the last modification it has folded, so each run reads only
// the conversations that changed since. One row; written by the app.
export const insightSync = table({
  logicalName: 'swb_insightsync',
  entitySetName: 'swb_insightsyncs',
  name: ['Insights sync', "Synchronisation de l'analyse"],
  plural: ['Insights syncs', "Synchronisations de l'analyse"],
  description: ['How far the historical analytics have folded the conversations.', "Jusqu'où l'analyse historique a intégré les conversations."],
  ownership: 'organization',
  columns: [
    text('swb_scope', ['Scope', 'Portée'], ['What this row tracks (conversations).', 'Ce que suit cette ligne (conversations).'], 100),
    when('swb_foldedthrough', ['Folded through', "Intégré jusqu'au"], ['Conversations modified up to this time are in the buckets.', "Les conversations modifiées jusqu'à cette date sont dans les compartiments."]),
    int('swb_lastrunconversations', ['Last run: conversations', 'Dernier passage : conversations'], ['Conversations folded by the last run.', 'Conversations intégrées au dernier passage.'], 0, 2147483647),
  ],
});
