// Which conversation a control shows: the maker's `conversationId` property when set
// (custom pages, canvas), else the record of the hosting form. contextInfo is not in the
// public typings but model-driven forms provide it; it is read defensively.
export function recordIdOf(context: ComponentFramework.Context<unknown>, explicit: string | null | undefined): string | undefined {
  const fromProperty = explicit?.trim();
  if (fromProperty) return fromProperty.replace(/[{}]/g, '').toLowerCase();
  const info = (context.mode as unknown as { contextInfo?: { entityId?: string } }).contextInfo;
  const id = info?.entityId?.replace(/[{}]/g, '').toLowerCase();
  return id || undefined;
}

/** userSettings.userId arrives braced and upper-case: `{1234...}`. */
export function userIdOf(context: ComponentFramework.Context<unknown>): string {
  return context.userSettings.userId.replace(/[{}]/g, '').toLowerCase();
}
