// The dashboard page: reads /dashboard/stream (server-sent events over fetch, so the
// admin token can travel in a header), keeps five minutes of samples and draws them
// with uPlot. Plain browser JavaScript: no build step.
(() => {
  'use strict';
  const MAX_POINTS = 300;
  const STALE_MS = 5000;
  const COLORS = ['#58a6ff', '#3fb950', '#d29922', '#f85149', '#bc8cff', '#39c5cf', '#ff9bce'];
  const dashboard = { samples: [], state: null, charts: {}, token: sessionStorage.getItem('dbAdminToken') || '' };
  // Tests and curious people can look at it from the console.
  window.dashboard = dashboard;

  const $ = (id) => document.getElementById(id);
  const headers = () => (dashboard.token ? { 'x-admin-token': dashboard.token } : {});
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const number = (n) => (n >= 1e6 ? (n / 1e6).toFixed(1) + 'M' : n >= 1e4 ? (n / 1e3).toFixed(1) + 'k' : String(Math.round(n * 10) / 10));
  const percent = (rate) => (rate === null || rate === undefined ? '–' : (rate * 100).toFixed(1) + '%');
  const ms = (value) => (value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2)) + ' ms';
  const bytes = (n) => (n === null ? '–' : n >= 1048576 ? (n / 1048576).toFixed(1) + ' MiB' : n >= 1024 ? (n / 1024).toFixed(1) + ' KiB' : n + ' B');

  function setStatus(state, text) {
    const element = $('status');
    element.dataset.state = state;
    element.textContent = text;
  }

  // ---- charts ----------------------------------------------------------------
  /** What each chart plots, from the pool and replica names the samples carry. */
  function chartDefinitions(sample) {
    const pools = Object.keys(sample.poolInUse);
    const replicas = Object.keys(sample.lagBytes);
    return {
      latency: {
        element: 'chart-latency',
        series: [{ label: 'p50' }, { label: 'p95' }, { label: 'p99' }],
        values: (s) => [s.p50Ms, s.p95Ms, s.p99Ms],
        format: (v) => (v === null ? '–' : ms(v)),
      },
      throughput: {
        element: 'chart-throughput',
        series: [{ label: 'all' }, { label: 'primary' }, { label: 'read replica' }, { label: 'analytics' }, { label: 'cache hits' }, { label: 'errors' }],
        values: (s) => [s.queriesPerSec, s.primaryPerSec, s.replicaPerSec, s.analyticsPerSec, s.cacheHitsPerSec, s.errorsPerSec],
        format: (v) => (v === null ? '–' : number(v) + '/s'),
      },
      pools: {
        element: 'chart-pools',
        series: pools.flatMap((pool, i) => [
          { label: pool + ' in use', color: COLORS[i % COLORS.length] },
          { label: pool + ' limit', color: COLORS[i % COLORS.length], dash: [5, 4] },
        ]),
        values: (s) => pools.flatMap((pool) => [s.poolInUse[pool] ?? null, s.poolLimit[pool] ?? null]),
        format: (v) => (v === null ? '–' : String(v)),
      },
      cache: {
        element: 'chart-cache',
        series: [{ label: 'memory (L1)' }, { label: 'redis (L2)' }],
        values: (s) => [s.memoryHitRate === null ? null : s.memoryHitRate * 100, s.redisHitRate === null ? null : s.redisHitRate * 100],
        format: (v) => (v === null ? '–' : v.toFixed(1) + '%'),
        range: [0, 100],
      },
      lag: {
        element: 'chart-lag',
        series: replicas.map((name) => ({ label: name })),
        values: (s) => replicas.map((name) => (name in s.lagBytes ? s.lagBytes[name] : null)),
        format: (v) => bytes(v),
        // A replica in step shows 0: keep a visible scale instead of fractions of a byte.
        minTop: 1024,
      },
    };
  }

  function dataOf(definition) {
    const columns = [dashboard.samples.map((s) => s.t)];
    definition.series.forEach(() => columns.push([]));
    for (const sample of dashboard.samples) definition.values(sample).forEach((value, i) => columns[i + 1].push(value));
    return columns;
  }

  function build(name, definition) {
    const element = $(definition.element);
    element.innerHTML = '';
    const axis = { stroke: '#8897a8', grid: { stroke: '#263140', width: 1 }, ticks: { stroke: '#263140' } };
    const options = {
      width: Math.max(element.clientWidth, 200),
      height: 220,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: definition.range ? { range: definition.range } : { range: (u, min, max) => [0, Math.max(max * 1.1, definition.minTop || 1)] } },
      axes: [axis, { ...axis, size: 72, values: (u, ticks) => ticks.map((v) => definition.format(v)) }],
      series: [{}].concat(
        definition.series.map((series, i) => ({
          label: series.label,
          stroke: series.color || COLORS[i % COLORS.length],
          width: 1.5,
          dash: series.dash,
          spanGaps: true,
          points: { show: false },
          value: (u, v) => definition.format(v),
        })),
      ),
    };
    const chart = new uPlot(options, dataOf(definition), element);
    dashboard.charts[name] = { chart, definition, key: definition.series.map((s) => s.label).join('|') };
  }

  function draw() {
    if (dashboard.samples.length === 0) return;
    const definitions = chartDefinitions(dashboard.samples[dashboard.samples.length - 1]);
    for (const [name, definition] of Object.entries(definitions)) {
      const existing = dashboard.charts[name];
      // Pools or replicas changed (a replica added, a pool renamed): new series, new chart.
      if (!existing || existing.key !== definition.series.map((s) => s.label).join('|')) {
        if (existing) existing.chart.destroy();
        build(name, definition);
      } else {
        existing.definition = definition;
        existing.chart.setData(dataOf(definition));
      }
      const chart = dashboard.charts[name].chart;
      // Not hovering: the legend shows the latest values rather than dashes.
      if (chart.cursor.left < 0 || chart.cursor.idx === null) chart.setLegend({ idx: chart.data[0].length - 1 });
      const data = dashboard.charts[name].chart.data;
      // How many points carry a value: the browser test reads it.
      const points = data.slice(1).reduce((sum, column) => sum + column.filter((v) => v !== null && v !== undefined).length, 0);
      $(definition.element).dataset.points = String(points);
    }
  }

  window.addEventListener('resize', () => {
    for (const { chart, definition } of Object.values(dashboard.charts)) chart.setSize({ width: Math.max($(definition.element).clientWidth, 200), height: 220 });
  });

  // ---- tiles and tables ------------------------------------------------------
  function renderState(state, sample) {
    $('tile-qps').textContent = sample ? number(sample.queriesPerSec) : '–';
    $('tile-p99').textContent = sample ? ms(sample.p99Ms) : '–';
    $('tile-cache').textContent = percent(state.totals.cacheHitRate);
    $('tile-optimized').textContent = percent(state.totals.queryOptimizationRate);
    $('tile-total').textContent = number(state.totals.queries);
    $('tile-slow').textContent = number(state.totals.slowQueriesDetected) + ' / ' + number(state.totals.failed);

    const decisions = Object.fromEntries(state.resize.lastDecisions.map((d) => [d.pool, d]));
    $('resize-summary').textContent = `${state.resize.runs} runs · ${state.resize.grows} grows · ${state.resize.shrinks} shrinks · ${state.resize.holds} holds`;
    $('resize-table').tBodies[0].innerHTML = state.pools
      .map((pool) => {
        const d = decisions[pool.name];
        const decision = d ? `<span class="${escape(d.action)}">${escape(d.action)} ${d.previousLimit}→${d.newLimit}</span> ${escape(d.reason)}` : '<span class="hold">no run yet</span>';
        return `<tr><td>${escape(pool.name)}<br><small>${escape(pool.server)}</small></td><td>${pool.total - pool.idle} / ${pool.limit}${pool.waiting ? ` (${pool.waiting} waiting)` : ''}</td><td>${pool.min}–${pool.max}</td><td>${decision}</td></tr>`;
      })
      .join('');

    $('slow-table').tBodies[0].innerHTML =
      state.slowQueries.length === 0
        ? '<tr><td colspan="4" class="empty">none yet</td></tr>'
        : state.slowQueries
            .map((q) => `<tr><td>${q.durationMs.toFixed(1)}</td><td>${escape(q.pool)}</td><td class="sql" title="${escape(q.normalizedSql)}">${escape(shortSql(q.normalizedSql))}</td><td>${escape(new Date(q.at).toLocaleTimeString())}</td></tr>`)
            .join('');
  }

  /** A long select list hides what matters (FROM, WHERE): shorten it; the full text is the cell's tooltip. */
  function shortSql(sql) {
    const compact = sql.replace(/\s+/g, ' ');
    const shortened = compact.replace(/^SELECT (.{40,}?) FROM /i, 'SELECT … FROM ');
    return shortened.length > 240 ? shortened.slice(0, 240) + '…' : shortened;
  }

  /** HypoPG measured the plan's cost; pg_stats only estimates how few rows one value matches. */
  function gainOf(recommendation) {
    if (recommendation.improvement !== undefined) return (recommendation.improvement * 100).toFixed(0) + '% cheaper';
    if (recommendation.estimatedSelectivity !== undefined) return 'one value ≈ ' + (recommendation.estimatedSelectivity * 100).toPrecision(2) + '% of rows';
    return '–';
  }

  function renderAdvice(advice) {
    $('advice-mode').textContent = advice.mode === 'hypopg' ? 'verified with HypoPG' : 'from pg_stats (HypoPG not installed)';
    $('advice-table').tBodies[0].innerHTML =
      advice.recommendations.length === 0
        ? `<tr><td colspan="3" class="empty">no index would help the statements seen so far${advice.skipped.length ? ` (${advice.skipped.length} skipped)` : ''}</td></tr>`
        : advice.recommendations
            .map((r) => `<tr><td class="sql">${escape(r.statement)}</td><td>${gainOf(r)}</td><td class="sql" title="${escape(r.queries[0] || '')}">${escape(shortSql(r.queries[0] || ''))}</td></tr>`)
            .join('');
  }

  /** Whatever /stats/fleet answers, one level deep: the route belongs to another part of the app. */
  function renderFleet(fleet) {
    const rows = [];
    for (const [key, value] of Object.entries(fleet)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [inner, v] of Object.entries(value)) if (typeof v !== 'object') rows.push([`${key}.${inner}`, v]);
      } else rows.push([key, Array.isArray(value) ? `${value.length} items` : value]);
    }
    $('fleet').innerHTML = '<dl>' + rows.slice(0, 30).map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(typeof v === 'number' ? number(v) : v)}</dd>`).join('') + '</dl>';
    $('fleet-card').hidden = false;
  }

  // ---- data sources ----------------------------------------------------------
  function onEvent(type, data) {
    if (type === 'history') {
      dashboard.samples = data.samples.slice(-MAX_POINTS);
      dashboard.state = data.state;
    } else if (type === 'sample') {
      dashboard.samples.push(data.sample);
      if (dashboard.samples.length > MAX_POINTS) dashboard.samples.shift();
      dashboard.state = data.state;
    } else return;
    draw();
    renderState(dashboard.state, dashboard.samples[dashboard.samples.length - 1]);
  }

  async function connect() {
    const controller = new AbortController();
    let lastEventAt = Date.now();
    const watchdog = setInterval(() => Date.now() - lastEventAt > STALE_MS && controller.abort(), 1000);
    try {
      const response = await fetch('/dashboard/stream', { headers: { accept: 'text/event-stream', ...headers() }, signal: controller.signal });
      if (response.status === 401) {
        clearInterval(watchdog);
        setStatus('error', 'admin token needed');
        $('token-form').hidden = false;
        return;
      }
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      setStatus('live', 'live');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          lastEventAt = Date.now();
          if (data.length > 0) onEvent(type, JSON.parse(data.join('\n')));
        }
      }
      throw new Error('the stream ended');
    } catch (error) {
      setStatus('error', 'reconnecting…');
      setTimeout(connect, 2000);
    } finally {
      clearInterval(watchdog);
    }
  }

  async function refreshAdvice() {
    try {
      const response = await fetch('/db/recommendations', { headers: headers() });
      if (response.ok) renderAdvice(await response.json());
    } catch (error) {
      /* the next round tries again */
    }
  }

  async function refreshFleet() {
    try {
      const response = await fetch('/stats/fleet', { headers: headers() });
      const type = response.headers.get('content-type') || '';
      if (response.ok && type.includes('json')) renderFleet(await response.json());
      else $('fleet-card').hidden = true;
    } catch (error) {
      $('fleet-card').hidden = true;
    }
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    dashboard.token = $('token-input').value.trim();
    sessionStorage.setItem('dbAdminToken', dashboard.token);
    $('token-form').hidden = true;
    connect();
    refreshAdvice();
  });

  connect();
  refreshAdvice();
  refreshFleet();
  // Index advice runs EXPLAINs: every 30 s is plenty. Fleet totals change slowly too.
  setInterval(() => document.visibilityState === 'visible' && refreshAdvice(), 30000);
  setInterval(() => document.visibilityState === 'visible' && refreshFleet(), 5000);
})();
