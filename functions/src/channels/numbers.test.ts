import fc from 'fast-check';
import { fromProviderDigits, isShortCode, toProviderDigits } from './numbers';

describe('provider number formats', () => {
  it('TeleSign/ACS bare international digits gain a "+"', () => {
    expect(fromProviderDigits('11234567890')).toBe('+11234567890');
    expect(fromProviderDigits('33612345678')).toBe('+33612345678');
  });

  it('short codes and alphanumeric sender ids are never touched', () => {
    expect(fromProviderDigits('4442')).toBe('4442');
    expect(fromProviderDigits('12345')).toBe('12345');
    expect(fromProviderDigits('CONTOSO')).toBe('CONTOSO');
    expect(toProviderDigits('CONTOSO')).toBe('CONTOSO');
    expect(isShortCode('12345')).toBe(true);
    expect(isShortCode('+12345678901')).toBe(false);
  });

  it('E.164 with a "+" is kept, and formatting is dropped on the way to TeleSign', () => {
    expect(fromProviderDigits('+15555555555')).toBe('+15555555555');
    expect(toProviderDigits('+1 (555) 555-5555')).toBe('15555555555');
    expect(toProviderDigits('+33 6 12 34 56 78')).toBe('33612345678');
  });

  it('E.164 numbers survive the round trip through TeleSign\'s format', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{7,14}$/), (digits) => {
        const e164 = `+${digits}`;
        expect(fromProviderDigits(toProviderDigits(e164))).toBe(e164);
      }),
      { numRuns: 200 },
    );
  });
});
