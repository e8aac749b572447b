import { table } from '../builders';

// PCF field controls need a record's form to live on (they cannot sit on dashboards), and the
// desk works from the signed-in supervisor, not from a record. A desk row is that record: only
// the Supervisor and Administrator roles read the table, so the app hides the desk from agents,
// and its main form hosts the SupervisorDesk control.
export const supervisorDesk = table({
  logicalName: 'swb_supervisordesk',
  entitySetName: 'swb_supervisordesks',
  name: ['Supervisor desk', 'Poste de supervision'],
  plural: ['Supervisor desks', 'Postes de supervision'],
  description: [
    "The supervisor's live view of the floor: ongoing conversations, agents and queues.",
    "La vue en direct du superviseur : conversations en cours, agents et files.",
  ],
  ownership: 'organization',
  columns: [],
});
