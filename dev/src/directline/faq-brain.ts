// The FAQ bots' whole understanding of the customer, shared by the Direct Line FAQ bot and the
// webhook bot so both stand-ins behave alike: pure functions of (state, text, locale) → what to
// say and whether to hand off or end. No I/O, no clock; each bot wraps the result in its own
// protocol (Direct Line activities, or Switchboard webhook callbacks).
//
// Matching works on text folded to lower case without diacritics, so "Parler à quelqu'un",
// "parler a quelqu’un" and "PARLER A QUELQU'UN" are the same request.

export type Language = 'en' | 'fr';
export type Subject = 'billing' | 'orders';
/** Topic names as they appear in the hand-off's `va_Topics` / `va_LastTopic`. */
export type TopicName = 'greeting' | 'opening-hours' | Subject | 'escalate' | 'goodbye' | 'fallback';

export interface BrainState {
  greeted: boolean;
  /** The bot asked "anything else?": a bare "no" now ends the conversation. */
  awaitingMore: boolean;
  handedOff: boolean;
  ended: boolean;
  /** Language of the last turn; breaks ties when a message says too little to tell. */
  language?: Language;
  /** What the customer's problem is about, once they said so. */
  subject?: Subject;
  /** Every topic triggered, in order, without repeats (Copilot Studio's `va_Topics`). */
  topics: TopicName[];
  /** Every customer utterance, in order (Copilot Studio's `va_Phrases`). */
  phrases: string[];
}

export interface Handoff {
  subject?: Subject;
  /** Routing context: `{ topic: 'billing' }` when the subject is known, else empty. */
  context: Record<string, string>;
  /** A note for the person who takes over (English: agents share one desk language). */
  agentMessage: string;
  /** The topic that led to the hand-off: the subject if known, else the last topic before it. */
  lastTopic: TopicName;
  /** The utterance that asked for a person. */
  lastPhrase: string;
}

export interface BrainTurn {
  language: Language;
  topic: TopicName;
  /** Messages for the customer, in order. */
  say: string[];
  handoff?: Handoff;
  end?: boolean;
}

export interface BrainStrings {
  greeting: string;
  howCanIHelp: string;
  hours: string;
  anythingElse: string;
  whatElse: string;
  subject: Record<Subject, string>;
  handoff: string;
  handoffAbout: Record<Subject, string>;
  fallback: string;
  welcome: string;
  goodbye: string;
}

export const STRINGS: Record<Language, BrainStrings> = {
  en: {
    greeting: "Hello! I'm the Switchboard assistant. I can tell you our opening hours, or put you through to a person: just type \"agent\".",
    howCanIHelp: 'Hello again! How can I help?',
    hours: "We're open Monday to Friday from 9 am to 6 pm, and on Saturday from 10 am to 4 pm (Paris time). We're closed on Sundays and public holidays.",
    anythingElse: 'Is there anything else I can help you with?',
    whatElse: 'Sure, what else can I help you with?',
    subject: {
      billing: 'A person is best placed to help with billing questions. Type "agent" and I\'ll put you through.',
      orders: 'A person can look up your order and its delivery. Type "agent" and I\'ll put you through.',
    },
    handoff: "I'm putting you through to a person. Someone will be with you shortly.",
    handoffAbout: {
      billing: "I'm putting you through to a person who can help with your bill. Someone will be with you shortly.",
      orders: "I'm putting you through to a person who can help with your order. Someone will be with you shortly.",
    },
    fallback: 'Sorry, for now I can only tell you our opening hours. Type "agent" to talk to a person.',
    welcome: "You're welcome! Is there anything else I can help you with?",
    goodbye: 'Thank you for contacting us. Goodbye!',
  },
  fr: {
    greeting: 'Bonjour ! Je suis l\'assistant Switchboard. Je peux vous donner nos horaires d\'ouverture, ou vous mettre en relation avec un conseiller : tapez simplement « conseiller ».',
    howCanIHelp: 'Re-bonjour ! Que puis-je faire pour vous ?',
    hours: 'Nous sommes ouverts du lundi au vendredi de 9 h à 18 h, et le samedi de 10 h à 16 h (heure de Paris). Nous sommes fermés le dimanche et les jours fériés.',
    anythingElse: 'Puis-je vous aider pour autre chose ?',
    whatElse: 'Bien sûr, que puis-je faire d\'autre pour vous ?',
    subject: {
      billing: 'Un conseiller est le mieux placé pour les questions de facturation. Tapez « conseiller » et je vous mets en relation.',
      orders: 'Un conseiller peut retrouver votre commande et sa livraison. Tapez « conseiller » et je vous mets en relation.',
    },
    handoff: 'Je vous mets en relation avec un conseiller. Quelqu\'un va vous répondre dans un instant.',
    handoffAbout: {
      billing: 'Je vous mets en relation avec un conseiller qui pourra vous aider pour votre facture. Quelqu\'un va vous répondre dans un instant.',
      orders: 'Je vous mets en relation avec un conseiller qui pourra vous aider pour votre commande. Quelqu\'un va vous répondre dans un instant.',
    },
    fallback: 'Désolé, pour l\'instant je ne peux vous donner que nos horaires d\'ouverture. Tapez « conseiller » pour parler à une personne.',
    welcome: 'Je vous en prie ! Puis-je vous aider pour autre chose ?',
    goodbye: 'Merci de nous avoir contactés. Au revoir !',
  },
};

export function newBrainState(): BrainState {
  return { greeted: false, awaitingMore: false, handedOff: false, ended: false, topics: [], phrases: [] };
}

/** Lower case, no diacritics, typographic apostrophes made plain, spaces collapsed. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2019\u2018`´]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const FRENCH_WORDS = new Set([
  'bonjour', 'bonsoir', 'salut', 'merci', 'oui', 'non', 'je', 'j', 'vous', 'votre', 'vos', 'est', 'sont', 'quel', 'quels', 'quelle',
  'quelles', 'quand', 'horaire', 'horaires', 'heures', 'ouvert', 'ouverts', 'ouverte', 'ouverture', 'ferme', 'fermes', 'fermez', 'facture',
  'factures', 'facturation', 'paiement', 'commande', 'commandes', 'livraison', 'colis', 'conseiller', 'conseillere', 'humain', 'parler',
  'quelqu', 'un', 'une', 'le', 'la', 'les', 'des', 'du', 'au', 'avec', 'pour', 'mon', 'ma', 'mes', 'ai', 'suis', 'pas', 'c', 'aide',
  'besoin', 'voudrais', 'veux', 'puis', 'etes', 'rien', 'tout', 'personne', 'ou', 'et', 'avez',
]);
const ENGLISH_WORDS = new Set([
  'hello', 'hi', 'hey', 'thanks', 'thank', 'yes', 'no', 'nope', 'i', 'you', 'your', 'what', 'when', 'are', 'is', 'the', 'open', 'opening',
  'hours', 'closed', 'bill', 'billing', 'invoice', 'payment', 'order', 'orders', 'delivery', 'human', 'person', 'talk', 'speak', 'to', 'my',
  'need', 'help', 'please', 'want', 'can', 'do', 'with', 'about', 'someone', 'nothing', 'that', 's', 'all', 'a', 'an', 'it', 'me',
]);

/**
 * The customer's language: the words of the message first (a French sentence typed in a browser
 * set to en-US is French), then the activity's locale, then the conversation's last language.
 */
export function detectLanguage(text: string, locale?: string, previous?: Language): Language {
  let score = 0;
  for (const word of fold(text).split(/[^a-z]+/)) {
    if (FRENCH_WORDS.has(word)) score++;
    if (ENGLISH_WORDS.has(word)) score--;
  }
  if (score > 0) return 'fr';
  if (score < 0) return 'en';
  if (locale) return /^fr\b/i.test(locale) ? 'fr' : 'en';
  return previous ?? 'en';
}

const ASKS_FOR_PERSON = [
  /\b(agents?|humans?|person|people|someone|somebody|representatives?|operators?)\b/,
  /\b(conseill(er|ere)s?|humains?|une personne)\b/,
  /\bparler a (quelqu'un|quelqu un|une personne|un humain)\b/,
];
const ASKS_HOURS = [/\b(hours?|opening|open|closed?|closing)\b/, /\b(horaires?|heures? d'ouverture|ouverts?|ouverture|fermes?|fermez|fermeture)\b/];
const GREETS = /^(hi|hello|hey|good (morning|afternoon|evening)|bonjour|bonsoir|salut|coucou)\b/;
// Only read right after "anything else?", and after hours, subjects and hand-off requests were
// looked for, so "no, but when do you open?" still gets the hours.
const DECLINES = /^(no|nope|non|nothing|rien|that'?s all|that is all|c'est tout|merci,? c'est tout|bye|goodbye|au revoir)\b/;
const THANKS = /^(thanks?( you)?( very much)?|merci( beaucoup)?)[ .!]*$/;
const ACCEPTS = /^(yes|yeah|yep|sure|oui|ouais|volontiers)\b/;
const SUBJECTS: Array<[Subject, RegExp]> = [
  ['billing', /\b(bill|bills|billing|billed|invoices?|payments?|pay|paid|charged?|refunds?|factures?|facturation|facture|paiements?|payer|paye|prelevements?|rembourse\w*)\b/],
  ['orders', /\b(orders?|deliver(y|ies|ed)|shipping|shipped|parcels?|packages?|tracking|commandes?|livraisons?|colis|expedition|expedie)\b/],
];

export function detectSubject(text: string): Subject | undefined {
  const folded = fold(text);
  return SUBJECTS.find(([, pattern]) => pattern.test(folded))?.[0];
}

export function asksForPerson(text: string): boolean {
  const folded = fold(text);
  return ASKS_FOR_PERSON.some((p) => p.test(folded));
}

function remember(state: BrainState, topic: TopicName): void {
  if (!state.topics.includes(topic)) state.topics.push(topic);
}

/** The welcome, when the conversation opens (Direct Line's conversationUpdate, the webhook's conversation.opened). */
export function greet(state: BrainState, locale?: string): BrainTurn {
  const language = locale ? detectLanguage('', locale) : state.language ?? 'en';
  state.language = language;
  state.greeted = true;
  remember(state, 'greeting');
  return { language, topic: 'greeting', say: [STRINGS[language].greeting] };
}

/** One customer message → what the bot answers. The state is the bot's memory of this conversation. */
export function respond(state: BrainState, text: string, locale?: string): BrainTurn {
  const language = detectLanguage(text, locale, state.language);
  state.language = language;
  const s = STRINGS[language];
  const folded = fold(text);
  state.phrases.push(text);
  const say: string[] = [];
  const firstContact = !state.greeted;
  if (firstContact) {
    state.greeted = true;
    remember(state, 'greeting');
    say.push(s.greeting);
  }
  const subject = detectSubject(text);
  if (subject) state.subject = subject;
  const awaitingMore = state.awaitingMore;
  state.awaitingMore = false;

  if (asksForPerson(text)) {
    remember(state, 'escalate');
    state.handedOff = true;
    const about = state.subject;
    const lastTopic: TopicName = about ?? [...state.topics].reverse().find((t) => t !== 'escalate' && t !== 'greeting') ?? 'escalate';
    say.push(about ? s.handoffAbout[about] : s.handoff);
    return {
      language,
      topic: 'escalate',
      say,
      handoff: {
        subject: about,
        context: about ? { topic: about } : {},
        agentMessage: about ? `The customer asks for a person about ${about}` : 'The customer asks for a person',
        lastTopic,
        lastPhrase: text,
      },
    };
  }
  if (ASKS_HOURS.some((p) => p.test(folded))) {
    remember(state, 'opening-hours');
    state.awaitingMore = true;
    say.push(s.hours, s.anythingElse);
    return { language, topic: 'opening-hours', say };
  }
  if (subject) {
    remember(state, subject);
    say.push(s.subject[subject]);
    return { language, topic: subject, say };
  }
  if (awaitingMore && (DECLINES.test(folded) || THANKS.test(folded))) {
    remember(state, 'goodbye');
    state.ended = true;
    say.push(s.goodbye);
    return { language, topic: 'goodbye', say, end: true };
  }
  if (THANKS.test(folded)) {
    state.awaitingMore = true;
    say.push(s.welcome);
    return { language, topic: 'greeting', say };
  }
  if (awaitingMore && ACCEPTS.test(folded)) {
    say.push(s.whatElse);
    return { language, topic: 'greeting', say };
  }
  if (GREETS.test(folded)) {
    if (!firstContact) say.push(s.howCanIHelp);
    return { language, topic: 'greeting', say };
  }
  remember(state, 'fallback');
  say.push(s.fallback);
  return { language, topic: 'fallback', say };
}
