// The viewer's stylesheet and script live once, in media/ (the webview loads them as files).
// Exports embed them; this finds them next to the bundle (dist/../media) or the sources.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let dir: string | undefined;

export function mediaDir(): string {
  if (dir) return dir;
  let d = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'media', 'map.js'))) return (dir = join(d, 'media'));
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  throw new Error(`media/map.js not found above ${__dirname}`);
}

export function mapCss(): string {
  return readFileSync(join(mediaDir(), 'map.css'), 'utf8');
}

export function mapScript(): string {
  return readFileSync(join(mediaDir(), 'map.js'), 'utf8');
}
