import { ConditionSyntaxError, parseCondition } from './condition-language';
import { compileCondition, conditionMatches } from './condition-evaluator';
import { conditionMessage, conditionReason } from './condition-messages';

const scope = {
  conversation: { channel: 'sms', firstMessage: 'I want a REFUND please', tags: ['vip', 'fr'] },
  customer: { type: 'contact', firstname: 'Zoé', creditlimit: 5000, isvip: true },
  context: { orderTotal: '150.5', plan: 'Gold', signedUp: '2024-03-01' },
};

function matches(source: string): boolean {
  const r = conditionMatches(source, scope);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function syntaxError(source: string): ConditionSyntaxError {
  try {
    parseCondition(source);
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return e;
    throw e;
  }
  throw new Error(`'${source}' parsed but should not have`);
}

describe('condition language', () => {
  test('the example from the admin guide matches an sms contact with a large order', () => {
    expect(matches("conversation.channel = 'sms' and customer.type = 'contact' and context.orderTotal > 100 or contains(conversation.firstMessage, 'refund')")).toBe(true);
  });

  test('and binds tighter than or', () => {
    expect(matches("conversation.channel = 'chat' and customer.type = 'contact' or context.plan = 'gold'")).toBe(true);
    expect(matches("conversation.channel = 'chat' and (customer.type = 'contact' or context.plan = 'gold')")).toBe(false);
  });

  test('text equality ignores case but not accents', () => {
    expect(matches("context.plan = 'GOLD'")).toBe(true);
    expect(matches("customer.firstname = 'zoé'")).toBe(true);
    expect(matches("customer.firstname = 'zoe'")).toBe(false);
  });

  test('numbers compare numerically even when a context variable arrives as text', () => {
    expect(matches('context.orderTotal > 100')).toBe(true);
    expect(matches('context.orderTotal >= 150.5')).toBe(true);
    expect(matches('context.orderTotal < 99')).toBe(false);
    expect(matches('customer.creditlimit != 5000')).toBe(false);
    expect(matches('customer.creditlimit <> 4000')).toBe(true);
  });

  test('ISO dates compare as text in date order', () => {
    expect(matches("context.signedUp < '2025-01-01'")).toBe(true);
  });

  test('in and not in test membership in a list', () => {
    expect(matches("conversation.channel in ('sms', 'whatsapp')")).toBe(true);
    expect(matches("conversation.channel not in ['sms']")).toBe(false);
    expect(matches("contains(conversation.tags, 'VIP')")).toBe(true);
  });

  test('a missing field is null: it equals null and fails every comparison', () => {
    expect(matches('context.nothing = null')).toBe(true);
    expect(matches('context.nothing > 0')).toBe(false);
    expect(matches('context.nothing < 0')).toBe(false);
    expect(matches('not exists(context.nothing)')).toBe(true);
    expect(matches('isEmpty(context.nothing)')).toBe(true);
  });

  test('booleans and a bare field work as conditions', () => {
    expect(matches('customer.isvip')).toBe(true);
    expect(matches('customer.isvip = true')).toBe(true);
    expect(matches('not customer.isvip')).toBe(false);
  });

  test('text functions are case-insensitive', () => {
    expect(matches("startsWith(conversation.firstMessage, 'i want')")).toBe(true);
    expect(matches("endsWith(conversation.firstMessage, 'PLEASE')")).toBe(true);
    expect(matches("lower(context.plan) = 'gold' and length(context.plan) = 4")).toBe(true);
  });

  test('field names are matched without regard to case', () => {
    expect(matches('context.ordertotal > 100')).toBe(true);
  });

  test('quotes inside text are written twice', () => {
    expect(conditionMatches("customer.lastname = 'O''Brien'", { customer: { lastname: "O'Brien" } })).toEqual({ ok: true, value: true });
  });

  test('a parse error names the problem and its line and column', () => {
    const e = syntaxError("conversation.channel = 'sms' and and customer.type = 'contact'");
    expect(e.position).toBe(33);
    expect(e.column).toBe(34);
    expect(e.message).toBe("Expected a value but found 'and' at line 1, column 34");
  });

  test('unknown roots, functions and unterminated text are reported where they start', () => {
    expect(syntaxError("agent.name = 'x'").message).toMatch(/^Unknown name 'agent'.* at line 1, column 1$/);
    expect(syntaxError("eval('1')").message).toMatch(/^Unknown function 'eval'/);
    expect(syntaxError("customer.name = 'abc").column).toBe(17);
    expect(syntaxError('customer.type =').message).toBe('Expected a value but found the end of the condition at line 1, column 16');
    expect(syntaxError('contains(customer.name)').message).toMatch(/takes 2 arguments, got 1/);
    expect(syntaxError('customer.type = 1 customer.name').message).toMatch(/Expected 'and', 'or' or the end/);
    expect(syntaxError('conversation.channel = \n @').line).toBe(2);
    expect(syntaxError('').message).toMatch(/empty/);
  });

  test('compileCondition returns the error as data instead of throwing', () => {
    const r = compileCondition('customer.type = = 2');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'condition.syntax', column: 17 });
  });

  test('deep nesting and huge input are refused, not evaluated', () => {
    expect(syntaxError('('.repeat(100) + 'customer.a = 1' + ')'.repeat(100)).message).toMatch(/nested too deeply/);
    expect(syntaxError(`customer.a = '${'x'.repeat(5000)}'`).message).toMatch(/longer than/);
  });

  test('prototype properties are not reachable from a condition', () => {
    expect(conditionMatches('exists(customer.constructor)', { customer: {} })).toEqual({ ok: true, value: false });
    expect(conditionMatches('exists(customer.__proto__)', { customer: {} })).toEqual({ ok: true, value: false });
  });
});

describe('condition error messages', () => {
  test('errors read in French for a French admin, with the same position', () => {
    const r = compileCondition("conversation.channel = 'sms' and and customer.type = 'contact'");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(conditionMessage(r.error, 'fr-CA')).toBe("Valeur attendue, mais 'and' trouvé à la ligne 1, colonne 34");
    expect(conditionMessage(r.error, 'en-US')).toBe("Expected a value but found 'and' at line 1, column 34");
  });

  test('a missing closing bracket names what was expected in either language', () => {
    const r = compileCondition("conversation.channel in ('sms', 'chat' 'x')");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe("Expected ',' or ')' but found 'x' at line 1, column 40");
    expect(conditionMessage(r.error, 'fr')).toBe("',' ou ')' attendu, mais 'x' trouvé à la ligne 1, colonne 40");
  });

  test('every message has an English and a French text', () => {
    const ids = ['unterminatedText', 'unexpectedAfterNumber', 'unexpectedCharacter', 'tooLong', 'tooDeep', 'empty', 'expectedValue', 'expectedNumberAfterMinus', 'expectedFieldName', 'expectedClosing', 'expectedOperatorOrEnd', 'expectedDot', 'unknownFunction', 'wrongArity', 'unknownName'] as const;
    for (const id of ids) {
      const en = conditionReason(id, { found: 'x', char: 'x', max: 1, name: 'x', known: 'x', expected: 1, got: 2, roots: 'x' }, 'en');
      const fr = conditionReason(id, { found: 'x', char: 'x', max: 1, name: 'x', known: 'x', expected: 1, got: 2, roots: 'x' }, 'fr');
      expect(en).not.toBe('');
      expect(fr).not.toBe(en);
    }
  });
});
