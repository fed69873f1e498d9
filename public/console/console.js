/* global document, fetch, Option, URLSearchParams, alert, setInterval, prompt, sessionStorage */
// The mock's web console: plain browser JavaScript, no build step. Every
// call goes to the admin API relative to this page, so it works behind any
// prefix. Text from requests is only ever set with textContent.

const $ = (selector) => document.querySelector(selector);
const state = { base: '', since: 0, timer: null };

// With --admin-token the admin API answers 401 until the token comes along: ask once, keep it for the tab.
const TOKEN_KEY = 'image-api-mocks admin token';
const tokenHeaders = () => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
};

const api = async (path, init = {}, asked = false) => {
  const res = await fetch(state.base + path, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...tokenHeaders(), ...(init.headers || {}) },
  });
  if (res.status === 401 && !asked) {
    const token = prompt('This mock protects its admin API (--admin-token). Token:');
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token.trim());
      return api(path, init, true);
    }
  }
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(body && body.error ? body.error : `${res.status} ${res.statusText}`);
  return body;
};

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

async function loadProviders() {
  const providers = await api('providers');
  const box = $('#providers');
  box.replaceChildren();
  for (const p of providers) {
    const div = document.createElement('div');
    div.className = 'provider';
    div.dataset.provider = p.name;
    const title = document.createElement('strong');
    title.textContent = `${p.title} (${p.name})`;
    const link = document.createElement('a');
    link.href = p.openapi;
    link.textContent = ' OpenAPI';
    const banner = document.createElement('pre');
    banner.textContent = p.banner.join('\n');
    div.append(title, link, banner);
    if (p.endpoints.length) {
      const list = document.createElement('pre');
      list.className = 'muted';
      list.textContent = p.endpoints.map((e) => `${e.method.padEnd(6)} ${e.path}  ${e.summary}`).join('\n');
      div.appendChild(list);
    }
    box.appendChild(div);
  }
}

async function loadSandboxes() {
  const select = $('#instance');
  try {
    const { sandboxes } = await fetch('sandboxes', { headers: tokenHeaders() }).then((r) =>
      r.ok ? r.json() : { sandboxes: [] },
    );
    const wanted = select.value;
    select.replaceChildren(new Option('main', ''));
    for (const s of sandboxes) select.appendChild(new Option(`sandbox ${s.id}`, s.id));
    select.value = sandboxes.some((s) => s.id === wanted) ? wanted : '';
  } catch {
    // inside a sandbox there are no sandboxes to list
  }
}

async function loadClock() {
  const clock = await api('clock');
  $('#clock-now').textContent = clock.now;
  $('#clock-frozen').textContent = clock.frozen ? 'frozen' : 'running';
}

function describeMatch(f) {
  const parts = [f.provider, [].concat(f.method || []).join(','), f.path].filter(Boolean);
  const limits = [
    f.times !== undefined && `next ${f.times}`,
    f.expiresAt && `until ${f.expiresAt}`,
    f.probability !== undefined && `p=${f.probability}`,
  ].filter(Boolean);
  return [parts.join(' ') || 'every request', ...limits].join(', ');
}

function describeEffect(f) {
  const parts = [];
  if (f.latency !== undefined)
    parts.push(
      typeof f.latency === 'number'
        ? `latency ${f.latency} ms`
        : `latency ${f.latency.min}-${f.latency.max} ms`,
    );
  if (f.drop) parts.push('drop connection');
  if (f.status !== undefined || f.retryAfter !== undefined) parts.push(`status ${f.status || 429}`);
  if (f.retryAfter !== undefined) parts.push(`Retry-After ${f.retryAfter}`);
  if (f.throttle) parts.push(`${f.throttle} B/s`);
  return parts.join(', ');
}

async function loadFaults() {
  const { faults } = await api('faults');
  const body = $('#faults tbody');
  body.replaceChildren();
  for (const f of faults) {
    const row = document.createElement('tr');
    row.dataset.id = f.id;
    if (!f.active) row.className = 'inactive';
    cell(row, f.id);
    cell(row, describeMatch(f));
    cell(row, describeEffect(f));
    cell(row, f.hits);
    cell(row, f.active ? 'active' : 'spent');
    const remove = document.createElement('button');
    remove.textContent = 'remove';
    remove.onclick = () => api(`faults/${encodeURIComponent(f.id)}`, { method: 'DELETE' }).then(loadFaults);
    cell(row, '').appendChild(remove);
    body.appendChild(row);
  }
}

async function pollJournal() {
  const { entries } = await api(`journal?since=${state.since}`);
  const body = $('#journal tbody');
  for (const e of entries) {
    state.since = Math.max(state.since, e.id);
    const row = document.createElement('tr');
    row.dataset.id = String(e.id);
    cell(row, e.id);
    cell(row, e.time.slice(11, 23));
    cell(row, e.provider);
    cell(row, e.method);
    cell(row, Object.keys(e.query).length ? `${e.path}?${new URLSearchParams(e.query)}` : e.path, 'path');
    cell(row, e.status === null ? 'dropped' : e.status, `s${String(e.status ?? 5)[0]}`);
    cell(row, e.durationMs);
    cell(row, e.fault);
    row.onclick = () => {
      const pre = $('#entry');
      pre.hidden = false;
      pre.textContent = JSON.stringify(e, null, 2);
    };
    body.prepend(row);
  }
  while (body.rows.length > 500) body.deleteRow(-1);
}

async function refresh() {
  try {
    await Promise.all([pollJournal(), loadFaults(), loadClock()]);
    $('#status').textContent = `live · ${new Date().toLocaleTimeString()}`;
    $('#status').className = 'muted';
  } catch (err) {
    $('#status').textContent = `not reachable: ${err.message}`;
    $('#status').className = 'error';
  }
}

function switchInstance(id) {
  state.base = id ? `../__sandbox/${encodeURIComponent(id)}/__admin/` : '';
  state.since = 0;
  $('#journal tbody').replaceChildren();
  $('#entry').hidden = true;
  return Promise.all([loadProviders(), refresh()]);
}

$('#instance').onchange = (ev) => switchInstance(ev.target.value);
$('#instance').onfocus = loadSandboxes;
$('#journal-clear').onclick = () =>
  api('journal', { method: 'DELETE' }).then(() => $('#journal tbody').replaceChildren());
$('#faults-clear').onclick = () => api('faults', { method: 'DELETE' }).then(loadFaults);
$('#fault-form').onsubmit = async (ev) => {
  ev.preventDefault();
  $('#fault-error').textContent = '';
  try {
    await api('faults', { method: 'POST', body: $('#fault-rule').value });
    await loadFaults();
  } catch (err) {
    $('#fault-error').textContent = err.message;
  }
};
$('#clock-form').onsubmit = async (ev) => {
  ev.preventDefault();
  const at = $('#clock-at').value.trim();
  await api('clock/freeze', { method: 'POST', body: JSON.stringify(at ? { at } : {}) }).catch((err) =>
    alert(err.message),
  );
  await loadClock();
};
$('#clock-release').onclick = () => api('clock/release', { method: 'POST', body: '{}' }).then(loadClock);

await loadSandboxes();
await switchInstance('');
state.timer = setInterval(refresh, 1000);
