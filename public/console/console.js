/* global document, fetch, Option, alert, setInterval */
// The mock's web console: plain browser JavaScript, no build step. Every
// call goes to the admin API relative to this page, so it works behind any
// prefix. Text from requests is only ever set with textContent.
import { api, target, tokenHeaders } from './api.js';
import { hideEntry, requestTarget, showEntry } from './entry.js';
import { noticeRequests, showProviders } from './store.js';

const $ = (selector) => document.querySelector(selector);
const state = { since: 0, sandboxes: '' };

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
  return providers;
}

/** The main instance's sandboxes, asked for on every refresh: one made by a test shows at once. */
async function loadSandboxes() {
  const select = $('#instance');
  let sandboxes;
  try {
    const res = await fetch('sandboxes', { headers: tokenHeaders() });
    // inside a sandbox (its own console) there are no sandboxes to list
    sandboxes = res.ok ? (await res.json()).sandboxes : [];
  } catch {
    return;
  }
  const ids = sandboxes.map((s) => s.id);
  // the options are only redrawn when the list changed, so an open dropdown stays as it is
  if (ids.join('\n') === state.sandboxes) return;
  state.sandboxes = ids.join('\n');
  const wanted = select.value;
  select.replaceChildren(new Option('main', ''), ...ids.map((id) => new Option(`sandbox ${id}`, id)));
  select.value = ids.includes(wanted) ? wanted : '';
  if (select.value !== wanted) await switchInstance(''); // the sandbox on view was deleted
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

async function openEntry(row, id) {
  for (const other of document.querySelectorAll('#journal tr.selected')) other.classList.remove('selected');
  row.classList.add('selected');
  try {
    showEntry(await api(`journal/${id}`));
  } catch (err) {
    $('#status').textContent = `entry ${id}: ${err.message}`;
  }
}

async function pollJournal() {
  const base = target.base;
  const { entries } = await api(`journal?since=${state.since}`);
  if (base !== target.base) return; // another instance was selected meanwhile
  const body = $('#journal tbody');
  for (const e of entries) {
    state.since = Math.max(state.since, e.id);
    const row = document.createElement('tr');
    row.dataset.id = String(e.id);
    cell(row, e.id);
    cell(row, e.time.slice(11, 23), 'wide');
    cell(row, e.provider);
    cell(row, e.method);
    cell(row, requestTarget(e), 'path');
    cell(row, e.status === null ? 'dropped' : e.status, `s${String(e.status ?? 5)[0]}`);
    cell(row, e.durationMs, 'wide');
    cell(row, e.fault);
    row.onclick = () => openEntry(row, e.id);
    body.prepend(row);
  }
  while (body.rows.length > 500) body.deleteRow(-1);
  await noticeRequests(entries);
}

async function refresh() {
  try {
    await Promise.all([pollJournal(), loadFaults(), loadClock(), loadSandboxes()]);
    $('#status').textContent = `live · ${new Date().toLocaleTimeString()}`;
    $('#status').className = 'muted';
  } catch (err) {
    $('#status').textContent = `not reachable: ${err.message}`;
    $('#status').className = 'error';
  }
}

async function switchInstance(id) {
  target.base = id ? `../__sandbox/${encodeURIComponent(id)}/__admin/` : '';
  state.since = 0;
  $('#journal tbody').replaceChildren();
  hideEntry();
  await Promise.all([loadProviders().then(showProviders), refresh()]);
}

$('#instance').onchange = (ev) => switchInstance(ev.target.value);
$('#entry-close').onclick = hideEntry;
$('#journal-clear').onclick = () =>
  api('journal', { method: 'DELETE' }).then(() => {
    $('#journal tbody').replaceChildren();
    hideEntry();
  });
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

await switchInstance('');
setInterval(refresh, 1000);
