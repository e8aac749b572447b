// What the server side publishes through (functions backs it with Azure Web PubSub). Push is
// best effort by design: every method resolves — a failure is logged by the adapter, never
// thrown — because no client relies on an event arriving; each reads the rows after the last
// sequence it has, on every event and on every (re)connection.
import type { PushEvent } from './push-events';

export interface PushPort {
  toUser(userId: string, event: PushEvent): Promise<void>;
  toGroup(group: string, event: PushEvent): Promise<void>;
  /** Puts every live connection of the user in the group (a later connection gets its groups from its token). */
  join(userId: string, group: string): Promise<void>;
  leave(userId: string, group: string): Promise<void>;
  /** A client URL for this user, in these groups, valid for `minutes`; null when push is not configured. */
  clientUrl(userId: string, groups: readonly string[], minutes: number): Promise<string | null>;
  /** Whether the user has a live connection; undefined when nobody can tell (push off or unreachable). */
  isConnected(userId: string): Promise<boolean | undefined>;
}

/** Push not configured: nothing is sent, no URL is given, connections are unknown. */
export const NO_PUSH: PushPort = {
  toUser: async () => {},
  toGroup: async () => {},
  join: async () => {},
  leave: async () => {},
  clientUrl: async () => null,
  isConnected: async () => undefined,
};
