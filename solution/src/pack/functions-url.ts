// The functions app's address as an admin gives it (`--functions-url`), and the webhook URLs made
// from it. Endpoint URLs in steps.json start with `{functionsBaseUrl}`, which stands for the app's
// /api route prefix (DESIGN.md: POST /api/dataverse/{step}).

export const FUNCTIONS_BASE_URL_TOKEN = '{functionsBaseUrl}';

/**
 * `https://contoso-switchboard.azurewebsites.net` (or `…/api`) → `https://contoso-switchboard.azurewebsites.net/api`.
 * Webhooks carry their key in the query string (`?code=`), so anything but https would expose it;
 * plain http is allowed for a functions host on this machine only.
 */
export function functionsApiBase(url: string, option = '--functions-url'): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${option} '${url}' is not an absolute URL; give the functions app's address, e.g. https://contoso-switchboard.azurewebsites.net`);
  }
  const local = u.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(u.hostname);
  if (u.protocol !== 'https:' && !local) throw new Error(`${option} '${url}' must use https: Dataverse sends the webhook key in the URL`);
  if (u.search || u.hash || u.username || u.password) throw new Error(`${option} '${url}' must be the app's address only, without query, fragment or credentials (the webhook key is set by npm run configure)`);
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.origin}${path.endsWith('/api') ? path : `${path}/api`}`;
}

/** An endpoint URL from steps.json with its `{functionsBaseUrl}` filled in; other URLs are kept as written. */
export function endpointUrl(template: string, apiBase: string): string {
  return template.startsWith(FUNCTIONS_BASE_URL_TOKEN) ? apiBase + template.slice(FUNCTIONS_BASE_URL_TOKEN.length) : template;
}
