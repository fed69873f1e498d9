/* global document, Option, confirm */
// The store of the selected instance, one provider's collection at a time:
// found by id or name, a record opened as JSON, deleted with a button (the
// /__admin/store routes).
import { api, idPath } from './api.js';

const $ = (selector) => document.querySelector(selector);
/** Rows drawn at most: a store of 100,000 images is searched, not scrolled. */
const SHOWN = 200;
/** What a record is called, by the first of these fields it has. */
const NAME_FIELDS = ['name', 'username', 'namespace', 'reference'];

const view = { providers: [], records: [], ids: [] };

const selected = () => ({ provider: $('#store-provider').value, collection: $('#store-collection').value });
const nameOf = (record) => {
  const field = NAME_FIELDS.find((f) => typeof record[f] === 'string');
  return field ? record[field] : '';
};

function fillCollections() {
  const provider = view.providers.find((p) => p.name === $('#store-provider').value);
  const wanted = $('#store-collection').value;
  const names = provider ? provider.collections : [];
  $('#store-collection').replaceChildren(...names.map((c) => new Option(c, c)));
  if (names.includes(wanted)) $('#store-collection').value = wanted;
}

/** The providers of the instance just selected (`GET /__admin/providers`), then its records. */
export function showProviders(providers) {
  view.providers = providers;
  const wanted = $('#store-provider').value;
  $('#store-provider').replaceChildren(...providers.map((p) => new Option(p.name, p.name)));
  if (providers.some((p) => p.name === wanted)) $('#store-provider').value = wanted;
  fillCollections();
  return loadStore();
}

export async function loadStore() {
  const { provider, collection } = selected();
  $('#store-error').textContent = '';
  if (!provider || !collection) return;
  try {
    const { records, ids } = await api(`store/${provider}/${collection}`);
    Object.assign(view, { records, ids });
  } catch (err) {
    Object.assign(view, { records: [], ids: [] });
    $('#store-error').textContent = err.message;
  }
  render();
}

function render() {
  const { provider, collection } = selected();
  const wanted = $('#store-search').value.trim().toLowerCase();
  const matches = [];
  for (let i = 0; i < view.records.length && matches.length < SHOWN + 1; i++) {
    const id = view.ids[i];
    const name = nameOf(view.records[i]);
    if (!wanted || id.toLowerCase().includes(wanted) || name.toLowerCase().includes(wanted))
      matches.push({ id, name, record: view.records[i] });
  }
  const rows = matches.slice(0, SHOWN).map(({ id, name, record }) => {
    const row = document.createElement('tr');
    row.dataset.id = id;
    for (const text of [id, name]) {
      const td = document.createElement('td');
      td.className = 'path';
      td.textContent = text;
      row.appendChild(td);
    }
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'delete';
    remove.onclick = async (ev) => {
      ev.stopPropagation();
      if (!confirm(`Delete ${id} from ${provider} ${collection}?`)) return;
      try {
        await api(`store/${provider}/${collection}/${idPath(id)}`, { method: 'DELETE' });
        $('#record').hidden = true;
      } catch (err) {
        $('#store-error').textContent = err.message;
      }
      await loadStore();
    };
    const td = document.createElement('td');
    td.appendChild(remove);
    row.appendChild(td);
    row.onclick = () => {
      $('#record').hidden = false;
      $('#record').textContent = JSON.stringify(record, null, 2);
    };
    return row;
  });
  $('#store tbody').replaceChildren(...rows);
  const total = view.records.length;
  $('#store-count').textContent = wanted
    ? `${matches.length > SHOWN ? `more than ${SHOWN}` : matches.length} of ${total} match`
    : `${total} record${total === 1 ? '' : 's'}${total > SHOWN ? `, the first ${SHOWN} shown` : ''}`;
}

/** Reloads the records when the journal shows a write to the provider on view. */
export function noticeRequests(entries) {
  const { provider } = selected();
  if (entries.some((e) => e.provider === provider && !['GET', 'HEAD', 'OPTIONS'].includes(e.method)))
    return loadStore();
}

$('#store-provider').onchange = () => {
  fillCollections();
  $('#record').hidden = true;
  return loadStore();
};
$('#store-collection').onchange = () => {
  $('#record').hidden = true;
  return loadStore();
};
$('#store-search').oninput = render;
$('#store-form').onsubmit = (ev) => {
  ev.preventDefault();
  return loadStore();
};
