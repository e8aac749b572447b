import { deliveryFailureOf } from './delivery-failure';

describe('why a text was not delivered', () => {
  it('a customer who sent STOP is said in the agent\'s words, not the provider\'s', () => {
    expect(deliveryFailureOf('recipient-opted-out: The recipient has opted out of texts on this channel (STOP).')).toEqual({ key: 'Delivery_FailedOptedOut' });
  });

  it('another failure shows its stored message without the code; a message with no code shows whole; nothing stored says nothing', () => {
    expect(deliveryFailureOf('provider-rejected: 30003 Unreachable destination handset')).toEqual({ text: '30003 Unreachable destination handset' });
    expect(deliveryFailureOf('The conversation has no SMS channel or customer number.')).toEqual({ text: 'The conversation has no SMS channel or customer number.' });
    expect(deliveryFailureOf(null)).toBeNull();
    expect(deliveryFailureOf('  ')).toBeNull();
  });
});
