// GET /api/chat/widget.js — the widget's built script (widget/dist/widget.js), which the build
// copies next to dist/main.js. Read once and kept in memory with a strong ETag, so a page load
// costs one 304 most of the time.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../hosting/errors';
import type { InvocationContext } from '@azure/functions';
import type { ApiRequest, HttpResult } from '../hosting/http';

export interface WidgetScriptService {
  script(request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
}

export function widgetScriptCandidates(explicit: string | undefined, here: string = __dirname): string[] {
  if (explicit) return [explicit];
  // Deployed: next to the bundle. From source (dev host, tests): the widget workspace's build.
  return [path.join(here, 'widget.js'), path.resolve(here, '..', '..', '..', 'widget', 'dist', 'widget.js'), path.resolve(here, '..', '..', 'widget', 'dist', 'widget.js')];
}

export class FileWidgetScriptService implements WidgetScriptService {
  private loaded: { text: string; etag: string } | null = null;
  constructor(private readonly candidates: readonly string[]) {}

  private load(): { text: string; etag: string } {
    if (this.loaded) return this.loaded;
    const file = this.candidates.find((c) => fs.existsSync(c));
    if (!file) throw new ConfigError([`widget.js not found (looked in ${this.candidates.join(', ')}); build the widget or set WIDGET_SCRIPT_PATH`]);
    const text = fs.readFileSync(file, 'utf8');
    this.loaded = { text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
    return this.loaded;
  }

  async script(request: ApiRequest): Promise<HttpResult> {
    const { text, etag } = this.load();
    const headers = {
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      etag,
      // Any page may embed the script; it carries no data.
      'access-control-allow-origin': '*',
    };
    if (request.headers['if-none-match'] === etag) return { status: 304, headers };
    return { status: 200, headers, body: text };
  }
}
