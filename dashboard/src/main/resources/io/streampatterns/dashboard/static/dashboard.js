// The monitor dashboard: polls /api/metrics and /api/health every 2 s and draws them with uPlot.
// window.dashboard exposes what is shown (for tests and the browser console).
(function () {
  'use strict';

  var REFRESH_MS = 2000;
  var token = new URLSearchParams(location.search).get('token');
  var headers = token ? { 'Authorization': 'Bearer ' + token } : {};
  var charts = {};
  var state = window.dashboard = {
    status: 'loading', points: 0, lastRequests: null, activeAlerts: 0, queries: 0, stale: 0,
    quantiles: null, updatedAt: null, refreshes: 0, error: null, warnings: []
  };

  function getJson(path) {
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error(path + ': HTTP ' + r.status); }
      return r.json();
    });
  }

  function el(id) { return document.getElementById(id); }

  function fmt(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) { return '–'; }
    var d = digits === undefined ? (Math.abs(v) >= 100 || Number.isInteger(v) ? 0 : 1) : digits;
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
  }

  function bytes(v) {
    if (v === null || v === undefined) { return '–'; }
    var units = ['B', 'KiB', 'MiB', 'GiB'];
    var i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return fmt(v, 1) + ' ' + units[i];
  }

  function duration(ms) {
    if (ms === null || ms === undefined) { return '–'; }
    var s = Math.round(ms / 1000);
    if (s < 120) { return s + ' s'; }
    if (s < 7200) { return Math.round(s / 60) + ' min'; }
    return fmt(s / 3600, 1) + ' h';
  }

  function pct(part, total) {
    return total ? (100 * part / total) : null;
  }

  function last(a) { return a && a.length ? a[a.length - 1] : null; }

  function hasValues(a) { return (a || []).some(function (v) { return v !== null; }); }

  /** Latency quantiles when the log has response times, else response-size quantiles. */
  function quantiles(series) {
    if (hasValues(series.latency_ms_p50)) {
      return { kind: 'latency', unit: 'ms', p50: series.latency_ms_p50, p95: series.latency_ms_p95, p99: series.latency_ms_p99 };
    }
    return { kind: 'size', unit: 'bytes', p50: series.bytes_p50, p95: series.bytes_p95, p99: series.bytes_p99 };
  }

  /** Creates the chart in element {@code id}, or gives it new data; recreated when its series change. */
  function draw(id, title, labels, colors, data) {
    var box = el(id);
    var key = title + '|' + labels.join(',');
    var width = Math.max(300, box.clientWidth - 8);
    var c = charts[id];
    if (c && c.key === key) {
      c.plot.setData(data);
      if (Math.abs(c.plot.width - width) > 4) { c.plot.setSize({ width: width, height: 220 }); }
      return;
    }
    if (c) { c.plot.destroy(); }
    var series = [{}].concat(labels.map(function (label, i) {
      return { label: label, stroke: colors[i], width: 2, spanGaps: false, points: { show: data[0].length < 3 } };
    }));
    charts[id] = {
      key: key,
      plot: new uPlot({ title: title, width: width, height: 220, series: series, scales: { x: { time: true } },
        tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
        axes: [{ space: 90 }, { size: 64 }] }, data, box)
    };
  }

  var COUNTS = ['requests', 'errors_4xx', 'errors_5xx', 'bytes', 'clients'];

  /**
   * The minutes with the silent ones in between (no row: no request): 0 requests, and no error rate or quantile,
   * which uPlot draws as a break, instead of a line interpolated across the silence. At most a day per gap.
   */
  function withSilentMinutes(m) {
    var keys = Object.keys(m).filter(function (k) { return Array.isArray(m[k]) && m[k].length === m.t.length; });
    var out = {};
    keys.forEach(function (k) { out[k] = []; });
    for (var i = 0; i < m.t.length; i++) {
      for (var j = 1; i > 0 && j < (m.t[i] - m.t[i - 1]) / 60 && j <= 1440; j++) {
        keys.forEach(function (k) {
          out[k].push(k === 't' ? m.t[i - 1] + 60 * j : COUNTS.indexOf(k) >= 0 ? 0 : null);
        });
      }
      keys.forEach(function (k) { out[k].push(m[k][i]); });
    }
    return out;
  }

  function renderCharts(minutes) {
    var m = withSilentMinutes(minutes);
    var t = m.t;
    draw('chart-requests', 'Requests per minute', ['requests'], ['#2563eb'], [t, m.requests]);
    var e4 = m.requests.map(function (n, i) { return pct(m.errors_4xx[i], n); });
    var e5 = m.requests.map(function (n, i) { return pct(m.errors_5xx[i], n); });
    draw('chart-errors', 'Error rate (%)', ['4xx %', '5xx %'], ['#d97706', '#dc2626'], [t, e4, e5]);
    var q = quantiles(m);
    var title = q.kind === 'latency' ? 'Latency (ms)' : 'Response size (bytes) — no latency in the log';
    draw('chart-quantiles', title, ['p50', 'p95', 'p99'], ['#16a34a', '#7c3aed', '#db2777'], [t, q.p50, q.p95, q.p99]);
    state.quantiles = q.kind;
    el('last-requests').textContent = fmt(last(m.requests));
    el('last-errors').textContent = m.requests.length
      ? fmt(pct(last(m.errors_4xx) + last(m.errors_5xx), last(m.requests)), 1) + ' %' : '–';
    el('last-quantile-label').textContent = (q.kind === 'latency' ? 'latency' : 'response size') + ' p95, last minute';
    el('last-quantile').textContent = q.kind === 'latency' ? fmt(last(q.p95)) + ' ms' : bytes(last(q.p95));
  }

  /** A cell whose text may be long: cut to the column's width (class {@code cls}), the whole text on hover. */
  function long(text, cls) { return { text: text === null || text === undefined ? '' : String(text), cls: cls }; }

  /** Fills table {@code id}: one row per element of {@code rows}, its cells from {@code cells} (values or {@link long}). */
  function fillTable(id, rows, cells, rowClass) {
    var body = el(id).tBodies[0];
    body.replaceChildren();
    rows.forEach(function (r) {
      var tr = body.insertRow();
      if (rowClass) { tr.className = rowClass(r); }
      cells(r).forEach(function (v) {
        var td = tr.insertCell();
        if (v !== null && typeof v === 'object') {
          td.textContent = v.text;
          td.title = v.text;
          td.className = v.cls;
        } else {
          td.textContent = v;
        }
      });
    });
    if (!rows.length) {
      var td = body.insertRow().insertCell();
      td.colSpan = el(id).tHead.rows[0].cells.length;
      td.className = 'empty';
      td.textContent = 'none';
    }
  }

  function time(iso) { return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : '–'; }

  function renderAlerts(alerts) {
    var active = alerts.active.map(function (a) { return Object.assign({ current: true }, a); });
    var activeKeys = {};
    active.forEach(function (a) { activeKeys[a.rule + '\u0000' + a.endpoint + '\u0000' + a.at] = true; });
    var recent = alerts.recent.filter(function (a) { return !activeKeys[a.rule + '\u0000' + a.endpoint + '\u0000' + a.at]; });
    fillTable('alerts', active.concat(recent), function (a) {
      return [a.current ? 'FIRING' : a.state, a.severity, a.rule, a.endpoint, time(a.at), time(a.since), long(a.message, 'message')];
    }, function (a) { return a.current ? 'firing' : 'past'; });
    state.activeAlerts = active.length;
    el('active-alerts').textContent = String(active.length);
  }

  function p95(r) {
    return r.latency_ms_p95 !== null && r.latency_ms_p95 !== undefined ? fmt(r.latency_ms_p95) + ' ms' : bytes(r.bytes_p95);
  }

  function renderEndpoints(endpoints) {
    fillTable('endpoints', endpoints, function (e) {
      var s = e.series;
      var lastRow = { latency_ms_p95: last(s.latency_ms_p95), bytes_p95: last(s.bytes_p95) };
      return [e.endpoint, fmt(e.requests), fmt(last(s.requests)),
        fmt(pct(last(s.errors_4xx) + last(s.errors_5xx), last(s.requests)), 1), p95(lastRow)];
    });
  }

  function renderSliding(rows) {
    fillTable('sliding', rows, function (r) {
      return [r.endpoint === '*' ? 'all traffic' : r.endpoint, r.window, time(r.window_end), fmt(r.requests),
        fmt(pct(r.errors_4xx + r.errors_5xx, r.requests), 1), p95(r)];
    });
  }

  /** active, stopped, "stale since ..." (its process gave no sign of life since), or the failure (cut, whole on hover). */
  function stateCell(q) {
    if (q.state === 'stale') { return 'stale since ' + time(q.staleSince) + ' UTC'; }
    if (q.state === 'failed') { return long('failed: ' + q.exception, 'message'); }
    return q.state;
  }

  /** Under each query, one row per warning (falls behind, state grows) with its whole message: the CLI's text. */
  function renderWarnings(queries) {
    var body = el('health').tBodies[0];
    var columns = el('health').tHead.rows[0].cells.length;
    var shown = [];
    for (var i = queries.length - 1; i >= 0; i--) {
      (queries[i].warnings || []).slice().reverse().forEach(function (w) {
        var td = body.insertRow(i + 1).insertCell();
        td.parentNode.className = 'warning ' + w.kind;
        td.colSpan = columns;
        td.textContent = '\u26a0 ' + w.message;
        shown.unshift(w.message);
      });
    }
    state.warnings = shown;
  }

  function renderHealth(h) {
    var now = Date.parse(h.now);
    fillTable('health', h.queries, function (q) {
      var age = q.lastProgress ? duration(now - Date.parse(q.lastProgress)) + ' ago' : 'never';
      return [q.name || q.id, stateCell(q),
        q.batchId < 0 ? '–' : String(q.batchId), fmt(q.inputRowsPerSecond, 1), fmt(q.processedRowsPerSecond, 1),
        fmt(q.batchDurationMs), duration(q.watermarkDelayMs), fmt(q.stateRows), bytes(q.stateMemoryBytes),
        fmt(q.lateRowsTotal), age];
    }, function (q) { return q.state; });
    renderWarnings(h.queries);
    state.queries = h.queries.length;
    state.stale = h.queries.filter(function (q) { return q.state === 'stale'; }).length;
  }

  function render(metrics, health) {
    var waiting = metrics.status !== 'ok';
    document.body.dataset.status = metrics.status;
    el('status').textContent = waiting
      ? 'waiting for data (no rows in requests_per_minute yet)'
      : 'data up to ' + time(metrics.newest) + ' UTC · read ' + time(metrics.readAt) + ' UTC';
    el('status').className = 'status ' + (waiting ? 'waiting' : 'ok');
    if (!waiting) { renderCharts(metrics.minutes); }
    renderAlerts(metrics.alerts);
    renderEndpoints(metrics.endpoints);
    renderSliding(metrics.sliding);
    renderHealth(health);
    state.status = metrics.status;
    state.points = metrics.minutes.t.length;
    state.lastRequests = last(metrics.minutes.requests);
    state.updatedAt = metrics.readAt;
    state.error = null;
  }

  function refresh() {
    Promise.all([getJson('api/metrics'), getJson('api/health')])
      .then(function (r) { render(r[0], r[1]); })
      .catch(function (e) {
        state.error = String(e.message || e);
        el('status').textContent = 'cannot reach the dashboard API: ' + state.error;
        el('status').className = 'status error';
      })
      .then(function () {
        state.refreshes++;
        setTimeout(refresh, REFRESH_MS);
      });
  }

  // charts follow the window's width at once, not only at the next refresh
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) {
      var width = Math.max(300, el(id).clientWidth - 8);
      if (Math.abs(charts[id].plot.width - width) > 4) { charts[id].plot.setSize({ width: width, height: 220 }); }
    });
  });

  refresh();
})();
