import { bool, choice, key, lookup, phone, table } from '../builders';

export const smsNumber = table({
  logicalName: 'swb_smsnumber',
  entitySetName: 'swb_smsnumbers',
  name: ['SMS number', 'Numéro SMS'],
  plural: ['SMS numbers', 'Numéros SMS'],
  description: ['A number (long code, short code...) of an SMS channel.', "Un numéro (long, court...) d'un canal SMS."],
  ownership: 'organization',
  columns: [
    lookup('swb_channelid', 'swb_channel', ['Channel', 'Canal'], ['Channel the number belongs to.', 'Canal du numéro.'], { required: 'required' }),
    phone('swb_phonenumber', ['Phone number', 'Numéro'], ['The number in E.164, or the short code.', 'Le numéro au format E.164, ou le code court.'], { required: 'required', searched: true }),
    choice('swb_numberkind', 'swb_numberkind', ['Number kind', 'Type de numéro'], ['Long code, short code, toll-free or alphanumeric.', 'Long, court, gratuit ou alphanumérique.']),
    lookup('swb_workstreamid', 'swb_workstream', ['Workstream', 'Flux de travail'], ["Overrides the channel's workstream for this number.", 'Remplace le flux du canal pour ce numéro.']),
    bool('swb_isenabled', ['Enabled', 'Activé'], ['Disabled numbers are not used.', 'Les numéros désactivés ne servent pas.'], true),
  ],
  alternateKeys: [key('swb_smsnumber_number', ['Number', 'Numéro'], ['swb_channelid', 'swb_phonenumber'])],
});
