import { json, table, text } from '../builders';

export const operatingHours = table({
  logicalName: 'swb_operatinghours',
  entitySetName: 'swb_operatinghourses',
  name: ['Operating hours', "Heures d'ouverture"],
  plural: ['Operating hours', "Heures d'ouverture"],
  description: ['A weekly schedule with holidays, in one time zone.', 'Un horaire hebdomadaire avec jours fériés, dans un fuseau horaire.'],
  ownership: 'organization',
  columns: [
    text('swb_timezone', ['Time zone', 'Fuseau horaire'], ['IANA time zone (Europe/Paris).', 'Fuseau IANA (Europe/Paris).'], 64, { required: 'required' }),
    json('swb_weeklyschedule', ['Weekly schedule', 'Horaire hebdomadaire'], ['JSON: {"mon":[["09:00","17:00"]], ...} in local time.', 'JSON : {"mon":[["09:00","17:00"]], ...} en heure locale.'], 4000, { required: 'required' }),
    json('swb_holidays', ['Holidays', 'Jours fériés'], ['JSON array of {date: "2026-12-25", name} closed days.', 'Tableau JSON des jours fermés.'], 10000),
  ],
});
