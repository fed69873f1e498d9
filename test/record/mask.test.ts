import { describe, expect, it } from 'vitest';
import { maskExchange } from '../../src/record/proxy.js';
import { MASK, maskBodyText, maskHeaders, SecretSet } from '../../src/record/mask.js';

describe('credential masking', () => {
  it('masks every credential header, keeping the Authorization scheme and cookie names', () => {
    const secrets = new SecretSet();
    expect(
      maskHeaders(
        {
          'x-auth-token': 'gAAAAAtoken-value',
          'X-Subject-Token': 'subject-token-1',
          'mc-api-key': 'mc-key-123456',
          authorization: 'Token 6507c5b574a4142649e869c02c4eed085353fa75',
          cookie: 'sessionid=abcdef123456; csrftoken=zzzzzz999999',
          'set-cookie': ['sessionid=abcdef123456; Path=/; HttpOnly'],
          accept: 'application/json',
        },
        secrets,
      ),
    ).toEqual({
      'x-auth-token': MASK,
      'X-Subject-Token': MASK,
      'mc-api-key': MASK,
      authorization: `Token ${MASK}`,
      cookie: `sessionid=${MASK}; csrftoken=${MASK}`,
      'set-cookie': [`sessionid=${MASK}; Path=/; HttpOnly`],
      accept: 'application/json',
    });
    // every value is remembered, so the scrub pass removes it anywhere else it appears
    expect(secrets.scrub('echo zzzzzz999999 and mc-key-123456')).toBe(`echo ${MASK} and ${MASK}`);
  });

  it('masks passwords and tokens in JSON login bodies (Sharedcloud, Keystone password and token methods)', () => {
    const secrets = new SecretSet();
    const masked = (text: string) => JSON.parse(maskBodyText(text, 'application/json', secrets)) as unknown;
    expect(masked('{"username":"demo","password":"demo-password"}')).toEqual({
      username: 'demo',
      password: MASK,
    });
    expect(masked('{"token":"6507c5b574a4142649e869c02c4eed085353fa75"}')).toEqual({ token: MASK });
    const keystone = {
      auth: {
        identity: {
          methods: ['password', 'token'],
          password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } },
          token: { id: 'gAAAAAprevious-token' },
        },
        scope: { project: { id: 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1' } },
      },
    };
    const out = masked(JSON.stringify(keystone)) as typeof keystone;
    expect(out.auth.identity.password.user).toEqual({
      name: 'demo',
      domain: { id: 'default' },
      password: MASK,
    });
    expect(out.auth.identity.token).toEqual({ id: MASK });
    expect(out.auth.scope.project.id).toBe('b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1');
  });

  it('masks form-encoded logins and leaves other bodies byte for byte', () => {
    const secrets = new SecretSet();
    expect(
      maskBodyText('username=demo&password=demo-password', 'application/x-www-form-urlencoded', secrets),
    ).toBe(`username=demo&password=${MASK}`);
    const spaced = '{"images": [], "first": "/v2/images"}';
    expect(maskBodyText(spaced, 'application/json', secrets)).toBe(spaced);
  });

  it('scrubs a secret wherever it shows up again: echoed in a URL, a body, another header', () => {
    const secrets = new SecretSet();
    const exchange = maskExchange(
      {
        provider: 'glance',
        at: '2026-01-01T00:00:00Z',
        request: {
          method: 'GET',
          path: '/v2/images?token=my-secret-token-1&name=x',
          headers: { 'x-auth-token': 'my-secret-token-1' },
        },
        response: {
          status: 401,
          headers: { 'content-type': 'text/plain', 'x-debug': 'token my-secret-token-1 refused' },
          body: { encoding: 'utf8', text: 'token my-secret-token-1 is not valid' },
        },
      },
      secrets,
    );
    expect(exchange.request.path).toBe(`/v2/images?token=${MASK}&name=x`);
    const written = secrets.scrub(JSON.stringify(exchange));
    expect(written).not.toContain('my-secret-token-1');
    expect(written).toContain(`token ${MASK} is not valid`);
  });
});
