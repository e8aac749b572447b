// Core's identification outcome → the conversation columns that record it. One mapping for
// every channel: SMS identifies by phone, chat by pre-chat answers, and the agent's
// ConversationSummary control reads the same columns whichever it was.
import type { IdentificationResult as Identification } from '@switchboard/core';
import { IdentificationResult } from '@switchboard/solution';
import { bind } from '../dataverse/repositories/odata';

/** `null`: identification was not attempted (a chat whose questions map to no customer field). */
export function identificationColumns(identified: Identification | null): Record<string, unknown> {
  if (!identified) return { swb_identificationresult: IdentificationResult.NotAttempted };
  switch (identified.kind) {
    case 'matched': {
      const r = identified.record;
      return {
        [`swb_customerid_${r.entity}@odata.bind`]: bind(r.entity === 'contact' ? 'contacts' : 'accounts', r.id),
        swb_identificationresult: IdentificationResult.Identified,
      };
    }
    case 'ambiguous':
      // Kept for the agent to choose (the ConversationSummary control lists them).
      return {
        swb_identificationresult: IdentificationResult.Ambiguous,
        swb_candidateids: JSON.stringify(identified.records.map((r) => ({ table: r.entity, id: r.id }))).slice(0, 4000),
      };
    case 'none':
      return { swb_identificationresult: IdentificationResult.NotFound };
  }
}
