import fc from 'fast-check';
import { DataverseError } from './errors';
import { type SqlScope, compileFilter } from './filter-sql';
import { Model } from './model';
import { parseFilter } from './odata-filter';
import { buildEmulatorMetadata } from './system-metadata';
import { fixtureMetadata } from './testing/fixture-metadata';

const model = new Model(buildEmulatorMetadata(fixtureMetadata));
const contact = model.entity('contact');
const scope: SqlScope = {
  model,
  column: (alias, _e, a) => `${alias}."${a.logicalName}"`,
  readScope: () => ({ sql: '', params: [] }),
  userId: '0a7e0003-0000-4000-8000-000000000001',
  businessUnitId: '0a7e0001-0000-4000-8000-000000000001',
  now: Date.parse('2026-03-04T13:00:00Z'),
};
const compile = (f: string, aliases?: Map<string, string>) => compileFilter(parseFilter(f, aliases), contact, scope);

describe('$filter to SQL', () => {
  it('values travel only as bound parameters, whatever the string contains', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((v) => !v.includes('[')), (value) => {
        const literal = value.replace(/'/g, "''");
        const { sql, params } = compile(`firstname eq '${literal}' or contains(lastname, '${literal}')`);
        expect(sql).toBe('((t."firstname" = ?) OR (t."lastname" LIKE ?))');
        expect(params).toEqual([value, `%${value}%`]);
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary input either parses or fails with a 400, never another error', () => {
    const pieces = fc.constantFrom('firstname', 'eq', 'ne', 'and', 'or', 'not', '(', ')', "'x'", "''", '1', '-2.5', 'null', 'true',
      '2020-01-01', '00000000-0000-0000-0000-000000000000', 'contains(', ',', 'numberofchildren', '_parentcustomerid_value', 'gt', ' ', '$', '/',
      'parentcustomerid_account/name', 'contact_customer_accounts/any(', 'c:', 'c/firstname', '@p1', '[', ']', '"a"', '=',
      'Microsoft.Dynamics.CRM.In(', 'PropertyName=', 'PropertyValues=', 'Microsoft.Dynamics.CRM.LastXHours(', 'PropertyValue=');
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 14 }), (parts) => {
        try {
          compile(parts.join(' '), new Map([['@p1', "'firstname'"]]));
        } catch (err) {
          expect(err).toBeInstanceOf(DataverseError);
          expect((err as DataverseError).status).toBe(400);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('precedence: not binds tighter than and, and tighter than or', () => {
    expect(compile("not firstname eq 'a' and lastname eq 'b' or numberofchildren gt 1").sql)
      .toBe('(((NOT (t."firstname" = ?)) AND (t."lastname" = ?)) OR (t."numberofchildren" > ?))');
  });

  it('literals are typed against the column: guids, dates, numbers, booleans, null', () => {
    const g = 'ABCDEF01-0000-0000-0000-000000000000';
    expect(compile(`_parentcustomerid_value eq ${g}`).params).toEqual([g.toLowerCase()]);
    expect(compile('birthdate ge 2024-03-01').params).toEqual(['2024-03-01T00:00:00Z']);
    expect(compile('birthdate lt 2024-03-01T10:00:00.123+02:00').params).toEqual(['2024-03-01T08:00:00Z']);
    expect(compile('donotsms eq true').params).toEqual([1]);
    expect(compile('creditlimit gt 10.5').params).toEqual([10.5]);
    expect(compile('mobilephone ne null').sql).toBe('(t."mobilephone" IS NOT NULL)');
    expect(compile('5 lt numberofchildren').sql).toBe('(t."numberofchildren" > ?)');
    expect(() => compile("birthdate eq '2024-01-01'")).toThrow(/incompatible types/);
    expect(() => compile('numberofchildren gt null')).toThrow(/null can only be compared/);
  });

  it('a path through a lookup reads the related row in a subquery, checking which table a polymorphic lookup points to', () => {
    const { sql, params } = compile("parentcustomerid_account/name eq 'Contoso'");
    expect(sql).toBe('((SELECT t_j1."name" FROM "account" t_j1 WHERE t_j1."accountid" = t."parentcustomerid" AND t."parentcustomerid__type" = ?) = ?)');
    expect(params).toEqual(['account', 'Contoso']);
  });

  it('relative dates are computed from the injected clock in UTC', () => {
    // now is 2026-03-04 13:00 UTC: last 2 days starts at midnight two days back; last 3 hours at 10:00
    expect(compile("Microsoft.Dynamics.CRM.LastXDays(PropertyName='birthdate',PropertyValue=2)").params).toEqual(['2026-03-02T00:00:00Z', '2026-03-04T13:00:00Z']);
    expect(compile("Microsoft.Dynamics.CRM.LastXHours(PropertyName='birthdate',PropertyValue=3)").params).toEqual(['2026-03-04T10:00:00Z', '2026-03-04T13:00:00Z']);
    expect(compile("Microsoft.Dynamics.CRM.Today(PropertyName='birthdate')").params).toEqual(['2026-03-04T00:00:00Z', '2026-03-05T00:00:00Z']);
    expect(compile("Microsoft.Dynamics.CRM.ThisWeek(PropertyName='birthdate')").params).toEqual(['2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z']);
    expect(compile("Microsoft.Dynamics.CRM.NextXDays(PropertyName='birthdate',PropertyValue=4)").params).toEqual(['2026-03-04T13:00:00Z', '2026-03-09T00:00:00Z']);
  });

  it('hostile nesting and size are a 400 with a message, not a stack overflow', () => {
    const deepNot = `${'not '.repeat(2000)}firstname eq 'a'`;
    const deepParens = `${'('.repeat(5000)}firstname eq 'a'${')'.repeat(5000)}`;
    const deepLambda = `${'contact_customer_accounts/any(c:'.repeat(200)}c/firstname eq 'a'${')'.repeat(200)}`;
    const wide = Array.from({ length: 600 }, (_, i) => `numberofchildren eq ${i}`).join(' or ');
    for (const f of [deepNot, deepParens, deepLambda, wide]) {
      let error: unknown;
      try {
        compile(f);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(DataverseError);
      expect((error as DataverseError).status).toBe(400);
      expect((error as DataverseError).message).toMatch(/nested more than 64 levels|more than 500 conditions/);
    }
  });
});
