// Row shapes are solution's generated ones (type-only: nothing of solution reaches a bundle).
// The Web API adds formatted values and lookup annotations to a row when the query asks for
// them, so the rows that carry those may have extra keys.
import type {
  AgentStatusRow as AgentStatusColumns,
  ConversationRow as ConversationColumns,
  MessageRow as MessageColumns,
  MessageTemplateRow,
  OfferRow as OfferColumns,
  SessionRow as SessionColumns,
} from '@switchboard/solution/generated/rows';

export const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
export const LOOKUP_TABLE = '@Microsoft.Dynamics.CRM.lookuplogicalname';

type Annotated<T> = T & { [annotation: string]: unknown };

// Columns every query of the controls selects and Dataverse always fills (required columns, or
// the lookups the query filters on): the controls read them as present.
type Filled<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };

export type ConversationRow = Annotated<Filled<ConversationColumns, 'swb_state'>>;
export type MessageRow = Filled<MessageColumns, 'swb_direction' | 'swb_authorkind' | 'swb_visibility' | 'swb_sequence'>;
export type SessionRow = Filled<SessionColumns, '_swb_conversationid_value' | '_swb_agentid_value' | 'swb_role' | 'swb_state'>;
export type OfferRow = Annotated<Filled<OfferColumns, '_swb_conversationid_value' | '_swb_agentid_value' | 'swb_response'>>;
export type AgentStatusRow = Annotated<Filled<AgentStatusColumns, '_swb_agentid_value' | 'swb_basepresence'>>;
export type TemplateRow = Filled<MessageTemplateRow, 'swb_name' | 'swb_kind' | 'swb_body'>;
