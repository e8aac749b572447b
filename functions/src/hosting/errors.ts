// Errors that carry their own HTTP meaning. Anything else reaching a handler's edge is our
// fault and becomes a 500 without leaking details to the caller.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class NotImplementedError extends Error {
  readonly code = 'NotImplemented';
  constructor(readonly feature: string) {
    super(`${feature} is not implemented in this build of Switchboard.`);
    this.name = 'NotImplementedError';
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}
