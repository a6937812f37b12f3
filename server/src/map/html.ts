// A single self-contained HTML file: the SVG, the stylesheet and the viewer script embedded,
// nothing fetched. A Content-Security-Policy with hashes allows exactly those two blocks.
import { createHash } from 'node:crypto';
import { mapCss, mapScript } from './assets';
import { escapeXml as esc } from './format';
import { mapToJson } from './json';
import { INFO_HTML, TOOLBAR_HTML } from './page';
import { renderSvg } from './svg';
import type { MemoryMap } from './types';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function renderHtml(map: MemoryMap): string {
  const css = mapCss();
  const js = mapScript();
  const data = JSON.stringify(mapToJson(map)).replace(/</g, '\\u003c');
  const csp = `default-src 'none'; style-src ${sha(css)}; script-src ${sha(js)}; img-src data:`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(map.title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    TOOLBAR_HTML,
    `<div id="viewport">${renderSvg(map)}</div>`,
    INFO_HTML,
    `<script type="application/json" id="jh-map-data">${data}</script>`,
    `<script>${js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
