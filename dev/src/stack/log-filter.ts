// Lines `npm start` leaves out: what happens all the time would bury what matters — the offer
// sweeper's uneventful runs, the widget's polls and CORS preflights that succeed, the start-up
// wiring probe. Failures of the same routes still show.
import { PROBE_STEP } from './plugin-steps';

const ROUTINE = [
  /timer → [\w-]+ ok$/,
  /GET \/api\/chat\/conversations\/[^ ]+\/messages → chat-messages 200 /,
  /OPTIONS \/api\/chat\/[^ ]+ → [a-z-]+ 204 /,
  new RegExp(`POST /api/dataverse/${PROBE_STEP} → `),
];

export function isRoutine(line: string): boolean {
  return ROUTINE.some((r) => r.test(line));
}
