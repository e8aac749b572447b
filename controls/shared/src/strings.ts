// Every string a person reads comes from the control's .resx through
// context.resources.getString. A missing key shows the key itself, which is loud in
// screenshots and tests rather than silently blank.
export type Translate = (key: string, ...args: (string | number)[]) => string;

export function makeTranslate(resources: Pick<ComponentFramework.Resources, 'getString'>): Translate {
  const cache = new Map<string, string>();
  return (key, ...args) => {
    let template = cache.get(key);
    if (template === undefined) {
      template = resources.getString(key) || key;
      cache.set(key, template);
    }
    return args.length === 0 ? template : template.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : whole));
  };
}
