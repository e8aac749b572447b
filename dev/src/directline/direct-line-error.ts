// Errors as Direct Line answers them: `{ "error": { "code", "message" } }`, the code stable, the
// message not ("API reference - Direct Line API 3.0", Errors). Bot failures also carry the bot's
// own status beside it, as the service does: `{ error: { code: 'BotError', message: 'Failed to
// send activity: bot timed out' }, httpStatusCode: 504 }` (seen in BotFramework-DirectLineJS#47).
export class DirectLineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly botStatus?: number,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message }, ...(this.botStatus ? { httpStatusCode: this.botStatus } : {}) };
  }
}

export const missingCredentials = () => new DirectLineError(401, 'BadArgument', 'Missing token or secret');
export const notValidForConversation = () => new DirectLineError(403, 'BadArgument', 'Security token not valid for this conversation');
export const tokenExpired = () => new DirectLineError(403, 'TokenExpired', 'Token expired');
export const conversationNotFound = () => new DirectLineError(404, 'NotFound', 'Conversation not found');
export const badArgument = (message: string) => new DirectLineError(400, 'BadArgument', message);
export const missingProperty = (message: string) => new DirectLineError(400, 'MissingProperty', message);
export const botReturnedError = (botStatus: number) => new DirectLineError(502, 'BotError', 'Failed to send activity: bot returned an error', botStatus);
export const botTimedOut = () => new DirectLineError(502, 'BotError', 'Failed to send activity: bot timed out', 504);
