import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileWidgetScriptService } from './widget-script.service';

const request = (headers: Record<string, string> = {}) => ({ method: 'GET', url: 'http://h/api/chat/widget.js', params: {}, query: new URLSearchParams(), headers, body: undefined });

it('serves the built widget as JavaScript with a strong ETag, and 304 when the browser has it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-widget-'));
  const file = path.join(dir, 'widget.js');
  fs.writeFileSync(file, '(function(){/* widget */})();');
  const service = new FileWidgetScriptService([path.join(dir, 'missing.js'), file]);
  const first = await service.script(request());
  expect(first.status).toBe(200);
  expect(first.body).toBe('(function(){/* widget */})();');
  expect(first.headers).toMatchObject({ 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' });
  const again = await service.script(request({ 'if-none-match': first.headers!['etag']! }));
  expect(again.status).toBe(304);
  expect(again.body).toBeUndefined();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a missing build is a configuration error, not a silent empty script', async () => {
  await expect(new FileWidgetScriptService(['/nonexistent/widget.js']).script(request())).rejects.toThrow(/widget.js not found/);
});
