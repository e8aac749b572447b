// Every word the :7072 workspace pages show, in English and French. The controls bring their
// own (.resx); these are the host's: the chrome a model-driven app would draw around them.
export type PageLanguage = 'en' | 'fr';

const en = {
  workspaceTitle: 'Switchboard — agent workspace',
  workspaceHeading: 'Switchboard agent workspace',
  home: 'home',
  widgetDemo: 'widget demo',
  phoneSimulator: 'phone simulator',
  language: 'Language',
  agent: 'Agent',
  paneTitle: 'Workspace of {name}',
  agentTitle: '{name} — Switchboard',
  workAs: 'Work as',
  inbox: 'Inbox',
  conversation: 'Conversation',
  noConversation: 'No conversation open. Accept an offer, or resume one from your inbox.',
  closeView: 'Close view',
  closeViewHelp: 'Closes this view only: the conversation stays open and waits for you under My open conversations.',
  controlMissing: 'The {name} control did not load (is controls/{name}/out built?)',
};

export type PageStrings = typeof en;

const fr: PageStrings = {
  workspaceTitle: 'Switchboard — espace de travail des agents',
  workspaceHeading: 'Espace de travail des agents Switchboard',
  home: 'accueil',
  widgetDemo: 'démo du widget',
  phoneSimulator: 'simulateur de téléphone',
  language: 'Langue',
  agent: 'Agent',
  paneTitle: 'Espace de travail — {name}',
  agentTitle: '{name} — Switchboard',
  workAs: 'Travailler en tant que',
  inbox: 'Boîte de réception',
  conversation: 'Conversation',
  noConversation: 'Aucune conversation ouverte. Acceptez une offre, ou reprenez-en une depuis votre boîte de réception.',
  closeView: 'Fermer la vue',
  closeViewHelp: 'Ferme seulement cette vue : la conversation reste ouverte et vous attend dans Mes conversations ouvertes.',
  controlMissing: "Le contrôle {name} n'a pas été chargé (controls/{name}/out est-il construit ?)",
};

export const PAGE_STRINGS: Readonly<Record<PageLanguage, PageStrings>> = { en, fr };

/** The languages a person can pick, each named in itself. */
export const LANGUAGE_NAMES: Readonly<Record<PageLanguage, string>> = { en: 'English', fr: 'Français' };

export const LANGUAGE_IDS: Readonly<Record<PageLanguage, number>> = { en: 1033, fr: 1036 };

/** `?lang=fr` → 'fr'; anything else → undefined (the agent's own language then applies). */
export function pageLanguageOf(param: string | null | undefined): PageLanguage | undefined {
  const tag = (param ?? '').trim().toLowerCase().split('-')[0];
  return tag === 'fr' || tag === 'en' ? tag : undefined;
}

export function languageOfId(languageId: number): PageLanguage {
  return languageId === 1036 ? 'fr' : 'en';
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
