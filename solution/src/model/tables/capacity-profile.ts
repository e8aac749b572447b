import { int, table } from '../builders';

export const capacityProfile = table({
  logicalName: 'swb_capacityprofile',
  entitySetName: 'swb_capacityprofiles',
  name: ['Capacity profile', 'Profil de capacité'],
  plural: ['Capacity profiles', 'Profils de capacité'],
  description: ['A named limit of simultaneous work, given to agents.', 'Une limite nommée de travail simultané, attribuée aux agents.'],
  ownership: 'organization',
  columns: [
    int('swb_maxunits', ['Maximum units', 'Unités maximales'], ['Units an agent of this profile may hold at once.', 'Unités simultanées permises.'], 0, 10000, { required: 'required', defaultValue: 3 }),
  ],
});
