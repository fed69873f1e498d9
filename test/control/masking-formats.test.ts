import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/control/journal.js';
import { maskBody, maskQuery } from '../../src/control/masking.js';
import { testApp } from '../helpers.js';

/** What the README's Sharedcloud login example sends and gets back (fixture user `demo`). */
const LOGIN = '/api/v1/api-token-auth/';
const PASSWORD = 'demo-password';
const TOKEN = '6507c5b574a4142649e869c02c4eed085353fa75';

let t: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  t = await testApp();
});

const journalText = async () => JSON.stringify((await request(t.app).get('/__admin/journal')).body);
const onlyEntry = async () => {
  const { entries } = (await request(t.app).get('/__admin/journal')).body as {
    entries: JournalEntry[];
  };
  expect(entries).toHaveLength(1);
  return entries[0]!;
};

describe('credentials are masked in the journal in every body format', () => {
  it('a form login (the README example, curl -d): the password and the token it answers', async () => {
    const res = await request(t.app)
      .post(LOGIN)
      .type('form')
      .send(`username=demo&password=${PASSWORD}`)
      .expect(200);
    expect(res.body).toEqual({ token: TOKEN });
    const entry = await onlyEntry();
    expect(entry.request.body).toBe('username=demo&password=[masked]');
    expect(entry.response.body).toBe('{"token":"[masked]"}');
    const all = await journalText();
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);
  });

  it('a multipart login', async () => {
    await request(t.app).post(LOGIN).field('username', 'demo').field('password', PASSWORD).expect(200);
    const entry = await onlyEntry();
    expect(entry.request.body).toContain('name="username"\r\n\r\ndemo\r\n');
    expect(entry.request.body).toContain('name="password"\r\n\r\n[masked]\r\n');
    const all = await journalText();
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);
  });

  it('a JSON login', async () => {
    await request(t.app).post(LOGIN).send({ username: 'demo', password: PASSWORD }).expect(200);
    const all = await journalText();
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);
  });

  it('credentials in the query string', async () => {
    await request(t.app).get(`/api/v1/images/?token=${TOKEN}&password=${PASSWORD}&instance=x`);
    const entry = await onlyEntry();
    expect(entry.query).toEqual({ token: '[masked]', password: '[masked]', instance: 'x' });
    const all = await journalText();
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);
  });
});

describe('maskBody and maskQuery', () => {
  it('form bodies: percent-encoded names too, other fields byte for byte', () => {
    expect(maskBody('a=1&pass%77ord=x%20y&api_key=k&b=%41', 'application/x-www-form-urlencoded')).toBe(
      'a=1&pass%77ord=[masked]&api_key=[masked]&b=%41',
    );
  });

  it('multipart bodies, a part cut off mid-value included; file parts named otherwise are kept', () => {
    const type = 'multipart/form-data; boundary=XyZ';
    const body =
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="password.txt"\r\n\r\nkept\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="password"\r\n\r\nhunter2\r\n--XyZ--\r\n';
    expect(maskBody(body, type)).toBe(body.replace('hunter2', '[masked]'));
    const cut = '--XyZ\r\nContent-Disposition: form-data; name="token"\r\n\r\nabcd';
    expect(maskBody(cut, type)).toBe(cut.replace('abcd', '[masked]'));
  });

  it('query strings: repeated names too', () => {
    expect(maskQuery({ password: ['a', 'b'], sort_key: 'name', api_key: 'k' })).toEqual({
      password: ['[masked]', '[masked]'],
      sort_key: 'name',
      api_key: '[masked]',
    });
  });
});

describe('one list of credential names for every body format', () => {
  // the same names, as a form, as multipart fields and as JSON: each format masks exactly the same ones
  const names = [
    'password',
    'passwords',
    'passphrase',
    'client_secret',
    'access_key',
    'api-key',
    'id_token',
    'key',
  ];
  const plain = ['username', 'name', 'monkey_business'];
  it('JSON masks the names a form masks, and no others', () => {
    for (const name of [...names, ...plain]) {
      const form = maskBody(`${name}=v4lue`, 'application/x-www-form-urlencoded');
      const json = maskBody(JSON.stringify({ [name]: 'v4lue' }), 'application/json');
      const masked = !form.includes('v4lue');
      expect(masked, `${name} in a form`).toBe(names.includes(name));
      expect(!json.includes('v4lue'), `${name} in JSON`).toBe(masked);
    }
  });
  it('stays linear on a body of escaped quotes (no scan from every quote to the end)', () => {
    const hostile = `{"a":"${'\\"'.repeat(200_000)}`;
    expect(maskBody(hostile, 'application/json')).toBe(hostile);
  });
});
