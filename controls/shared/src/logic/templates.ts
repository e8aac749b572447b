// Which quick replies and templates an agent is offered: those of the conversation's channel (or
// of every channel), written in the agent's language or in no particular language. An English
// agent is not handed French templates, and a template without a locale suits everyone.

interface TemplateLike {
  swb_locale?: string | null;
  swb_channeltype?: number | null;
}

const LANGUAGE_OF_LCID: Record<string, string> = { '1033': 'en', '1036': 'fr' };

/** "fr-FR", "FR", "1036" → "fr"; '' for none. */
export function languageOf(locale: string | null | undefined): string {
  const tag = (locale ?? '').trim().toLowerCase();
  if (!tag) return '';
  return LANGUAGE_OF_LCID[tag] ?? tag.split(/[-_]/)[0] ?? '';
}

export function templatesFor<T extends TemplateLike>(templates: readonly T[], channelType: number | null | undefined, agentLocale: string): T[] {
  const mine = languageOf(agentLocale);
  return templates.filter((x) => {
    const channelOk = x.swb_channeltype == null || channelType == null || x.swb_channeltype === channelType;
    const language = languageOf(x.swb_locale);
    return channelOk && (language === '' || language === mine);
  });
}
