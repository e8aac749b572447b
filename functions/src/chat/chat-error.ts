// The chat API's own errors: what the widget can act on (widget/src/contract.ts), with the
// fields that failed and headers such as Retry-After. Anything else thrown is ours (5xx).
export type ChatErrorCode =
  | 'bad_request' | 'validation_failed' | 'message_too_long' | 'unknown_widget' | 'origin_not_allowed' | 'outside_hours'
  | 'unauthorized' | 'token_expired' | 'conversation_not_found' | 'conversation_ended' | 'rate_limited' | 'internal'
  | 'conversation_not_ended' | 'survey_not_offered' | 'survey_closed';

export class ChatError extends Error {
  constructor(
    readonly status: number,
    readonly code: ChatErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
