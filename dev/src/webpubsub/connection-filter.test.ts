// The filter language of "OData filter syntax in Azure Web PubSub service", case by case from its
// tables and examples, plus a property: any user id quoted by the SDK's own `odata` helper matches
// itself and nothing else.
import { odata } from '@azure/web-pubsub';
import fc from 'fast-check';
import { FilterError, parseConnectionFilter, type FilterSubject } from './connection-filter';

const user1: FilterSubject = { userId: 'user1', connectionId: 'c-123', groups: ['group1'] };
const userAbDe: FilterSubject = { userId: 'user-ab-de', connectionId: 'c-456', groups: ['group1', 'group2'] };
const spaced: FilterSubject = { userId: ' user1 ', connectionId: 'c-789', groups: [] };
const anonymous: FilterSubject = { userId: null, connectionId: 'c-000', groups: ['group3'] };
const subjects = { user1, userAbDe, spaced, anonymous };

function matching(filter: string): string[] {
  const f = parseConnectionFilter(filter);
  return Object.entries(subjects).filter(([, s]) => f.matches(s)).map(([k]) => k);
}

test.each([
  ["userId eq 'user1'", ['user1']],
  ["userId ne 'user1'", ['userAbDe', 'spaced', 'anonymous']],
  ['userId eq null', ['anonymous']],
  ['userId ne null', ['user1', 'userAbDe', 'spaced']],
  ["connectionId ne 'c-123'", ['userAbDe', 'spaced', 'anonymous']],
  ["'group1' in groups", ['user1', 'userAbDe']],
  ["userId in ('user1', 'user2')", ['user1']],
  ["tolower(userId) eq 'user1'", ['user1']],
  ["toupper(userId) eq 'USER1'", ['user1']],
  ["trim(userId) eq 'user1'", ['user1', 'spaced']],
  ["substring(userId,5,2) eq 'ab'", ['userAbDe']],
  ["substring(userId, 5) eq 'ab-de'", ['userAbDe']],
  ["endswith(userId,'de')", ['userAbDe']],
  ["startswith(userId,'user')", ['user1', 'userAbDe']],
  ["contains(userId, '-ab-')", ['userAbDe']],
  ["indexof(userId,'-ab-') ge 0", ['userAbDe']],
  ["concat(userId, '!') eq 'user1!'", ['user1']],
  ['length(userId) gt 5', ['userAbDe', 'spaced']],
  ['length(groups) gt 1', ['userAbDe']],
  ['length(userId) le 10 and length(userId) gt 3', ['user1', 'userAbDe', 'spaced']],
  ["not endswith(userId, 'de')", ['user1', 'spaced', 'anonymous']],
  ["userId eq 'user1' or (not (startswith(userId,'user')))", ['user1', 'spaced', 'anonymous']],
  ["'group1' in groups or 'group3' in groups", ['user1', 'userAbDe', 'anonymous']],
  ["userId in ('user1', 'user-ab-de') and 'group2' in groups", ['userAbDe']],
  ["userId eq 'user1' and connectionId ne 'c-999'", ['user1']],
  ["userId eq 'user1' and (not ('group1' in groups))", []],
  ["'group2' in (groups)", ['userAbDe']],
  ['true', ['user1', 'userAbDe', 'spaced', 'anonymous']],
  ['false', []],
  // Identifiers are case-insensitive.
  ["UserId eq 'user1' and 'group1' in Groups", ['user1']],
  // and binds tighter than or; comparisons tighter than both.
  ['length(userId) gt 0 and length(userId) lt 6 or length(userId) gt 9 and length(userId) lt 11', ['user1', 'userAbDe']],
])('%s', (filter, expected) => {
  expect(matching(filter)).toEqual(expected);
});

test("a quote inside a literal is written twice: userId eq 'o''neil'", () => {
  expect(parseConnectionFilter("userId eq 'o''neil'").matches({ userId: "o'neil", connectionId: 'x', groups: [] })).toBe(true);
});

test.each([
  ['not length(userId) gt 5', /invalid syntax for 'not length\(userId\)': type 'int', expected 'bool'/],
  ["protocol eq 'json.webpubsub.azure.v1'", /'protocol' .* is not an identifier/],
  ['userId', /must be a boolean expression/],
  ["userId eq 'a' eq 'b'", /unexpected 'eq'/],
  ["userId eq 'unterminated", /unterminated string literal/],
  ['length(userId) gt', /ends where a value was expected/],
  ["userId gt 1", /cannot compare string 'userId' with int '1'/],
  ["groups eq 'a'", /'groups' is a collection/],
  ["'a' in ('b', groups)", /not 'groups' inside a list/],
  ["matchesPattern(userId, 'x')", /not a function the service supports/],
  ["substring(userId, 'a') eq 'b'", /argument 2 of substring\(\) must be an integer/],
  ['tolower(userId, userId) eq null', /tolower\(\) takes 1 arguments, 2 given/],
  ["userId eq 'a' && userId eq 'b'", /unexpected character '&'/],
  ['true gt false', /'gt' does not apply to booleans/],
  ['', /the filter is empty/],
])('refused: %s', (filter, why) => {
  expect(() => parseConnectionFilter(filter)).toThrow(FilterError);
  expect(() => parseConnectionFilter(filter)).toThrow(why);
});

test('at most 100 clauses', () => {
  const clauses = (n: number) => Array.from({ length: n }, (_, i) => `userId eq 'u${i}'`).join(' or ');
  expect(parseConnectionFilter(clauses(100)).matches({ userId: 'u99', connectionId: 'c', groups: [] })).toBe(true);
  expect(() => parseConnectionFilter(clauses(101))).toThrow(/more than 100 clauses/);
});

test('any user id quoted with the SDK\'s odata helper matches exactly that user', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (id, other) => {
      const f = parseConnectionFilter(odata`userId eq ${id}`);
      expect(f.matches({ userId: id, connectionId: 'c', groups: [] })).toBe(true);
      expect(f.matches({ userId: other, connectionId: 'c', groups: [] })).toBe(id === other);
    }),
  );
});
