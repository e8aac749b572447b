export type Result<T, E = CoreError> = { ok: true; value: T } | { ok: false; error: E };

/** Errors carry a stable code for programs and an English message for logs; UIs map the code. */
export interface CoreError {
  code: string;
  message: string;
}

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E = CoreError>(error: E): { ok: false; error: E } => ({ ok: false, error });
