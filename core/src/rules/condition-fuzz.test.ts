import fc from 'fast-check';
import { ConditionSyntaxError, parseCondition } from './condition-language';
import { compileCondition, evaluateCondition } from './condition-evaluator';

const pieces = ["conversation.channel", 'customer.type', 'context.total', "'sms'", '"x"', '100', '-2.5', 'and', 'or', 'not', 'in', '(', ')', '[', ']', ',', '=', '!=', '<', '>=', 'contains(', 'length(', 'null', 'true', '.', "'", '__proto__', 'constructor'];

describe('condition parser on hostile input', () => {
  test('any text either parses or fails with a positioned ConditionSyntaxError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((xs) => xs.join(' '))), (source) => {
        try {
          parseCondition(source);
        } catch (e) {
          expect(e).toBeInstanceOf(ConditionSyntaxError);
          const s = e as ConditionSyntaxError;
          expect(s.position).toBeGreaterThanOrEqual(0);
          expect(s.position).toBeLessThanOrEqual(source.length);
          expect(s.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('whatever parses evaluates to a boolean over any record without throwing', () => {
    const scopeArb = fc.record({ conversation: fc.dictionary(fc.constantFrom('channel', 'x'), fc.jsonValue()), customer: fc.dictionary(fc.constantFrom('type', 'constructor'), fc.jsonValue()), context: fc.dictionary(fc.constantFrom('total'), fc.jsonValue()) });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((xs) => xs.join(' ')), scopeArb, (source, scope) => {
        const c = compileCondition(source);
        if (c.ok) expect(typeof evaluateCondition(c.value, scope as never)).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
