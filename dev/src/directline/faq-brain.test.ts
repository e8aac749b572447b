import { asksForPerson, detectLanguage, detectSubject, fold, greet, newBrainState, respond, STRINGS } from './faq-brain';

describe('FAQ brain', () => {
  it.each([
    ['What are your opening hours?', undefined, undefined, 'en'],
    ['Quels sont vos horaires ?', 'en-US', undefined, 'fr'],
    ["Je voudrais parler à quelqu'un", undefined, undefined, 'fr'],
    ['Is my order delivered?', 'fr-FR', undefined, 'en'],
    ['ok', 'fr-FR', undefined, 'fr'],
    ['ok', undefined, 'fr', 'fr'],
    ['ok', undefined, undefined, 'en'],
    ['conseiller', undefined, undefined, 'fr'],
  ] as const)('reads %j (locale %s, before: %s) as %s: the words first, then the locale, then the conversation so far', (text, locale, previous, expected) => {
    expect(detectLanguage(text, locale, previous)).toBe(expected);
  });

  it.each(['agent', 'I want a human', 'can I talk to a person', 'one of your agents please', 'conseiller', 'un humain svp', "parler à quelqu'un", 'Parler a quelqu’un', 'PARLER À QUELQU’UN'])(
    'hears %j as asking for a person',
    (text) => expect(asksForPerson(text)).toBe(true),
  );

  it.each(['What are your opening hours?', 'my agenda', 'humanity', 'bonjour'])('does not hear %j as asking for a person', (text) => {
    expect(asksForPerson(text)).toBe(false);
  });

  it.each([
    ['My invoice is wrong', 'billing'],
    ['I was charged twice', 'billing'],
    ['Ma facture est fausse', 'billing'],
    ['paiement refusé', 'billing'],
    ['Where is my order?', 'orders'],
    ['Où en est ma commande ?', 'orders'],
    ['la livraison est en retard', 'orders'],
    ['hello', undefined],
  ] as const)('finds the subject of %j: %s', (text, subject) => {
    expect(detectSubject(text)).toBe(subject);
  });

  it('folds case, accents and typographic apostrophes', () => {
    expect(fold('  Parler À  QUELQU’UN ')).toBe("parler a quelqu'un");
  });

  it('greets once, answers hours with "anything else?", and a "no" then says goodbye and ends', () => {
    const state = newBrainState();
    const first = respond(state, 'What are your opening hours?');
    expect(first).toEqual({ language: 'en', topic: 'opening-hours', say: [STRINGS.en.greeting, STRINGS.en.hours, STRINGS.en.anythingElse] });
    expect(respond(state, 'No thanks')).toEqual({ language: 'en', topic: 'goodbye', say: [STRINGS.en.goodbye], end: true });
    expect(state).toMatchObject({ greeted: true, ended: true, topics: ['greeting', 'opening-hours', 'goodbye'], phrases: ['What are your opening hours?', 'No thanks'] });
  });

  it('a "no" nobody asked for is not a goodbye', () => {
    const state = newBrainState();
    greet(state, 'en-US');
    expect(respond(state, 'no')).toMatchObject({ topic: 'fallback', say: [STRINGS.en.fallback] });
    expect(state.ended).toBe(false);
  });

  it('remembers the subject and hands off with it: routing context, a note for the agent, the topic and phrase that led there', () => {
    const state = newBrainState();
    greet(state, 'en-US');
    expect(respond(state, 'I have a question about my invoice')).toMatchObject({ topic: 'billing', say: [STRINGS.en.subject.billing] });
    const turn = respond(state, 'Let me talk to an agent');
    expect(turn).toEqual({
      language: 'en',
      topic: 'escalate',
      say: [STRINGS.en.handoffAbout.billing],
      handoff: {
        subject: 'billing',
        context: { topic: 'billing' },
        agentMessage: 'The customer asks for a person about billing',
        lastTopic: 'billing',
        lastPhrase: 'Let me talk to an agent',
      },
    });
    expect(state).toMatchObject({ handedOff: true, topics: ['greeting', 'billing', 'escalate'] });
  });

  it('hands off in French without a subject: empty context, the last topic before it', () => {
    const state = newBrainState();
    respond(state, "Quelles sont vos heures d'ouverture ?");
    const turn = respond(state, 'Je veux parler à un conseiller');
    expect(turn).toMatchObject({
      language: 'fr',
      say: [STRINGS.fr.handoff],
      handoff: { context: {}, agentMessage: 'The customer asks for a person', lastTopic: 'opening-hours' },
    });
  });
});
