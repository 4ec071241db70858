// The reader's enhancements: zoom and pan on the scan, stepping through matches (text and scan together),
// ← → between pages, copying a reference. Everything else works without this script.
(function () {
  'use strict';

  function typing(event) {
    var el = event.target;
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  // ---- Zoom and pan -------------------------------------------------------------------------------
  var viewport = document.getElementById('scan-viewport');
  var stage = document.getElementById('scan-stage');
  var zoom = { scale: 1, x: 0, y: 0 };
  var MAX_SCALE = 6;

  function clamp() {
    var vw = viewport.clientWidth, vh = viewport.clientHeight;
    var w = stage.offsetWidth * zoom.scale, h = stage.offsetHeight * zoom.scale;
    zoom.x = Math.min(0, Math.max(vw - w, zoom.x));
    zoom.y = Math.min(0, Math.max(vh - h, zoom.y));
  }

  function apply() {
    clamp();
    stage.style.transform = 'translate(' + zoom.x + 'px, ' + zoom.y + 'px) scale(' + zoom.scale + ')';
    viewport.classList.toggle('zoomed', zoom.scale > 1);
  }

  /** Zoom to `scale`, keeping the point (px, py) of the viewport where it is. */
  function zoomTo(scale, px, py) {
    scale = Math.min(MAX_SCALE, Math.max(1, scale));
    if (px === undefined) { px = viewport.clientWidth / 2; py = viewport.clientHeight / 2; }
    zoom.x = px - (px - zoom.x) * (scale / zoom.scale);
    zoom.y = py - (py - zoom.y) * (scale / zoom.scale);
    zoom.scale = scale;
    apply();
  }

  /** Bring an element of the stage (a hit box) to the middle of the viewport. */
  function centre(el) {
    if (!viewport || zoom.scale <= 1) return;
    var box = el.getBoundingClientRect(), port = viewport.getBoundingClientRect();
    zoom.x += port.left + port.width / 2 - (box.left + box.width / 2);
    zoom.y += port.top + port.height / 2 - (box.top + box.height / 2);
    apply();
  }

  if (viewport && stage) {
    var tools = document.getElementById('scan-tools');
    tools.hidden = false;
    tools.addEventListener('click', function (event) {
      var action = event.target.getAttribute('data-zoom');
      if (action === 'in') zoomTo(zoom.scale * 1.5);
      else if (action === 'out') zoomTo(zoom.scale / 1.5);
      else if (action === 'reset') { zoom = { scale: 1, x: 0, y: 0 }; apply(); }
    });
    viewport.addEventListener('wheel', function (event) {
      // A plain wheel scrolls the page; with Ctrl (or a pinch on a touchpad) it zooms the scan.
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      var port = viewport.getBoundingClientRect();
      zoomTo(zoom.scale * (event.deltaY < 0 ? 1.25 : 0.8), event.clientX - port.left, event.clientY - port.top);
    }, { passive: false });
    viewport.addEventListener('dblclick', function (event) {
      var port = viewport.getBoundingClientRect();
      zoomTo(zoom.scale * 2, event.clientX - port.left, event.clientY - port.top);
    });
    var drag = null;
    viewport.addEventListener('pointerdown', function (event) {
      if (zoom.scale <= 1) return;
      drag = { id: event.pointerId, x: event.clientX - zoom.x, y: event.clientY - zoom.y };
      viewport.setPointerCapture(event.pointerId);
      viewport.classList.add('dragging');
    });
    viewport.addEventListener('pointermove', function (event) {
      if (!drag || drag.id !== event.pointerId) return;
      zoom.x = event.clientX - drag.x;
      zoom.y = event.clientY - drag.y;
      apply();
    });
    function endDrag() { drag = null; viewport.classList.remove('dragging'); }
    viewport.addEventListener('pointerup', endDrag);
    viewport.addEventListener('pointercancel', endDrag);
    window.addEventListener('resize', apply);
  }

  // ---- Matches: text and scan together --------------------------------------------------------------
  var marks = Array.prototype.slice.call(document.querySelectorAll('.page-text mark'));
  var hits = Array.prototype.slice.call(document.querySelectorAll('.scan-hits .scan-hit'));
  var current = -1;
  var nextLink = document.getElementById('match-next');
  var prevLink = document.getElementById('match-prev');
  var total = Math.max(marks.length, hits.length);

  function show(index) {
    if (total === 0) return;
    current = (index + total) % total;
    marks.forEach(function (m, i) { m.classList.toggle('active', i === current); });
    hits.forEach(function (h, i) { h.classList.toggle('active', i === current); });
    var mark = marks[current], hit = hits[current];
    if (hit) centre(hit);
    var target = mark || hit;
    if (target && target.scrollIntoView) target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  if (nextLink && total > 0) {
    if (prevLink) prevLink.hidden = false;
    nextLink.addEventListener('click', function (event) { event.preventDefault(); show(current + 1); });
    if (prevLink) prevLink.addEventListener('click', function (event) { event.preventDefault(); show(current - 1); });
  }

  // ---- Keyboard -----------------------------------------------------------------------------------
  document.addEventListener('keydown', function (event) {
    if (typing(event) || event.altKey || event.ctrlKey || event.metaKey) return;
    var link = null;
    if (event.key === 'ArrowLeft') link = document.getElementById('page-prev');
    else if (event.key === 'ArrowRight') link = document.getElementById('page-next');
    else if (event.key === 'n' && total > 0) { show(current + 1); return; }
    else if (event.key === 'p' && total > 0) { show(current - 1); return; }
    else if (viewport && (event.key === '+' || event.key === '=')) { zoomTo(zoom.scale * 1.5); return; }
    else if (viewport && event.key === '-') { zoomTo(zoom.scale / 1.5); return; }
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });

  // ---- Copying a reference ------------------------------------------------------------------------
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { legacyCopy(text) && done(); });
    } else if (legacyCopy(text)) {
      done();
    }
  }
  function legacyCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  Array.prototype.forEach.call(document.querySelectorAll('.copy-reference'), function (button) {
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (!source) return;
      copyText(source.textContent.trim(), function () {
        button.textContent = button.getAttribute('data-copied');
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
