import { refusalText } from './refusal';

describe('what the agent reads when a write is refused', () => {
  test('a guard step\'s refusal is shown as Dataverse wrote it, in the agent\'s language', () => {
    const refused = Object.assign(new Error('Seul l\'agent principal de cette conversation (Bruno Petit) peut la transférer.'), { errorCode: 0x80040265 });
    expect(refusalText(refused, 'fallback')).toBe('Seul l\'agent principal de cette conversation (Bruno Petit) peut la transférer.');
  });

  test('a Web API error carrying only the hexadecimal code counts as Dataverse\'s too', () => {
    expect(refusalText({ code: '0x80040220', message: 'Principal user is missing prvWriteswb_conversation privilege.' }, 'fallback')).toBe('Principal user is missing prvWriteswb_conversation privilege.');
  });

  test('a network failure or a fault of our own has no message for people: the control\'s sentence stands in', () => {
    expect(refusalText(new TypeError('Failed to fetch'), 'Not sent; try again.')).toBe('Not sent; try again.');
    expect(refusalText(undefined, 'Not sent; try again.')).toBe('Not sent; try again.');
    expect(refusalText({ errorCode: 0x80040265, message: '   ' }, 'Not sent; try again.')).toBe('Not sent; try again.');
  });

  test('a privilege refusal, written for administrators, comes after the control\'s own sentence', () => {
    const denied = { errorCode: 0x80040220, message: 'Principal user (Id=5eed…) does not have WriteAccess right(s) for record with Id = 0422… of entity swb_conversation.' };
    expect(refusalText(denied, 'fallback', 'You can no longer change this conversation.')).toBe(`You can no longer change this conversation. ${denied.message}`);
    // A guard step's refusal is already written for the agent: nothing is put before it.
    expect(refusalText({ errorCode: 0x80040265, message: 'Only the primary agent can end it.' }, 'fallback', 'You can no longer change this conversation.')).toBe('Only the primary agent can end it.');
  });

  test('a very long message is cut so it cannot push the pane off the screen', () => {
    const text = refusalText({ errorCode: 1, message: 'x'.repeat(1000) }, 'fallback');
    expect(text.length).toBe(400);
    expect(text.endsWith('…')).toBe(true);
  });
});
