/* global document, URLSearchParams, TextEncoder */
// One journal entry opened: the request and the answer side by side, each
// with its headers and its body. The journal has masked the credentials
// already; this shows what it gives. Text is only ever set with textContent.

const $ = (selector) => document.querySelector(selector);

/** `path?query` as the client sent it. */
export const requestTarget = (e) =>
  Object.keys(e.query).length ? `${e.path}?${new URLSearchParams(e.query)}` : e.path;

/** A body as text worth reading: JSON indented, anything else as sent. */
export function prettyBody(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text; // not JSON, or JSON cut off at the journal's byte limit
  }
}

function showSide(side, headers, captured) {
  if (!side.querySelector('.headers')) side.append($('#side').content.cloneNode(true));
  const rows = Object.entries(headers).map(([name, value]) => {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = name;
    const td = document.createElement('td');
    td.textContent = value;
    row.append(th, td);
    return row;
  });
  side.querySelector('.headers tbody').replaceChildren(...rows);
  const note = side.querySelector('.body-note');
  const pre = side.querySelector('.body');
  pre.hidden = captured.body === null;
  pre.textContent = captured.body === null ? '' : prettyBody(captured.body);
  note.textContent =
    captured.body === null
      ? captured.bytes
        ? `${captured.bytes} bytes of binary data, not kept`
        : 'no body'
      : captured.truncated
        ? `the first ${new TextEncoder().encode(captured.body).length} of ${captured.bytes} bytes`
        : `${captured.bytes} bytes`;
}

export function showEntry(e) {
  $('#entry').hidden = false;
  $('#entry-line').textContent =
    `${e.method} ${requestTarget(e)} → ${e.status === null ? 'dropped' : e.status}`;
  $('#entry-facts').textContent = [
    `#${e.id}`,
    e.time,
    e.provider ?? 'no provider',
    e.sandbox && `sandbox ${e.sandbox}`,
    `${e.durationMs} ms`,
    e.fault && `fault ${e.fault}`,
  ]
    .filter(Boolean)
    .join(' · ');
  showSide($('#entry-request'), e.headers, e.request);
  showSide($('#entry-response'), e.responseHeaders, e.response);
}

export function hideEntry() {
  $('#entry').hidden = true;
}
