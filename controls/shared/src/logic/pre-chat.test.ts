import { customerLabel } from './customer';
import { localisedText, nameFromAnswers, parsePreChatQuestions } from './pre-chat';

const F = '@OData.Community.Display.V1.FormattedValue';

describe('pre-chat questions', () => {
  test('admin text is picked for the agent\'s language by tag or LCID, falling back to English, then to anything', () => {
    expect(localisedText({ 1033: 'First name', 1036: 'Prénom' } as unknown as Record<string, string>, 'fr-FR')).toBe('Prénom');
    expect(localisedText({ en: 'Topic', fr: 'Sujet' }, 'fr')).toBe('Sujet');
    expect(localisedText({ en: 'Topic' }, 'de-DE')).toBe('Topic');
    expect(localisedText({ es: 'Tema' }, 'fr')).toBe('Tema');
    expect(localisedText('Order number', 'fr')).toBe('Order number');
  });

  test('a malformed definition reads as no questions, and malformed entries are skipped', () => {
    expect(parsePreChatQuestions('{oops')).toEqual([]);
    expect(parsePreChatQuestions(JSON.stringify([{ label: 'no id' }, { id: 'email', contactField: 'emailaddress1' }]))).toEqual([{ id: 'email', contactField: 'emailaddress1' }]);
  });

  test('the name comes from the answers mapped to name columns, first and last joined', () => {
    const questions = [
      { id: 'q1', contactField: 'firstname' },
      { id: 'q2', contactField: 'lastname' },
    ];
    expect(nameFromAnswers({ q1: 'Camille', q2: 'Bernard', q3: 'x' }, questions)).toBe('Camille Bernard');
    // Without a definition the usual ids are read.
    expect(nameFromAnswers({ firstname: 'Camille', email: 'c@example.com' }, [])).toBe('Camille');
    expect(nameFromAnswers({ name: 'Ana Ruiz', firstname: 'Ana' }, [])).toBe('Ana Ruiz');
    expect(nameFromAnswers({ email: 'c@example.com' }, [])).toBe('');
  });
});

describe('who the customer is, in one line', () => {
  test('an identified contact or account by its record name', () => {
    expect(customerLabel({ _swb_customerid_value: 'c1', [`_swb_customerid_value${F}`]: 'Camille Bernard', swb_customername: 'Cam' })).toEqual({ name: 'Camille Bernard', source: 'record' });
  });

  test('else the name they gave: the conversation\'s customer name, then the pre-chat answers', () => {
    expect(customerLabel({ swb_customername: 'Sam' })).toEqual({ name: 'Sam', source: 'given' });
    expect(customerLabel({ swb_prechatanswers: JSON.stringify({ firstname: 'Camille' }) })).toEqual({ name: 'Camille', source: 'given' });
  });

  test('else their phone number, else nothing', () => {
    expect(customerLabel({ swb_customerphone: '+33611223344' })).toEqual({ name: '+33611223344', source: 'phone' });
    expect(customerLabel({})).toEqual({ name: '', source: 'none' });
  });
});
