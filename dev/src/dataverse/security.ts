// Identity, table-level privileges and column security. A bearer token maps to a systemuser: the
// application user's token (--app-token), a token registered in _emu_tokens, or the documented dev
// scheme `dev:<domainname>` for any enabled systemuser. Privileges come from the Switchboard roles
// in the metadata, joined to users through systemuserroles exactly as Dataverse stores them; access
// to secured columns from the field security profiles, joined through systemuserprofiles.
import type { AttributeMetadata, EntityMetadata, PrivilegeDepth, PrivilegeKind } from '@switchboard/solution';
import { DataverseError, ErrorCodes } from './errors';
import type { Model } from './model';
import type { Row, Store } from './store';
import { APP_USER_ID, ROOT_BUSINESS_UNIT_ID } from './system-metadata';

export interface Caller {
  userId: string;
  /** the user's domain name (how request statistics name callers) */
  domainname: string;
  businessUnitId: string;
  /** The application user: full access, like a System Administrator. */
  isApp: boolean;
  roleIds: string[];
  /** field security profiles the user is a member of */
  profileIds: string[];
}

export type ColumnAccess = 'read' | 'create' | 'update';

const DEPTH_ORDER: PrivilegeDepth[] = ['none', 'basic', 'local', 'deep', 'global'];
const PRIVILEGE_NAMES: Record<PrivilegeKind, string> = {
  create: 'Create', read: 'Read', write: 'Write', delete: 'Delete', append: 'Append', appendTo: 'AppendTo', assign: 'Assign', share: 'Share',
};
// Every Dataverse user has the Basic User role, which lets them read these reference tables.
const READABLE_BY_EVERYONE = new Set(['organization', 'businessunit', 'systemuser', 'role']);

export class Security {
  constructor(
    private readonly store: Store,
    private readonly model: Model,
    private readonly appToken: string,
  ) {}

  authenticate(authorization: string | undefined): Caller {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!m) throw new DataverseError(401, ErrorCodes.notAuthenticated, 'The requested resource requires authentication.', { 'WWW-Authenticate': 'Bearer' });
    const token = m[1].trim();
    let userId: string | undefined;
    if (token === this.appToken) userId = APP_USER_ID;
    else userId = this.store.tokenUser(token);
    // committed state only: a user created by a write still in flight cannot sign in yet
    const db = this.store.reader;
    const users = this.model.entity('systemuser');
    let user: Row | undefined = userId ? this.store.get(db, users, userId) : undefined;
    if (!user && token.startsWith('dev:')) {
      const person = this.store.findBy(db, users, { domainname: token.slice(4) });
      // The dev scheme stands in for an agent's interactive sign-in. An application user only
      // ever authenticates with its own secret (--app-token); otherwise `dev:` + the app user's
      // domain name would hand anyone on the machine full, System Administrator-like access.
      if (person && person.systemuserid !== APP_USER_ID && person.applicationid == null) user = person;
    }
    if (!user || user.isdisabled === 1) {
      throw new DataverseError(401, ErrorCodes.notAuthenticated, 'The user is not authenticated: unknown or disabled token.', { 'WWW-Authenticate': 'Bearer' });
    }
    const id = user.systemuserid as string;
    return {
      userId: id,
      domainname: (user.domainname as string | null) ?? id,
      businessUnitId: (user.businessunitid as string) ?? ROOT_BUSINESS_UNIT_ID,
      isApp: id === APP_USER_ID,
      roleIds: this.store.relatedIds(db, 'systemuserroles', 'systemuserid', id, 'roleid'),
      profileIds: this.store.relatedIds(db, 'systemuserprofiles', 'systemuserid', id, 'fieldsecurityprofileid'),
    };
  }

  /**
   * Column security: everyone has every access to a column that is not secured; on a secured one,
   * the application user has all (like a System Administrator, whose profile grants everything)
   * and anyone else the union of what their field security profiles grant.
   */
  columnAllowed(caller: Caller, e: EntityMetadata, a: AttributeMetadata, access: ColumnAccess): boolean {
    if (!a.secured || caller.isApp) return true;
    return this.model.metadata.fieldSecurityProfiles.some((p) => caller.profileIds.includes(p.id) && p.permissions[e.logicalName]?.[a.logicalName]?.[access] === true);
  }

  /**
   * Refuses a write of secured columns the caller may not set, with Dataverse's errors
   * (web service error codes AttributePrivilegeCreateIsMissing / AttributePermissionUpdateIsMissingDuringUpdate).
   * On create only non-null values count: leaving a secured column empty needs no permission.
   */
  requireColumnWrite(caller: Caller, e: EntityMetadata, values: Row, operation: 'create' | 'update'): void {
    for (const [name, value] of Object.entries(values)) {
      const a = e.attributes[name];
      if (!a?.secured || (operation === 'create' && value === null)) continue;
      if (this.columnAllowed(caller, e, a, operation)) continue;
      if (operation === 'create') {
        throw new DataverseError(403, ErrorCodes.attributePrivilegeCreateIsMissing, 'The user does not have create permissions to a secured field. The requested operation could not be completed.');
      }
      throw new DataverseError(403, ErrorCodes.attributePermissionUpdateIsMissingDuringUpdate, "The user doesn't have AttributePrivilegeUpdate and not granted shared access for a secured attribute during update operation");
    }
  }

  depth(caller: Caller, table: string, kind: PrivilegeKind): PrivilegeDepth {
    if (caller.isApp) return 'global';
    let best = kind === 'read' && READABLE_BY_EVERYONE.has(table) ? 'global' : 'none';
    for (const role of this.model.metadata.roles) {
      if (!caller.roleIds.includes(role.id)) continue;
      const d = role.privileges[table]?.[kind];
      if (d && DEPTH_ORDER.indexOf(d) > DEPTH_ORDER.indexOf(best as PrivilegeDepth)) best = d;
    }
    return best as PrivilegeDepth;
  }

  /** Throws Dataverse's missing-privilege error when the caller has no depth at all. */
  require(caller: Caller, table: string, kind: PrivilegeKind): PrivilegeDepth {
    const d = this.depth(caller, table, kind);
    if (d === 'none') {
      const prv = `prv${PRIVILEGE_NAMES[kind]}${table}`;
      throw new DataverseError(
        403,
        ErrorCodes.privilegeDenied,
        `Principal user (Id=${caller.userId}, type=8, roleCount=${caller.roleIds.length}, privilegeName=${prv}, depth=0x00000001, businessUnitId=${caller.businessUnitId}) is missing ${prv} privilege on entity '${table}'.`,
      );
    }
    return d;
  }

  /** Row-level check for a privilege held at a depth narrower than Global. */
  canAccess(caller: Caller, e: EntityMetadata, row: Row, depth: PrivilegeDepth): boolean {
    if (depth === 'global' || e.ownership !== 'user') return depth !== 'none';
    if (depth === 'basic') return row.ownerid === caller.userId;
    return row.owningbusinessunit === caller.businessUnitId;
  }

  requireRow(caller: Caller, e: EntityMetadata, row: Row, kind: PrivilegeKind): void {
    const depth = this.require(caller, e.logicalName, kind);
    if (!this.canAccess(caller, e, row, depth)) {
      throw new DataverseError(
        403,
        ErrorCodes.accessCheckFailed,
        `Principal user (Id=${caller.userId}) does not have ${PRIVILEGE_NAMES[kind]}Access right(s) for record with Id = ${row[e.primaryIdAttribute]} of entity ${e.logicalName}.`,
      );
    }
  }

  /** SQL restricting a query to the rows the caller may read. */
  readScope(caller: Caller, e: EntityMetadata, alias = 't'): { sql: string; params: unknown[] } {
    const depth = this.require(caller, e.logicalName, 'read');
    if (depth === 'global' || e.ownership !== 'user') return { sql: '', params: [] };
    if (depth === 'basic') return { sql: `${alias}."ownerid" = ?`, params: [caller.userId] };
    return { sql: `${alias}."owningbusinessunit" = ?`, params: [caller.businessUnitId] };
  }
}
