// Row shapes as the Web API returns them: lookups arrive as `_x_value` plus the
// formatted-value annotation when the query asks for it.
import type {
  AuthorKind,
  ChannelType,
  ConversationState,
  DeliveryStatus,
  IdentificationResult,
  MessageDirection,
  OfferResponse,
  Presence,
  SessionRole,
  SessionState,
  Sentiment,
  TemplateKind,
  Visibility,
} from './choices';

export const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
export const LOOKUP_TABLE = '@Microsoft.Dynamics.CRM.lookuplogicalname';

export interface ConversationRow {
  activityid: string;
  subject?: string | null;
  swb_state: ConversationState;
  swb_channeltype?: ChannelType | null;
  _swb_queueid_value?: string | null;
  _swb_workstreamid_value?: string | null;
  _swb_customerid_value?: string | null;
  _swb_primaryagentid_value?: string | null;
  swb_customername?: string | null;
  swb_customerphone?: string | null;
  swb_identificationresult?: IdentificationResult | null;
  swb_candidateids?: string | null;
  swb_prechatanswers?: string | null;
  swb_context?: string | null;
  swb_sentiment?: Sentiment | null;
  swb_openedon?: string | null;
  swb_queuedon?: string | null;
  swb_firstassignedon?: string | null;
  swb_activeon?: string | null;
  swb_wrapupon?: string | null;
  swb_closedon?: string | null;
  swb_reopenedon?: string | null;
  swb_lastmessagesequence?: number | null;
  createdon?: string | null;
  [annotation: string]: unknown;
}

export interface MessageRow {
  swb_messageid: string;
  _swb_conversationid_value?: string;
  swb_direction: MessageDirection;
  swb_authorkind: AuthorKind;
  swb_visibility: Visibility;
  swb_body: string | null;
  swb_deliverystatus?: DeliveryStatus | null;
  swb_sequence: number;
  swb_authorname?: string | null;
  _swb_authoragentid_value?: string | null;
  swb_error?: string | null;
  createdon?: string | null;
}

export interface SessionRow {
  activityid: string;
  _swb_conversationid_value: string;
  _swb_agentid_value: string;
  swb_role: SessionRole;
  swb_state: SessionState;
  swb_joinedon?: string | null;
  swb_wrapupon?: string | null;
  swb_lefton?: string | null;
  createdon?: string | null;
}

export interface OfferRow {
  swb_offerid: string;
  _swb_conversationid_value: string;
  _swb_agentid_value: string;
  _swb_queueid_value?: string | null;
  swb_response: OfferResponse;
  swb_offeredon?: string | null;
  swb_expireson?: string | null;
  [annotation: string]: unknown;
}

export interface AgentStatusRow {
  swb_agentstatusid: string;
  _swb_agentid_value: string;
  swb_basepresence: Presence;
  swb_presencelabel?: string | null;
  swb_manualoverride?: boolean | null;
  swb_capacityused?: number | null;
  swb_capacitymax?: number | null;
  [annotation: string]: unknown;
}

export interface TemplateRow {
  swb_messagetemplateid: string;
  swb_name: string;
  swb_kind: TemplateKind;
  swb_body: string;
  swb_locale?: string | null;
  /** Null: usable on every channel. */
  swb_channeltype?: ChannelType | null;
}
