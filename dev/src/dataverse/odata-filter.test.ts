import fc from 'fast-check';
import { DataverseError } from './errors';
import { compileFilter, parseFilter } from './odata-filter';
import { buildEmulatorMetadata } from './system-metadata';
import { fixtureMetadata } from './testing/fixture-metadata';

const contact = buildEmulatorMetadata(fixtureMetadata).entities.contact;
const compile = (f: string) => compileFilter(parseFilter(f), contact);

describe('$filter to SQL', () => {
  it('values travel only as bound parameters, whatever the string contains', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (value) => {
        const literal = value.replace(/'/g, "''");
        const { sql, params } = compile(`firstname eq '${literal}' or contains(lastname, '${literal}')`);
        expect(sql).toBe('((t."firstname" = ?) OR (t."lastname" LIKE ? ESCAPE \'\\\'))');
        expect(params[0]).toBe(value);
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary input either parses or fails with a 400, never another error', () => {
    const pieces = fc.constantFrom('firstname', 'eq', 'ne', 'and', 'or', 'not', '(', ')', "'x'", "''", '1', '-2.5', 'null', 'true',
      '2020-01-01', '00000000-0000-0000-0000-000000000000', 'contains(', ',', 'numberofchildren', '_parentcustomerid_value', 'gt', ' ', '$', '/');
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 12 }), (parts) => {
        try {
          compile(parts.join(' '));
        } catch (err) {
          expect(err).toBeInstanceOf(DataverseError);
          expect((err as DataverseError).status).toBe(400);
        }
      }),
      { numRuns: 300 },
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
});
