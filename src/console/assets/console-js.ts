/**
 * The console's only script (served at /console/assets/console.js): live events over server-sent events, a
 * delivery timeline that refreshes while deliveries wait, and the overview's charts (uPlot). Every page works
 * without it. Rows are built with textContent, never innerHTML, so no event text is ever parsed as HTML.
 */
export const CONSOLE_JS = `(function () {
  'use strict';
  function cell(tr, text, href) {
    var td = document.createElement('td');
    if (href) { var a = document.createElement('a'); a.href = href; a.textContent = text; td.appendChild(a); } else td.textContent = text;
    tr.appendChild(td);
  }
  function when(ms) { return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC'; }

  var toggle = document.getElementById('live-toggle');
  if (toggle) {
    var source = null;
    var after = Number(toggle.getAttribute('data-after')) || 0;
    var status = document.getElementById('live-status');
    var body = document.querySelector('#events tbody');
    var add = function (e) {
      after = Math.max(after, e.id);
      var tr = document.createElement('tr');
      tr.className = 'new';
      cell(tr, String(e.id), '/console/events/' + e.id);
      cell(tr, when(e.receivedAt));
      cell(tr, e.event);
      cell(tr, e.resourceId || '\\u2014');
      cell(tr, e.endpoint || 'shared');
      cell(tr, e.routed ? e.routed + ' queued' : 'no route matched');
      body.insertBefore(tr, body.firstChild);
      var none = document.getElementById('no-events');
      if (none) none.remove();
    };
    toggle.addEventListener('click', function () {
      if (source) {
        source.close(); source = null;
        toggle.setAttribute('aria-pressed', 'false'); toggle.textContent = 'Live: off'; status.textContent = 'Live mode is off.';
        return;
      }
      source = new EventSource('/console/events/live?after=' + after);
      toggle.setAttribute('aria-pressed', 'true'); toggle.textContent = 'Live: on';
      status.textContent = 'Connecting…';
      source.onopen = function () { status.textContent = 'Live: new events appear at the top.'; };
      source.onerror = function () { status.textContent = 'Live: connection lost, reconnecting…'; };
      source.addEventListener('events', function (m) { JSON.parse(m.data).forEach(add); });
    });
  }

  var section = document.querySelector('[data-refresh]');
  var refresh = function () {
    fetch(location.pathname, { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.text() : ''; }).then(function (text) {
      var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('deliveries');
      if (!fresh) return;
      section.replaceWith(fresh);
      section = fresh;
      if (fresh.hasAttribute('data-refresh')) setTimeout(refresh, Number(fresh.getAttribute('data-refresh')));
    });
  };
  if (section) setTimeout(refresh, Number(section.getAttribute('data-refresh')));

  if (window.uPlot) {
    document.querySelectorAll('.plot[data-series]').forEach(function (el) {
      var s = JSON.parse(document.getElementById(el.getAttribute('data-series')).textContent);
      var data = [s.at.map(function (t) { return t / 1000; }), s.received, s.delivered, s.dead];
      new window.uPlot({
        width: Math.max(280, el.clientWidth), height: 200,
        series: [{}, { label: 'received', stroke: '#0a58ca', width: 2 }, { label: 'delivered', stroke: '#116329', width: 2 }, { label: 'dead', stroke: '#a40e26', width: 2 }],
        axes: [{}, { size: 50 }],
      }, data, el);
    });
  }
})();
`;
