// fivexx watch's dashboard: targets, timelines, incidents, live feed, maintenance. Plain DOM, no build step;
// every text from the server goes in through textContent, never as HTML.
'use strict';

const main = document.getElementById('main');
let csrf = '';
let timer = 0;
const HOPS = { visitor: 'Visitor', cdn: 'CDN', gateway: 'Gateway', app: 'App', dependency: 'Dependency' };
const STATE_WORDS = { up: 'Up', degraded: 'Degraded', down: 'Down', maintenance: 'Maintenance' };
const SVG = 'http://www.w3.org/2000/svg';

/** An element with attributes and children (strings become text nodes). */
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
  return el;
}

function s(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const kid of kids) el.append(kid);
  return el;
}

async function api(path, opts) {
  const init = { headers: { accept: 'application/json' }, credentials: 'same-origin', ...opts };
  if (opts && opts.body !== undefined) {
    init.method = 'POST';
    init.headers = { ...init.headers, 'content-type': 'application/json', 'x-csrf-token': csrf };
    init.body = JSON.stringify(opts.body);
  }
  const r = await fetch(path, init);
  if (r.status === 401) {
    location.assign('/login');
    throw new Error('logged out');
  }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${r.status}`);
  return body;
}

const time = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + 'Z';
const badge = (state) => h('span', { class: `badge ${state}` }, STATE_WORDS[state] || state);
const link = (href, text) => h('a', { href, 'data-nav': '' }, text);

function show(title, ...kids) {
  document.title = `${title} · fivexx watch`;
  main.replaceChildren(h('h1', {}, title), ...kids.flat(Infinity).filter((k) => k !== '' && k !== null && k !== undefined && k !== false));
  main.setAttribute('aria-busy', 'false');
}

/** 24 hourly bars: height = mean latency, red share = failed checks. */
function sparkline(spark) {
  const max = Math.max(1, ...spark.map((p) => (p ? p.ms : 0)));
  const svg = s('svg', { viewBox: '0 0 96 24', width: 96, height: 24, class: 'spark', role: 'img' });
  let failed = 0;
  spark.forEach((p, k) => {
    if (!p) return svg.append(s('rect', { x: k * 4, y: 22, width: 3, height: 2, class: 'none' }));
    const hgt = Math.max(2, Math.round((p.ms / max) * 22));
    failed += p.fail;
    svg.append(s('rect', { x: k * 4, y: 24 - hgt, width: 3, height: hgt, class: p.fail === 0 ? 'ok' : p.fail >= p.n ? 'bad' : 'part' }));
  });
  svg.setAttribute('aria-label', `last 24 hours: ${failed} failed check(s)`);
  return svg;
}

async function dashboard() {
  const params = new URLSearchParams(location.search);
  const page = Number(params.get('page') || 1);
  const state = params.get('state') || 'all';
  const q = params.get('q') || '';
  const [o, open] = await Promise.all([
    api(`/api/overview?${new URLSearchParams({ page, per: 50, state, q })}`),
    api('/api/incidents?state=open&limit=20'),
  ]);
  const counts = h('ul', { class: 'counts', 'aria-label': 'Targets by state' },
    ['down', 'degraded', 'maintenance', 'up'].map((k) => h('li', { class: k }, h('a', { href: `/?state=${k}`, 'data-nav': '' }, h('strong', {}, String(o.counts[k])), ` ${STATE_WORDS[k]}`))));
  const filter = h('form', { class: 'filter', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    go(`/?${new URLSearchParams({ state: f.get('state'), q: f.get('q') })}`);
  } },
  h('label', { for: 'q' }, 'Find'), h('input', { id: 'q', name: 'q', value: q, type: 'search' }),
  h('label', { for: 'state' }, 'State'),
  h('select', { id: 'state', name: 'state' }, ['all', 'down', 'degraded', 'maintenance', 'up'].map((k) => h('option', { value: k, selected: k === state }, k))),
  h('button', { type: 'submit' }, 'Show'));
  const rows = o.targets.map((t) => h('tr', { class: t.state, 'data-target': t.name },
    h('th', { scope: 'row' }, link(`/targets/${encodeURIComponent(t.name)}`, t.name)),
    h('td', { 'data-label': 'State' }, badge(t.state)),
    h('td', { 'data-label': '24 h' }, sparkline(t.spark)),
    h('td', { 'data-label': 'Last check' }, t.last ? `${t.last.status ?? '—'} in ${t.last.ms} ms${t.last.cause ? ` (${t.last.cause})` : ''}` : 'not yet'),
    h('td', { 'data-label': 'Group' }, t.group || '')));
  const pages = Math.max(1, Math.ceil(o.total / o.per));
  const nav = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    page > 1 ? link(`/?${new URLSearchParams({ page: page - 1, state, q })}`, '← Previous') : '',
    h('span', {}, ` Page ${page} of ${pages} (${o.total} targets) `),
    page < pages ? link(`/?${new URLSearchParams({ page: page + 1, state, q })}`, 'Next →') : '');
  show('Targets', counts,
    open.length ? h('section', { class: 'open', 'aria-labelledby': 'open-h' }, h('h2', { id: 'open-h' }, 'Open incidents'), incidentList(open)) : '',
    filter,
    h('table', { class: 'targets' }, h('caption', { class: 'sr' }, 'Targets, worst first'),
      h('thead', {}, h('tr', {}, ['Target', 'State', 'Last 24 h', 'Last check', 'Group'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)),
    nav);
  timer = setTimeout(() => refresh(dashboard), 5000);
}

function incidentList(list) {
  return h('ul', { class: 'incidents' }, list.map((i) => h('li', { class: i.state, 'data-incident': i.id },
    link(`/incidents/${i.id}`, `#${i.id} ${i.target}: ${i.title || i.cause}`), ' ',
    h('code', {}, i.cause), ` · ${i.layer} · opened ${time(Date.parse(i.openedAt || i.start))}`,
    i.state === 'resolved' ? h('span', { class: 'badge up' }, 'Resolved') : h('span', { class: 'badge down' }, 'Open'),
    i.acknowledged ? h('span', { class: 'badge ack' }, 'Acknowledged') : '')));
}

async function incidents() {
  const params = new URLSearchParams(location.search);
  const state = params.get('state') || 'all';
  const before = params.get('before');
  const q = { state, limit: 50 };
  if (before) q.before = before;
  const list = await api(`/api/incidents?${new URLSearchParams(q)}`);
  const last = list[list.length - 1];
  show('Incidents',
    h('p', {}, ['all', 'open', 'resolved'].map((k) => [link(`/incidents?state=${k}`, k), ' '])),
    list.length ? incidentList(list) : h('p', {}, 'No incidents.'),
    list.length === 50 && last ? link(`/incidents?${new URLSearchParams({ state, before: Date.parse(last.openedAt) })}`, 'Older →') : '');
}

/** Stacked bars per hour: the status classes of the checks. */
function statusChart(hours) {
  const w = Math.max(hours.length * 6, 60);
  const svg = s('svg', { viewBox: `0 0 ${w} 60`, class: 'chart', role: 'img', preserveAspectRatio: 'none' });
  const keys = ['s2', 's3', 's4', 's5', 'serr'];
  hours.forEach((hr, k) => {
    let y = 60;
    for (const key of keys) {
      const hgt = (hr[key] / hr.n) * 60;
      if (hgt <= 0) continue;
      y -= hgt;
      svg.append(s('rect', { x: k * 6, y, width: 5, height: hgt, class: key }));
    }
  });
  svg.setAttribute('aria-label', 'Checks per hour by status class');
  return svg;
}

/** Stacked bars per hour: mean time spent in each phase. */
function phaseChart(hours) {
  const w = Math.max(hours.length * 6, 60);
  const max = Math.max(1, ...hours.map((hr) => hr.dns + hr.connect + hr.tls + hr.ttfb));
  const svg = s('svg', { viewBox: `0 0 ${w} 60`, class: 'chart', role: 'img', preserveAspectRatio: 'none' });
  hours.forEach((hr, k) => {
    let y = 60;
    for (const key of ['dns', 'connect', 'tls', 'ttfb']) {
      const hgt = (hr[key] / max) * 60;
      if (hgt <= 0) continue;
      y -= hgt;
      svg.append(s('rect', { x: k * 6, y, width: 5, height: hgt, class: key }));
    }
  });
  svg.setAttribute('aria-label', `Mean latency by phase per hour, peak ${Math.round(max)} ms`);
  return svg;
}

const legend = (pairs) => h('ul', { class: 'legend' }, pairs.map(([k, text]) => h('li', {}, h('span', { class: `key ${k}` }), text)));

async function target(name) {
  const params = new URLSearchParams(location.search);
  const hours = Number(params.get('hours') || 24);
  const t = await api(`/api/targets/${encodeURIComponent(name)}/timeline?hours=${hours}`);
  const table = h('table', {}, h('caption', {}, 'Hour by hour'),
    h('thead', {}, h('tr', {}, ['Hour', 'Checks', 'Failed', '2xx', '3xx', '4xx', '5xx', 'No answer', 'DNS', 'Connect', 'TLS', 'TTFB', 'Total', 'Max'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, t.hours.slice().reverse().map((r) => h('tr', {}, h('th', { scope: 'row' }, time(r.at).slice(0, 16)),
      [r.n, r.fail, r.s2, r.s3, r.s4, r.s5, r.serr, r.dns, r.connect, r.tls, r.ttfb, r.total, r.max].map((v) => h('td', {}, String(v)))))));
  show(name,
    h('p', {}, badge(t.state), ' ', h('code', {}, t.url), t.upstream ? [' → upstream ', h('code', {}, t.upstream)] : '', t.group ? ` · group ${t.group}` : '',
      t.open ? [' · ', link(`/incidents/${t.open}`, `open incident #${t.open}`)] : ''),
    h('p', {}, [[24, '24 hours'], [168, '7 days'], [720, '30 days']].map(([n, label]) => [n === hours ? h('strong', {}, label) : link(`/targets/${encodeURIComponent(name)}?hours=${n}`, label), ' '])),
    h('h2', {}, 'Status classes'), statusChart(t.hours), legend([['s2', '2xx'], ['s3', '3xx'], ['s4', '4xx'], ['s5', '5xx'], ['serr', 'no answer']]),
    h('h2', {}, 'Latency by phase'), phaseChart(t.hours), legend([['dns', 'DNS'], ['connect', 'connect'], ['tls', 'TLS'], ['ttfb', 'time to first byte']]),
    h('details', {}, h('summary', {}, 'The numbers'), h('div', { class: 'scroll' }, table)));
  timer = setTimeout(() => refresh(() => target(name)), 10000);
}

function hopDiagram(hops, failing, layer) {
  return h('ol', { class: 'hops', 'aria-label': `Path of a request; the failing hop is ${HOPS[failing]}` }, hops.map((hop) =>
    h('li', { class: hop === failing ? 'hop failing' : 'hop', 'data-hop': hop, 'aria-current': hop === failing ? 'step' : null },
      HOPS[hop], hop === failing ? h('span', { class: 'why' }, ` ✕ fails (layer ${layer})`) : '')));
}

function keptResponse(c) {
  const e = c.evidence || {};
  const headers = Object.entries(e.headers || {});
  return h('article', { class: 'check' },
    h('h3', {}, `${time(c.at)}: ${c.status ?? (c.code || 'no answer')} in ${c.ms} ms`),
    h('dl', {}, [['Address', e.address], ['HTTP', e.httpVersion], ['TLS', e.tls], ['Request ID', e.requestId], ['Responder', e.responder], ['Failed', (e.failed || []).join('; ')], ['Verdict', e.summary]]
      .filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])),
    headers.length ? h('details', {}, h('summary', {}, `Headers (${headers.length})`), h('pre', { class: 'text' }, headers.map(([k, v]) => `${k}: ${v}`).join('\n'))) : '',
    e.body !== undefined ? h('details', { open: true }, h('summary', {}, 'Body (first 2 KiB)'), h('pre', { class: 'text body' }, e.body)) : '');
}

async function incident(id) {
  const d = await api(`/api/incidents/${id}`);
  const i = d.incident;
  const scope = i.scope || {};
  const status = Object.entries(i.statuses || {}).map(([k, n]) => `${k}×${n}`).join(', ');
  const ack = h('button', { type: 'button', disabled: i.acknowledged, onclick: async () => {
    await api(`/api/incidents/${id}/ack`, { body: {} });
    incident(id);
  } }, i.acknowledged ? 'Acknowledged' : 'Acknowledge');
  const noteForm = h('form', { class: 'note', onsubmit: async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    await api(`/api/incidents/${id}/notes`, { body: { text: String(f.get('text')), public: f.get('public') === 'on' } });
    incident(id);
  } },
  h('label', { for: 'note-text' }, 'Add a note'), h('textarea', { id: 'note-text', name: 'text', required: true, rows: 3, maxlength: 5000 }),
  h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'public' }), ' Public (shown on the status page)'),
  h('button', { type: 'submit' }, 'Add note'));
  show(`Incident #${i.id}: ${i.target}`,
    h('section', { class: `verdict ${i.state}`, 'aria-labelledby': 'v-h' },
      h('h2', { id: 'v-h' }, i.title || i.cause),
      h('p', {}, h('code', { 'data-cause': i.cause }, i.cause), ` · layer ${i.layer} · ${i.state === 'open' ? 'open' : `resolved ${time(Date.parse(i.resolvedAt))}`} · since ${time(Date.parse(i.start || i.openedAt))}`, status ? ` · ${status}` : ''),
      i.summary ? h('p', { class: 'summary' }, i.summary) : '', i.meaning ? h('p', {}, i.meaning) : '', h('p', {}, ack)),
    h('h2', {}, 'Where it fails'), hopDiagram(d.hops, d.failingHop, i.layer),
    h('h2', {}, 'Evidence'), h('ul', { class: 'evidence' }, (i.evidence || []).map((e) => h('li', {}, h('code', {}, `${e.source}${e.line ? `:${e.line}` : ''}`), ' ', h('span', { class: 'text' }, e.text)))),
    h('h2', {}, 'Scope'), h('dl', {}, [['Paths', scope.paths], ['Upstreams', scope.upstreams], ['Hosts', scope.hosts]].filter(([, v]) => v && v.length)
      .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v.map(([x, n]) => `${x} (${n})`).join(', '))])),
    h('h2', {}, 'Trigger'), h('p', {}, i.trigger ? `${i.trigger.kind} ${i.trigger.ref} at ${i.trigger.at} (${i.trigger.source})` : 'No change was recorded in the 30 minutes before it began.'),
    h('h2', {}, 'Next steps'), h('ol', { class: 'steps' }, (i.nextSteps || []).map((x) => h('li', {}, x))),
    h('h2', {}, 'Checklist'), h('ol', { class: 'checklist' }, d.checklist.map((c) => h('li', { class: c.done ? 'done' : 'todo' },
      h('span', { class: 'mark', 'aria-label': c.done ? 'done' : 'to do' }, c.done ? '✓' : '○'), ' ', h('strong', {}, c.title), `: ${c.found}`))),
    h('h2', {}, 'Failed checks (kept responses)'), d.checks.length ? d.checks.map(keptResponse) : h('p', {}, 'None kept.'),
    h('h2', {}, 'Notes'), h('ul', { class: 'notes' }, i.notes.map((n) => h('li', {}, h('strong', {}, n.author), ` ${time(n.at)}: `, h('span', { class: 'text' }, n.text)))), noteForm,
    d.alerts.length ? [h('h2', {}, 'Alerts sent'), h('ul', {}, d.alerts.map((a) => h('li', {}, `${a.event} → ${a.channel}: ${a.ok ? 'sent' : 'failed'}`)))] : '');
  if (i.state === 'open') timer = setTimeout(() => refresh(() => incident(id)), 5000);
}

let feedAfter = 0;
async function feed() {
  const list = h('ol', { class: 'feed', 'aria-live': 'polite' });
  show('Live feed', h('p', {}, 'Failed checks as they are classified, newest first (refreshed every 3 s).'), list);
  feedAfter = 0;
  const poll = async () => {
    const rows = await api(`/api/feed?after=${feedAfter}&limit=50`);
    if (rows.length) feedAfter = rows[0].id;
    for (const r of rows.slice().reverse()) {
      list.prepend(h('li', {}, h('time', {}, time(r.at)), ' ', link(`/targets/${encodeURIComponent(r.target)}`, r.target), ` ${r.status ?? r.code ?? 'no answer'} `,
        r.cause ? h('code', {}, r.cause) : '', r.summary ? ` ${r.summary}` : ''));
    }
    while (list.children.length > 200) list.lastChild.remove();
    timer = setTimeout(() => poll().catch(() => {}), 3000);
  };
  await poll();
}

async function maintenancePage() {
  const list = await api('/api/maintenance');
  show('Maintenance windows',
    h('p', {}, 'Set in the config (maintenance:). Checks go on inside a window; no incident opens.'),
    list.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Targets', 'Start', 'End', 'Note', 'Now'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, list.map((m) => h('tr', {}, h('td', {}, m.targets.length ? m.targets.join(', ') : 'all'), h('td', {}, m.start), h('td', {}, m.end), h('td', {}, m.note || ''), h('td', {}, m.active ? 'active' : ''))))) : h('p', {}, 'None.'));
}

async function refresh(fn) {
  if (document.hidden) return void (timer = setTimeout(() => refresh(fn), 5000));
  try {
    await fn();
  } catch (err) {
    timer = setTimeout(() => refresh(fn), 10000);
    console.warn(err);
  }
}

async function render() {
  clearTimeout(timer);
  main.setAttribute('aria-busy', 'true');
  const p = location.pathname;
  const m = /^\/(targets|incidents)\/([^/]+)$/.exec(p);
  try {
    if (p === '/') await dashboard();
    else if (p === '/incidents') await incidents();
    else if (p === '/feed') await feed();
    else if (p === '/maintenance') await maintenancePage();
    else if (m && m[1] === 'targets') await target(decodeURIComponent(m[2]));
    else if (m && m[1] === 'incidents') await incident(Number(m[2]));
    else show('Not found', h('p', {}, 'No such page.'));
  } catch (err) {
    show('Error', h('p', { class: 'error', role: 'alert' }, String(err.message || err)));
  }
}

function go(href) {
  history.pushState(null, '', href);
  render().then(() => main.focus());
}

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-nav], nav[aria-label="Main"] a');
  if (!a || a.getAttribute('href') === '/status' || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  go(a.getAttribute('href'));
});
window.addEventListener('popstate', () => render());
document.getElementById('logout').addEventListener('click', async () => {
  await fetch('/logout', { method: 'POST', headers: { 'x-csrf-token': csrf }, credentials: 'same-origin' });
  location.assign('/login');
});

api('/api/session').then((sess) => {
  csrf = sess.csrf || '';
  document.getElementById('who').textContent = sess.user || '';
  return render();
}).then(() => performance.mark('fivexx-ready')).catch(() => {});
