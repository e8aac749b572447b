import { type CustomerRecord, identifyByPhone, identifyByPreChat } from './customer-identification';
import { normalizePhoneNumber, samePhoneNumber } from './phone-number';

describe('phone numbers', () => {
  test('national formats are normalised to E.164 with the default region', () => {
    expect(normalizePhoneNumber('(514) 555-0123', { defaultRegion: 'CA' })).toEqual({ ok: true, value: '+15145550123' });
    expect(normalizePhoneNumber('06 12 34 56 78', { defaultRegion: 'fr' })).toEqual({ ok: true, value: '+33612345678' });
    expect(normalizePhoneNumber('0044 7911 123456')).toEqual({ ok: true, value: '+447911123456' });
    expect(normalizePhoneNumber('tel:+1-202-555-0100')).toEqual({ ok: true, value: '+12025550100' });
  });

  test('an unusable number gives a coded error that says why', () => {
    expect(normalizePhoneNumber('  ')).toMatchObject({ ok: false, error: { code: 'phone.empty' } });
    expect(normalizePhoneNumber('hello')).toMatchObject({ ok: false, error: { code: 'phone.notANumber', message: "'hello' is not a phone number" } });
    expect(normalizePhoneNumber('5145550123')).toMatchObject({ ok: false, error: { code: 'phone.invalidCountry' } });
    expect(normalizePhoneNumber('12', { defaultRegion: 'US' })).toMatchObject({ ok: false });
  });

  test('two spellings of the same number are the same number', () => {
    expect(samePhoneNumber('+1 514 555 0123', '514.555.0123', { defaultRegion: 'CA' })).toBe(true);
    expect(samePhoneNumber('+1 514 555 0123', '+1 514 555 0124')).toBe(false);
    expect(samePhoneNumber(null, '+15145550123')).toBe(false);
  });
});

const contact = (id: string, fields: Record<string, unknown>): CustomerRecord => ({ entity: 'contact', id, fields });
const account = (id: string, fields: Record<string, unknown>): CustomerRecord => ({ entity: 'account', id, fields });

describe('customer identification by phone', () => {
  test("a sender matches a contact's mobile phone whatever its stored format", () => {
    const r = identifyByPhone('+15145550123', [contact('c1', { mobilephone: '(514) 555-0123' }), contact('c2', { mobilephone: '+15145550199' })], { defaultRegion: 'CA' });
    expect(r).toEqual({ kind: 'matched', record: contact('c1', { mobilephone: '(514) 555-0123' }) });
  });

  test("an account matches on telephone1, not on a contact's column name", () => {
    const r = identifyByPhone('+15145550123', [account('a1', { telephone1: '+1 514 555 0123' }), account('a2', { mobilephone: '+15145550123' })]);
    expect(r).toMatchObject({ kind: 'matched', record: { id: 'a1' } });
  });

  test('two records with the number are ambiguous', () => {
    const r = identifyByPhone('+15145550123', [contact('c1', { mobilephone: '+15145550123' }), account('a1', { telephone1: '+15145550123' })]);
    expect(r).toMatchObject({ kind: 'ambiguous', records: [{ id: 'c1' }, { id: 'a1' }] });
  });

  test('no record, or an invalid sender number, gives none with a reason', () => {
    expect(identifyByPhone('+15145550123', [])).toEqual({ kind: 'none', reason: 'noMatch' });
    expect(identifyByPhone('abc', [contact('c1', { mobilephone: 'abc' })])).toMatchObject({ kind: 'none', reason: 'invalidPhone' });
  });
});

describe('customer identification by pre-chat answers', () => {
  const people = [
    contact('c1', { fullname: 'Zoé  Tremblay', emailaddress1: 'Zoe@Example.com', mobilephone: '514-555-0123' }),
    contact('c2', { fullname: 'Zoé Tremblay', emailaddress1: 'other@example.com', mobilephone: '+15145550199' }),
  ];

  test('every answer must match: text ignores case and extra spaces, phones compare in E.164', () => {
    const r = identifyByPreChat(
      [
        { field: 'fullname', value: ' zoé tremblay ', kind: 'text' },
        { field: 'mobilephone', value: '+1 (514) 555 0123', kind: 'phone' },
      ],
      people,
      { defaultRegion: 'CA' },
    );
    expect(r).toMatchObject({ kind: 'matched', record: { id: 'c1' } });
  });

  test('one answer matching is not enough when another does not', () => {
    const r = identifyByPreChat(
      [
        { field: 'fullname', value: 'Zoé Tremblay', kind: 'text' },
        { field: 'emailaddress1', value: 'nobody@example.com', kind: 'email' },
      ],
      people,
    );
    expect(r).toEqual({ kind: 'none', reason: 'noMatch' });
  });

  test('answers that fit several records are ambiguous', () => {
    expect(identifyByPreChat([{ field: 'fullname', value: 'zoé tremblay', kind: 'text' }], people)).toMatchObject({ kind: 'ambiguous' });
  });

  test('no answers identify nobody', () => {
    expect(identifyByPreChat([{ field: 'fullname', value: '  ', kind: 'text' }], people)).toEqual({ kind: 'none', reason: 'noAnswers' });
  });
});
