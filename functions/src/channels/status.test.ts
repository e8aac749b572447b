import fc from 'fast-check';
import type { DeliveryStatus } from './channel';
import { publicUrlFor, shouldApplyStatus } from './status';

const statuses: DeliveryStatus[] = ['queued', 'sent', 'delivered', 'failed'];

describe('delivery status ordering', () => {
  it('a late "sent" never overwrites "delivered"', () => {
    expect(shouldApplyStatus('delivered', 'sent')).toBe(false);
  });

  it('a duplicate "failed" after "delivered" does not undo the final answer', () => {
    expect(shouldApplyStatus('delivered', 'failed')).toBe(false);
  });

  it('moves forward from queued to sent to delivered, and from sent to failed', () => {
    expect(shouldApplyStatus(undefined, 'queued')).toBe(true);
    expect(shouldApplyStatus('queued', 'sent')).toBe(true);
    expect(shouldApplyStatus('sent', 'delivered')).toBe(true);
    expect(shouldApplyStatus('sent', 'failed')).toBe(true);
    expect(shouldApplyStatus('sent', 'sent')).toBe(false);
  });

  it('whatever order callbacks arrive in, once a final status is stored it stays', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...statuses), { minLength: 1, maxLength: 12 }), (arrivals) => {
        let stored: DeliveryStatus | undefined;
        let firstFinal: DeliveryStatus | undefined;
        for (const next of arrivals) {
          if (shouldApplyStatus(stored, next)) stored = next;
          if (firstFinal === undefined && (stored === 'delivered' || stored === 'failed')) firstFinal = stored;
        }
        if (firstFinal !== undefined) expect(stored).toBe(firstFinal);
      }),
      { numRuns: 200 },
    );
  });
});

describe('public URL for signature checks', () => {
  it('replaces the internal host with the configured public base, keeping path and query', () => {
    expect(publicUrlFor('https://sb.contoso.com/', 'http://localhost:7071/api/sms/twilio/c1/status?x=1&y=2')).toBe('https://sb.contoso.com/api/sms/twilio/c1/status?x=1&y=2');
    expect(publicUrlFor('https://sb.contoso.com', '/api/sms/twilio/c1')).toBe('https://sb.contoso.com/api/sms/twilio/c1');
  });
});
