// Role names from the service's "Permissions" table, including the wildcard role forms.
import { GroupPermissions } from './group-permissions';

test('a role without a suffix allows every group; with a suffix, exactly that group (dots included)', () => {
  const p = new GroupPermissions(['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup.queue.web']);
  expect(p.can('joinLeaveGroup', 'anything')).toBe(true);
  expect(p.can('sendToGroup', 'queue.web')).toBe(true);
  expect(p.can('sendToGroup', 'queue.webx')).toBe(false);
  expect(p.can('sendToGroup', 'Queue.web')).toBe(false);
});

test('wildcard roles: * stays within a dot-separated segment, ** crosses segments, ? is one non-dot character', () => {
  const p = new GroupPermissions(['webpubsub.joinLeaveGroups.conversation.*', 'webpubsub.sendToGroups.tenant.**', 'webpubsub.sendToGroups.room-?']);
  expect(p.can('joinLeaveGroup', 'conversation.42')).toBe(true);
  expect(p.can('joinLeaveGroup', 'conversation.42.notes')).toBe(false);
  expect(p.can('joinLeaveGroup', 'conversationX42')).toBe(false);
  expect(p.can('sendToGroup', 'tenant.a.b.c')).toBe(true);
  expect(p.can('sendToGroup', 'room-1')).toBe(true);
  expect(p.can('sendToGroup', 'room-12')).toBe(false);
  expect(p.can('sendToGroup', 'room-.')).toBe(false);
  // A pattern for one action grants nothing for the other.
  expect(p.can('sendToGroup', 'conversation.42')).toBe(false);
});

test('grant and revoke act on exactly the permission named; check without a target asks about every group', () => {
  const p = new GroupPermissions([]);
  p.grant('joinLeaveGroup', 'g1');
  expect(p.check('joinLeaveGroup', 'g1')).toBe(true);
  expect(p.check('joinLeaveGroup')).toBe(false);
  p.grant('joinLeaveGroup');
  expect(p.check('joinLeaveGroup')).toBe(true);
  p.revoke('joinLeaveGroup', 'g1');
  expect(p.check('joinLeaveGroup', 'g1')).toBe(true);
  p.revoke('joinLeaveGroup');
  expect(p.check('joinLeaveGroup', 'g1')).toBe(false);
});
