// How a control gets a push address as the signed-in user (see the push-ticket step): create a
// ticket row, read it back until the app has answered, delete it. Dataverse runs the answering
// step asynchronously, so the reads back off; a ticket nobody answers is a transient failure
// (the push client tries again later), "push-not-configured" means there is no push here.

/** Waits between reads of the ticket: quick at first (the step usually answers within a second), then patient. */
export const TICKET_READ_DELAYS_MS = [150, 250, 400, 700, 1000, 2000, 3000, 5000, 8000, 10000] as const;

export interface TicketDeps {
  api: Pick<ComponentFramework.WebApi, 'createRecord' | 'retrieveRecord' | 'deleteRecord'>;
  sleep(ms: number): Promise<void>;
}

export class PushTicketUnanswered extends Error {
  constructor(readonly ticketId: string) {
    super(`The push ticket ${ticketId} was not answered; live updates will be tried again.`);
    this.name = 'PushTicketUnanswered';
  }
}

export async function requestPushAddress(deps: TicketDeps): Promise<string | null> {
  const { id } = await deps.api.createRecord('swb_pushticket', { swb_name: 'Live updates' });
  try {
    for (const delay of TICKET_READ_DELAYS_MS) {
      await deps.sleep(delay);
      const row = (await deps.api.retrieveRecord('swb_pushticket', id, '?$select=swb_url,swb_error')) as { swb_url?: string | null; swb_error?: string | null };
      if (row.swb_url) return row.swb_url;
      if (row.swb_error === 'push-not-configured') return null;
      if (row.swb_error) throw new Error(`The push ticket was refused: ${row.swb_error}`);
    }
    throw new PushTicketUnanswered(id);
  } finally {
    // The address is a credential for the next hour: it does not stay on a row.
    await deps.api.deleteRecord('swb_pushticket', id).catch(() => undefined);
  }
}
