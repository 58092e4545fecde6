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

  function badges(td, deliveries) {
    td.textContent = '';
    Object.keys(deliveries).forEach(function (state) {
      var span = document.createElement('span');
      span.className = 'badge ' + state;
      span.textContent = deliveries[state] + ' ' + state;
      td.appendChild(span);
      td.appendChild(document.createTextNode(' '));
    });
  }

  var toggle = document.getElementById('live-toggle');
  if (toggle) {
    var source = null;
    var retry = null;
    var after = Number(toggle.getAttribute('data-after')) || 0;
    var status = document.getElementById('live-status');
    var body = document.querySelector('#events tbody');
    var say = function (state, text) { status.setAttribute('data-state', state); status.textContent = text; };
    var add = function (e) {
      after = Math.max(after, e.id);
      var tr = document.createElement('tr');
      tr.className = 'new';
      tr.setAttribute('data-event', String(e.id));
      cell(tr, String(e.id), '/console/events/' + e.id);
      cell(tr, when(e.receivedAt));
      cell(tr, e.event);
      cell(tr, e.resourceId || '\\u2014');
      cell(tr, e.endpoint || 'shared');
      var td = document.createElement('td');
      td.className = 'states';
      if (e.routed) { badges(td, e.deliveries); if (!td.firstChild) td.textContent = e.routed + ' queued'; } else { var none = document.createElement('span'); none.className = 'hint'; none.textContent = 'no route matched'; td.appendChild(none); }
      tr.appendChild(td);
      body.insertBefore(tr, body.firstChild);
      var empty = document.getElementById('no-events');
      if (empty) empty.remove();
    };
    var update = function (row) {
      var td = document.querySelector('#events tr[data-event="' + row.id + '"] td.states');
      if (td) badges(td, row.deliveries);
    };
    // the rows shown whose deliveries still wait: the stream refreshes their states
    var waiting = function () {
      return Array.prototype.map.call(document.querySelectorAll('#events tr[data-waiting]'), function (tr) { return tr.getAttribute('data-event'); }).slice(0, 100).join(',');
    };
    var open = function () {
      retry = null;
      source = new EventSource('/console/events/live?after=' + after + '&watch=' + waiting());
      source.onopen = function () { say('on', 'Live: on \u2014 new events appear at the top.'); };
      source.onerror = function () {
        say('reconnecting', 'Live: connection lost, reconnecting\u2026');
        // a refused answer (not a dropped connection) ends the browser's own retries: try again later ourselves
        if (source && source.readyState === 2 && !retry) { source = null; retry = setTimeout(open, 3000); }
      };
      source.addEventListener('stopping', function () { say('reconnecting', 'Live: the bridge is stopping, reconnecting\u2026'); });
      source.addEventListener('events', function (m) { JSON.parse(m.data).forEach(add); });
      source.addEventListener('states', function (m) { JSON.parse(m.data).forEach(update); });
    };
    toggle.addEventListener('click', function () {
      if (source || retry) {
        if (source) source.close();
        clearTimeout(retry); source = null; retry = null;
        toggle.setAttribute('aria-pressed', 'false'); toggle.textContent = 'Live: off'; say('off', 'Live mode is off.');
        return;
      }
      toggle.setAttribute('aria-pressed', 'true'); toggle.textContent = 'Live: on';
      say('connecting', 'Connecting\u2026');
      open();
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
      var data = [s.at.map(function (t) { return t / 1000; }), s.received, s.delivered, s.dead, s.refused];
      new window.uPlot({
        width: Math.max(280, el.clientWidth), height: 200,
        series: [{}, { label: 'received', stroke: '#0a58ca', width: 2 }, { label: 'delivered', stroke: '#116329', width: 2 }, { label: 'dead', stroke: '#a40e26', width: 2 }, { label: 'refused', stroke: '#8250df', width: 2, dash: [6, 4] }],
        axes: [{}, { size: 50 }],
      }, data, el);
    });
  }
})();
`;
