// The public chat HTTP contract between the widget (any web page) and the
// functions app. The functions app implements the server side against these
// types; the widget uses nothing else. Every route lives under the API base,
// which the widget derives from its own script src (".../api/chat/widget.js"
// → ".../api/chat").
//
// Transport rules that apply to every route:
// - JSON in and out (`Content-Type: application/json; charset=utf-8`), UTF-8.
// - The widget never sends cookies (`credentials: 'omit'`); the only credential
//   is the customer token, sent as `Authorization: Bearer <token>` on the
//   conversation routes. That is why the widget keeps working when the browser
//   blocks third-party cookies.
// - CORS: the page embedding the widget is on another origin than the API, so
//   the server answers preflight `OPTIONS` and sets
//   `Access-Control-Allow-Origin: <request Origin>` when that origin is in the
//   widget's `allowedOrigins` (with `Vary: Origin`), allowing the request
//   headers `Authorization, Content-Type` and methods `GET, POST`, with
//   `Access-Control-Max-Age` (e.g. 600) because every poll carries
//   Authorization and would otherwise be preceded by a preflight. A request
//   from an origin not allowed gets 403 `origin_not_allowed`.
// - Errors: any non-2xx response has the body `ApiErrorBody`. 4xx for anything
//   the caller got wrong, 5xx only for server faults. The widget retries 5xx,
//   408, 429 and network failures with backoff; other 4xx are final.

/** Widget identifier: the `swb_chatwidget` row id (GUID) or its unique name. */
export type WidgetId = string;

/** ISO-8601 instant in UTC, e.g. "2026-11-24T10:15:00.000Z". */
export type IsoInstant = string;

/** The language of the widget's own strings. Admin-authored text (question labels, titles, overrides) is resolved by the server for the `locale` the widget asks for. */
export type WidgetLocale = 'en' | 'fr';

// ---------------------------------------------------------------------------
// GET {base}/{widgetId}/config?locale=<BCP-47 tag, e.g. fr-CA>
// 200 WidgetConfig; 404 unknown_widget; 403 origin_not_allowed.
// Cacheable for a short time (the server may send Cache-Control: max-age=60).
// ---------------------------------------------------------------------------

export type PreChatQuestionKind = 'text' | 'email' | 'phone' | 'choice';

export interface PreChatChoice {
  /** Stored value sent back in `StartConversationRequest.answers`. */
  readonly value: string;
  /** Label shown to the customer, already in the requested locale. */
  readonly label: string;
}

export interface PreChatQuestion {
  /** Stable key of the answer in `StartConversationRequest.answers`. Unique within a widget. */
  readonly id: string;
  readonly kind: PreChatQuestionKind;
  /** Label shown to the customer, already in the requested locale. */
  readonly label: string;
  readonly required: boolean;
  /** Only for kind 'choice': the allowed values, in display order (at least one). */
  readonly choices?: readonly PreChatChoice[];
  /** Maximum length of the answer in characters (default 200). */
  readonly maxLength?: number;
  /** Optional hint shown under the field (e.g. "as on your order"). */
  readonly hint?: string;
}

export interface OperatingHoursStatus {
  /** True when agents are taking chats now (the server evaluates the widget's operating hours). */
  readonly open: boolean;
  /** When closed: the next instant the widget opens, if known. */
  readonly nextOpenOn?: IsoInstant;
  /** When closed: an admin-authored message, already in the requested locale; replaces the default text. */
  readonly closedMessage?: string;
}

/** Keys of every string the widget shows. `en.json` and `fr.json` define all of them. */
export interface WidgetStrings {
  readonly launcherOpen: string;
  readonly launcherClose: string;
  /** Count of agent messages that arrived while the panel was minimised, e.g. "{count} new". */
  readonly unread: string;
  readonly title: string;
  readonly close: string;
  readonly preChatIntro: string;
  readonly startChat: string;
  readonly starting: string;
  readonly startFailed: string;
  readonly required: string;
  readonly optional: string;
  readonly choose: string;
  readonly invalidEmail: string;
  readonly invalidPhone: string;
  readonly invalidChoice: string;
  readonly tooLong: string;
  readonly formHasErrors: string;
  readonly closedTitle: string;
  readonly closedMessage: string;
  readonly nextOpen: string;
  readonly waitingForAgent: string;
  readonly composeLabel: string;
  readonly composePlaceholder: string;
  readonly composeHint: string;
  readonly send: string;
  readonly endChat: string;
  readonly endChatConfirm: string;
  readonly ended: string;
  readonly newChat: string;
  readonly you: string;
  readonly agent: string;
  readonly bot: string;
  readonly system: string;
  readonly sending: string;
  readonly notSent: string;
  readonly notDelivered: string;
  readonly offline: string;
  readonly reconnecting: string;
  readonly expired: string;
  readonly loadFailed: string;
  readonly retry: string;
  /** What a screen reader hears for an agent's or bot's message: `{name}` and `{text}`. */
  readonly announceMessage: string;
  /** ...and for an automated one, which nobody wrote: `{text}`. */
  readonly announceNotice: string;
  /** Shown (and read out politely) while an agent types and their name is not known. */
  readonly agentTyping: string;
  /** ...and when it is: `{name}`. */
  readonly agentTypingNamed: string;
  readonly transcriptLabel: string;
  /** The post-chat survey's question when the admin wrote none. */
  readonly rateQuestion: string;
  /** What each rating means, 1 (worst) to 5 (best): a screen reader hears "4 – Good"; 1 and 5 show under the scale. */
  readonly rating1: string;
  readonly rating2: string;
  readonly rating3: string;
  readonly rating4: string;
  readonly rating5: string;
  readonly rateComment: string;
  readonly rateSend: string;
  /** Sending without choosing a rating. */
  readonly rateChoose: string;
  readonly rateThanks: string;
  /** The answer could not be sent; the customer may try again. */
  readonly rateFailed: string;
  /** The server refused the answer for good (the survey closed). */
  readonly rateUnavailable: string;
}

/** Present when the widget's workstream asks for a rating once a chat has ended. */
export interface SurveyConfig {
  /** The admin's question, already in the requested locale; absent: the widget's own `rateQuestion`. */
  readonly question?: string;
}

export interface WidgetConfig {
  readonly widgetId: WidgetId;
  readonly preChatQuestions: readonly PreChatQuestion[];
  readonly hours: OperatingHoursStatus;
  /**
   * Origins (scheme://host[:port]) allowed to embed this widget. The widget also
   * uses this list for the cross-site hand-off: a link from one allowed origin to
   * another carries the conversation in its URL fragment (see README).
   */
  readonly allowedOrigins: readonly string[];
  /** Names of the custom context variables the server accepts; others are dropped by the server. Informational for the widget. */
  readonly contextVariables?: readonly string[];
  /** Admin overrides of the widget's built-in strings, already in the requested locale. */
  readonly strings?: Partial<WidgetStrings>;
  /** Maximum length of one customer message in characters (default 4000). */
  readonly maxMessageLength?: number;
  /** Accent colour of the launcher and header as a CSS hex colour, e.g. "#0f6cbd". */
  readonly accentColor?: string;
  /** The post-chat survey, when the workstream has it on. */
  readonly survey?: SurveyConfig;
}

// ---------------------------------------------------------------------------
// POST {base}/{widgetId}/conversations
// 201 StartConversationResponse (200 with the same body when `clientRequestId`
// was already used by this widget: a retried start never opens a second chat).
// 400 validation_failed (with `fields`), 404 unknown_widget,
// 403 origin_not_allowed, 409 outside_hours.
// ---------------------------------------------------------------------------

export type ContextValue = string | number | boolean;

export interface StartConversationRequest {
  /** Pre-chat answers keyed by `PreChatQuestion.id`. Unanswered optional questions are omitted. */
  readonly answers: Readonly<Record<string, string>>;
  /** Custom context variables from `data-context` and `Switchboard.setContext`. */
  readonly context: Readonly<Record<string, ContextValue>>;
  /** The browser's language tag (navigator.language), e.g. "fr-CA". */
  readonly locale: string;
  /** The page the chat started on (location.href without the fragment). */
  readonly pageUrl: string;
  /** Random id generated once per start attempt; makes a retried start idempotent. */
  readonly clientRequestId: string;
}

/** Customer-visible conversation state: Open/Waiting → 'waiting', Active → 'active', Wrap-up/Closed → 'ended'. */
export type PublicConversationStatus = 'waiting' | 'active' | 'ended';

export interface StartConversationResponse {
  readonly conversationId: string;
  /** Opaque bearer token scoped to this one conversation; it is the customer's only credential. */
  readonly token: string;
  /** When the token stops being accepted. Should outlive any realistic chat (e.g. 24 h). */
  readonly expiresOn: IsoInstant;
  readonly status: PublicConversationStatus;
}

// ---------------------------------------------------------------------------
// GET {base}/conversations/{id}/messages?after=N     (Authorization: Bearer)
// 200 MessagesResponse: public messages with sequence > N, ascending, at most
// `limit` (server choice, e.g. 100); the widget asks again at once while
// `hasMore` is true. Internal notes are never returned.
// 401 unauthorized / token_expired, 404 conversation_not_found.
// ---------------------------------------------------------------------------

export type AuthorKind = 'customer' | 'agent' | 'bot' | 'system';

export interface PublicMessage {
  /** Per-conversation, strictly increasing, assigned by the server; the polling cursor. */
  readonly sequence: number;
  readonly authorKind: AuthorKind;
  /** Plain text. Clients must render it as text, never as HTML. */
  readonly body: string;
  readonly createdOn: IsoInstant;
  /** Display name of an agent or bot (e.g. first name); absent for customer and system messages. */
  readonly authorName?: string;
  /** For customer messages: the `clientMessageId` the widget sent, so a widget can match its own pending messages. */
  readonly clientMessageId?: string;
}

export interface MessagesResponse {
  readonly messages: readonly PublicMessage[];
  readonly status: PublicConversationStatus;
  /** True when more messages than returned are waiting after the last one. */
  readonly hasMore?: boolean;
}

// ---------------------------------------------------------------------------
// POST {base}/conversations/{id}/messages            (Authorization: Bearer)
// 201 SendMessageResponse; 200 with the *same* stored message when
// `clientMessageId` was already received for this conversation (a resend after
// a lost response must never create a second message).
// 400 validation_failed / message_too_long, 401, 404,
// 409 conversation_ended, 429 rate_limited (with Retry-After).
// ---------------------------------------------------------------------------

export interface SendMessageRequest {
  /** Plain text, 1..maxMessageLength characters after trimming. */
  readonly body: string;
  /** Random id (UUID) chosen by the widget once per message and reused on every resend. */
  readonly clientMessageId: string;
}

export interface SendMessageResponse {
  readonly message: PublicMessage;
}

// ---------------------------------------------------------------------------
// POST {base}/conversations/{id}/end                  (Authorization: Bearer)
// Body: EndConversationRequest (may be empty). 200 EndConversationResponse;
// ending an already ended conversation is 200 too (idempotent). 401, 404.
// ---------------------------------------------------------------------------

export interface EndConversationRequest {
  readonly reason?: 'customer_ended';
}

export interface EndConversationResponse {
  readonly status: 'ended';
}

// ---------------------------------------------------------------------------
// POST {base}/conversations/{id}/negotiate            (Authorization: Bearer)
// No body. 200 NegotiateResponse: a fresh Azure Web PubSub client access URL
// for this conversation's customer (user `customer.<conversationId>`, which
// receives public messages, agent typing, delivery changes and the end), or
// `url: null` when push is not configured on this deployment (the widget then
// polls). Asked again before every (re)connection: the URL carries a short-lived
// token. 401, 404.
// ---------------------------------------------------------------------------

export interface NegotiateResponse {
  readonly url: string | null;
}

// ---------------------------------------------------------------------------
// POST {base}/conversations/{id}/typing               (Authorization: Bearer)
// No body. 204: the agents taking part are told the customer is typing (a push
// 'typing' event by 'customer'). The widget sends it at most every 3 s while
// the customer types; 429 means "too often" and is ignored. 401, 404.
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// POST {base}/conversations/{id}/csat                 (Authorization: Bearer)
// Body: SurveyAnswerRequest. 200 SurveyAnswerResponse. Accepted once the
// conversation has ended and only where its workstream has the survey on; within
// 24 h of the end a new answer replaces the stored one (so a resend is harmless).
// 400 validation_failed (`fields.rating` / `fields.comment`), 401, 404,
// 409 conversation_not_ended / survey_not_offered / survey_closed.
// ---------------------------------------------------------------------------

export interface SurveyAnswerRequest {
  /** A whole number from 1 (worst) to 5 (best). */
  readonly rating: number;
  /** Optional, at most 1000 characters after trimming. */
  readonly comment?: string;
}

export interface SurveyAnswerResponse {
  readonly rating: number;
  readonly comment?: string;
  readonly respondedOn: IsoInstant;
}

// ---------------------------------------------------------------------------
// GET {base}/widget.js — the built script (dist/widget.js), served as
// `application/javascript; charset=utf-8`, `Cache-Control: public, max-age=300`.
// ---------------------------------------------------------------------------

export type ChatErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'message_too_long'
  | 'unknown_widget'
  | 'origin_not_allowed'
  | 'outside_hours'
  | 'unauthorized'
  | 'token_expired'
  | 'conversation_not_found'
  | 'conversation_ended'
  | 'rate_limited'
  | 'internal'
  | 'conversation_not_ended'
  | 'survey_not_offered'
  | 'survey_closed';

export interface ApiErrorBody {
  readonly error: {
    readonly code: ChatErrorCode;
    /** English, for logs and developers; the widget shows its own localised text. */
    readonly message: string;
    /** For validation_failed: question id (or "body") → what is wrong. */
    readonly fields?: Readonly<Record<string, string>>;
  };
}

/** Route templates relative to the API base, for both sides to share. */
export const chatRoutes = {
  config: (widgetId: WidgetId) => `/${encodeURIComponent(widgetId)}/config`,
  conversations: (widgetId: WidgetId) => `/${encodeURIComponent(widgetId)}/conversations`,
  messages: (conversationId: string) => `/conversations/${encodeURIComponent(conversationId)}/messages`,
  end: (conversationId: string) => `/conversations/${encodeURIComponent(conversationId)}/end`,
  negotiate: (conversationId: string) => `/conversations/${encodeURIComponent(conversationId)}/negotiate`,
  typing: (conversationId: string) => `/conversations/${encodeURIComponent(conversationId)}/typing`,
  csat: (conversationId: string) => `/conversations/${encodeURIComponent(conversationId)}/csat`,
  script: () => '/widget.js',
} as const;
