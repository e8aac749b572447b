// What a PubSub client may do with groups, from the roles in its token (or the connect handler's
// answer) and the REST grant/revoke calls. Role names as documented under "Permissions":
// `webpubsub.joinLeaveGroup` / `webpubsub.sendToGroup` (every group), the same followed by
// `.<group>` (that group, dots included), and `webpubsub.joinLeaveGroups.<pattern>` /
// `webpubsub.sendToGroups.<pattern>` where `*` stays within a dot-separated segment, `**` crosses
// segments and `?` is one non-dot character. Matching is case-sensitive, as group names are.

export type GroupAction = 'joinLeaveGroup' | 'sendToGroup';
export const GROUP_ACTIONS: readonly GroupAction[] = ['joinLeaveGroup', 'sendToGroup'];

function patternToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^.]*';
    else if (c === '?') re += '[^.]';
    else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export class GroupPermissions {
  private readonly roles = new Set<string>();
  private readonly patterns = new Map<string, RegExp>();

  constructor(roles: Iterable<string>) {
    for (const r of roles) this.add(r);
  }

  private add(role: string): void {
    this.roles.add(role);
    for (const action of GROUP_ACTIONS) {
      const prefix = `webpubsub.${action}s.`;
      if (role.startsWith(prefix)) this.patterns.set(role, patternToRegExp(role.slice(prefix.length)));
    }
  }

  can(action: GroupAction, group: string): boolean {
    if (this.roles.has(`webpubsub.${action}`) || this.roles.has(`webpubsub.${action}.${group}`)) return true;
    const prefix = `webpubsub.${action}s.`;
    for (const [role, re] of this.patterns) if (role.startsWith(prefix) && re.test(group)) return true;
    return false;
  }

  /** REST grant: no target means every group, as the role without a suffix. */
  grant(action: GroupAction, target?: string): void {
    this.add(target === undefined ? `webpubsub.${action}` : `webpubsub.${action}.${target}`);
  }

  /** REST revoke removes exactly what a grant (or a role) of that shape gave; a wider role stays. */
  revoke(action: GroupAction, target?: string): void {
    this.roles.delete(target === undefined ? `webpubsub.${action}` : `webpubsub.${action}.${target}`);
  }

  /** REST check: with a target, whether the action is allowed on that group; without, whether it is allowed on every group. */
  check(action: GroupAction, target?: string): boolean {
    return target === undefined ? this.roles.has(`webpubsub.${action}`) : this.can(action, target);
  }

  list(): string[] {
    return [...this.roles];
  }
}
