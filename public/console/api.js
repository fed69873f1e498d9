/* global fetch, prompt, sessionStorage */
// Calls to the admin API, relative to the console's page so it works behind any prefix.

/** Where the selected instance's admin API is, relative to the page: '' for the main one. */
export const target = { base: '' };

// With --admin-token the admin API answers 401 until the token comes along: ask once, keep it for the tab.
const TOKEN_KEY = 'image-api-mocks admin token';
export const tokenHeaders = () => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
};

// the calls a refresh makes at once all meet the 401: one question for all of them
let asking = null;
function askToken() {
  asking ??= Promise.resolve().then(() => {
    const token = prompt('This mock protects its admin API (--admin-token). Token:');
    if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
    return Boolean(token);
  });
  return asking;
}

/** The JSON answer of an admin call, `path` relative to the selected instance's admin API. */
export async function api(path, init = {}) {
  const call = () =>
    fetch(target.base + path, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...tokenHeaders(), ...(init.headers || {}) },
    });
  let res = await call();
  if (res.status === 401 && (await askToken())) {
    res = await call();
    if (res.status === 401) {
      // a wrong token, or one a restarted mock no longer takes: asked for again on the next call
      sessionStorage.removeItem(TOKEN_KEY);
      asking = null;
    }
  }
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(body && body.error ? body.error : `${res.status} ${res.statusText}`);
  return body;
}

/** A path segment for each part of an id that may hold slashes (CloudMC's `{serviceCode}/{id}`). */
export const idPath = (id) => id.split('/').map(encodeURIComponent).join('/');
