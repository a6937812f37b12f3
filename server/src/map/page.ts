// The page structure around a drawing, shared by the exported HTML and the VS Code webview
// (media/map.js looks these elements up by id). No dependencies: the client bundles it.

export const TOOLBAR_HTML =
  '<div id="toolbar">' +
  '<button id="zoom-in" type="button" title="Zoom in (+)">+</button>' +
  '<button id="zoom-out" type="button" title="Zoom out (-)">&#8722;</button>' +
  '<button id="zoom-fit" type="button" title="Fit (f)">Fit</button>' +
  '<button id="zoom-reset" type="button" title="Actual size (0)">1:1</button>' +
  '<span id="summary"></span>' +
  '</div>';

export const INFO_HTML = '<div id="info">Drag to pan, Ctrl+wheel to zoom; hover or click an element for details.</div>';
