// Memory map viewer: zoom and pan over the SVG drawn by the language server / `jhcell map`,
// details of the element under the pointer, and (inside VS Code) click-to-reveal the source.
// Loaded as a file by the webview (no inline script there) and embedded in exported HTML.
(function () {
  'use strict';

  const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  const viewport = document.getElementById('viewport');
  const info = document.getElementById('info');
  const summary = document.getElementById('summary');
  if (!viewport) return;

  // The visible part of the drawing, in SVG user units; `scale` = screen px per unit.
  const saved = vscode && vscode.getState ? vscode.getState() : undefined;
  let view = saved && saved.view ? saved.view : { x: 0, y: 0, scale: 1 };
  let natural = { w: 0, h: 0 };
  let selected;
  let initialised = false;

  function svg() {
    return viewport.querySelector('svg.jh-map');
  }

  function apply() {
    const s = svg();
    if (!s) return;
    const vw = Math.max(viewport.clientWidth, 1);
    const vh = Math.max(viewport.clientHeight, 1);
    s.setAttribute('width', String(vw));
    s.setAttribute('height', String(vh));
    s.setAttribute('preserveAspectRatio', 'xMinYMin meet');
    s.setAttribute('viewBox', [view.x, view.y, vw / view.scale, vh / view.scale].map((n) => n.toFixed(2)).join(' '));
    viewport.dataset.scale = view.scale.toFixed(3);
    if (vscode) vscode.setState({ view });
  }

  function clampScale(s) {
    return Math.min(40, Math.max(0.05, s));
  }

  function zoomAt(factor, px, py) {
    const next = clampScale(view.scale * factor);
    // Keep the drawing point under (px, py) fixed on screen.
    const ux = view.x + px / view.scale;
    const uy = view.y + py / view.scale;
    view = { x: ux - px / next, y: uy - py / next, scale: next };
    apply();
  }

  function fit() {
    const vw = Math.max(viewport.clientWidth, 1);
    const vh = Math.max(viewport.clientHeight, 1);
    view = { x: 0, y: 0, scale: clampScale(Math.min(vw / natural.w, vh / natural.h, 1)) };
    apply();
  }

  // At open: the height fits (lanes stacked top to bottom, pan sideways along the address
  // axis), but never so small that labels drop below their 1:1 size, and never blown up past
  // OPEN_MAX when the drawing is short. Fitting the width instead shrinks a real system
  // (dozens of regions) to unreadable text.
  const OPEN_MIN = 1;
  const OPEN_MAX = 1.5;
  function opening() {
    const vh = Math.max(viewport.clientHeight, 1);
    return { x: 0, y: 0, scale: clampScale(Math.min(OPEN_MAX, Math.max(OPEN_MIN, vh / natural.h))) };
  }

  function actual() {
    view = { x: 0, y: 0, scale: 1 };
    apply();
  }

  function adopt() {
    const s = svg();
    if (!s) return;
    const vb = (s.getAttribute('viewBox') || '').split(/\s+/).map(Number);
    natural = { w: vb[2] || Number(s.getAttribute('width')) || 1, h: vb[3] || Number(s.getAttribute('height')) || 1 };
    s.dataset.naturalWidth = String(natural.w);
    s.dataset.naturalHeight = String(natural.h);
    if (selected) {
      const again = s.querySelector('[data-ref="' + selected + '"]');
      if (again) again.classList.add('selected');
    }
    if (!initialised) {
      initialised = true;
      if (!(saved && saved.view)) view = opening();
    }
    apply();
    updateSummary(s);
  }

  function updateSummary(s) {
    if (!summary) return;
    const errors = Number(s.dataset.errors || 0);
    const warnings = Number(s.dataset.warnings || 0);
    const total = Number(s.dataset.conflicts || 0);
    const parts = [];
    if (errors) parts.push(errors + (errors === 1 ? ' error' : ' errors'));
    if (warnings) parts.push(warnings + (warnings === 1 ? ' warning' : ' warnings'));
    if (total > errors + warnings) parts.push(total - errors - warnings + ' other');
    summary.textContent = '';
    const span = document.createElement('span');
    span.textContent = total ? (total === 1 ? '1 conflict: ' : total + ' conflicts: ') + parts.join(', ') : 'no conflicts';
    if (errors) span.className = 'bad';
    summary.appendChild(span);
  }

  function titleOf(el) {
    const t = el && el.querySelector(':scope > title');
    return t ? t.textContent : '';
  }

  function target(ev) {
    const el = ev.target instanceof Element ? ev.target : undefined;
    const hit = el ? el.closest('[data-conflict], [data-ref], .gap-g, .conflict-g') : undefined;
    // A region's labels sit in a layer of their own (above conflict marks): they stand for
    // their region, whose title has the details.
    if (hit && hit.classList.contains('rl')) {
      const s = svg();
      const region = s && s.querySelector('.region-g[data-ref="' + hit.getAttribute('data-ref') + '"]');
      if (region) return region;
    }
    return hit;
  }

  // Pan by dragging; a press that does not move is a click.
  let drag;
  viewport.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false, id: ev.pointerId };
  });
  viewport.addEventListener('pointermove', (ev) => {
    if (drag && drag.id === ev.pointerId) {
      const dx = ev.clientX - drag.x;
      const dy = ev.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) {
        drag.moved = true;
        viewport.classList.add('panning');
        viewport.setPointerCapture(ev.pointerId);
      }
      if (drag.moved) {
        view = { x: drag.vx - dx / view.scale, y: drag.vy - dy / view.scale, scale: view.scale };
        apply();
      }
      return;
    }
    const el = target(ev);
    if (info && el) info.textContent = titleOf(el);
  });
  function endDrag(ev) {
    if (!drag || drag.id !== ev.pointerId) return;
    const wasClick = !drag.moved;
    drag = undefined;
    viewport.classList.remove('panning');
    if (wasClick) click(ev);
  }
  viewport.addEventListener('pointerup', endDrag);
  viewport.addEventListener('pointercancel', () => {
    drag = undefined;
    viewport.classList.remove('panning');
  });

  function click(ev) {
    const el = target(ev);
    const s = svg();
    if (s) s.querySelectorAll('.selected').forEach((n) => n.classList.remove('selected'));
    if (!el) return;
    if (info) info.textContent = titleOf(el);
    const ref = el.getAttribute('data-ref');
    if (!ref) return;
    selected = ref;
    el.classList.add('selected');
    if (vscode) vscode.postMessage({ type: 'reveal', ref: ref });
  }

  viewport.addEventListener(
    'wheel',
    (ev) => {
      ev.preventDefault();
      const r = viewport.getBoundingClientRect();
      if (ev.ctrlKey || ev.metaKey) {
        zoomAt(Math.exp(-ev.deltaY * 0.0025), ev.clientX - r.left, ev.clientY - r.top);
      } else {
        const dx = ev.shiftKey ? ev.deltaY : ev.deltaX;
        const dy = ev.shiftKey ? 0 : ev.deltaY;
        view = { x: view.x + dx / view.scale, y: view.y + dy / view.scale, scale: view.scale };
        apply();
      }
    },
    { passive: false },
  );

  function centre(factor) {
    zoomAt(factor, viewport.clientWidth / 2, viewport.clientHeight / 2);
  }

  window.addEventListener('keydown', (ev) => {
    const step = 60 / view.scale;
    const keys = {
      '+': () => centre(1.25),
      '=': () => centre(1.25),
      '-': () => centre(0.8),
      '0': actual,
      f: fit,
      ArrowLeft: () => ((view.x -= step), apply()),
      ArrowRight: () => ((view.x += step), apply()),
      ArrowUp: () => ((view.y -= step), apply()),
      ArrowDown: () => ((view.y += step), apply()),
    };
    const act = keys[ev.key];
    if (act && !(ev.target instanceof HTMLInputElement)) {
      ev.preventDefault();
      act();
    }
  });

  const buttons = { 'zoom-in': () => centre(1.25), 'zoom-out': () => centre(0.8), 'zoom-fit': fit, 'zoom-reset': actual };
  Object.keys(buttons).forEach((id) => {
    const b = document.getElementById(id);
    if (b) b.addEventListener('click', buttons[id]);
  });

  window.addEventListener('resize', apply);

  // The extension sends a fresh drawing whenever the configuration changes.
  window.addEventListener('message', (ev) => {
    const msg = ev.data;
    if (!msg || msg.type !== 'update') return;
    if (typeof msg.svg === 'string') {
      viewport.innerHTML = msg.svg;
    } else {
      viewport.textContent = msg.error || 'No memory map available.';
    }
    if (msg.title) document.title = msg.title;
    adopt();
  });

  adopt();
  document.body.dataset.ready = '1';
  if (vscode) vscode.postMessage({ type: 'ready' });
})();
