import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorMediaType } from '../../src/providers/glance/errors.js';
import { as, jsonError, type TestApp, testApp } from './kit.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

const UNAUTHORIZED =
  'This server could not verify that you are authorized to access the document you requested. Either you ' +
  'supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply ' +
  'the credentials required.';

describe('error renderings chosen by Accept (bytes as real Glance 25 writes them)', () => {
  const missing = (accept?: string) => {
    const r = request(t.app).get('/v2/images/abc').set('X-Auth-Token', 'user-token');
    return accept === undefined ? r.unset('Accept') : r.set('Accept', accept);
  };

  it('*/* and text/html get the HTML page', async () => {
    for (const accept of ['*/*', 'text/html', 'text/html, application/json']) {
      const res = await missing(accept);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
      expect(res.text).toBe(
        '<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n' +
          '  No image found with ID abc<br /><br />\n\n\n\n </body>\n</html>',
      );
      expect(res.headers['content-length']).toBe('148');
    }
  });

  it('application/json gets webob JSON with Python spacing', async () => {
    const res = await missing('application/json');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(
      '{"message": "No image found with ID abc<br /><br />\\n\\n\\n", "code": "404 Not Found", "title": "Not Found"}',
    );
    expect(res.headers['content-length']).toBe('106');
  });

  it('no Accept or text/plain gets plain text with the tags stripped', async () => {
    for (const accept of [undefined, 'text/plain']) {
      const res = await missing(accept);
      expect(res.headers['content-type']).toBe('text/plain; charset=UTF-8');
      expect(res.text).toBe('404 Not Found\n\nNo image found with ID abc\n\n   ');
    }
  });

  it('HTML-escapes explanation and detail the way html.escape does', async () => {
    const res = await as(t, 'user').post('/v2/images', { status: 'active' }).set('Accept', 'text/html');
    expect(res.status).toBe(403);
    expect(res.text).toContain('  Attribute &#x27;status&#x27; is read-only.<br /><br />\n\n\n');
  });

  it('a detail goes after the stock explanation', async () => {
    const res = await as(t, 'user').post('/v2/images', { name: 'x', location: 'bogus' });
    expect(res.status).toBe(403);
    expect(res.text).toBe(
      '{"message": "Access was denied to this resource.<br /><br />\\nAttribute \'location\' is reserved.\\n\\n", "code": "403 Forbidden", "title": "Forbidden"}',
    );
  });

  it.each([
    ['application/json;q=0.5, text/html;q=0.9', 'html'],
    ['application/json, text/html;q=0.1', 'json'],
    ['application/*', 'json'],
    ['text/*', 'html'],
    ['image/png', 'plain'],
    ['text/html;q=0, application/json;q=0', 'plain'],
  ] as const)('Accept %s → %s', (accept, kind) => {
    expect(errorMediaType(accept)).toBe(kind);
  });
});

describe('401 from the token check', () => {
  it('missing token: webob text, no request id', async () => {
    const res = await request(t.app).get('/v2/images').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(jsonError('401 Unauthorized', UNAUTHORIZED));
    expect(res.headers['x-openstack-request-id']).toBeUndefined();
  });

  it('unknown token, plain rendering, byte for byte', async () => {
    const res = await request(t.app).get('/v2/images').set('X-Auth-Token', 'nope').unset('Accept');
    expect(res.status).toBe(401);
    expect(res.text).toBe(`401 Unauthorized\n\n${UNAUTHORIZED}\n\n   `);
    expect(res.headers['content-length']).toBe('253');
  });

  it('comes before routing: an unknown /v2 path without a token is 401', async () => {
    const res = await request(t.app).get('/v2/nothing-here');
    expect(res.status).toBe(401);
  });

  it('any mode accepts any non-empty token as an admin', async () => {
    const loose = await testApp({ auth: 'any' });
    const res = await request(loose.app).get('/v2/images?visibility=private').set('X-Auth-Token', 'whatever');
    expect(res.status).toBe(200);
    expect(res.body.images.length).toBeGreaterThan(0);
    const empty = await request(loose.app).get('/v2/images').set('X-Auth-Token', '');
    expect(empty.status).toBe(401);
  });
});

describe('routing errors', () => {
  it('unknown path under /v2: 404 with webob text, with a request id', async () => {
    const res = await as(t, 'user').get('/v2/nothing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(jsonError('404 Not Found', 'The resource could not be found.'));
    expect(res.headers['x-openstack-request-id']).toMatch(
      /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('405 with Allow and webob own template', async () => {
    const res = await as(t, 'user').put('/v2/images');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.text).toBe(
      '{"message": "The method PUT is not allowed for this resource. <br /><br />\\n", "code": "405 Method Not Allowed", "title": "Method Not Allowed"}',
    );
    const html = await request(t.app)
      .put('/v2/images')
      .set('X-Auth-Token', 'user-token')
      .set('Accept', '*/*');
    expect(html.text).toBe(
      '<html>\n <head>\n  <title>405 Method Not Allowed</title>\n </head>\n <body>\n  <h1>405 Method Not Allowed</h1>\n' +
        '  The method PUT is not allowed for this resource. <br /><br />\n\n </body>\n</html>',
    );
  });

  it.each([
    ['/v2/images/x', 'GET, PATCH, DELETE'],
    ['/v2/images/x/file', 'GET, PUT'],
    ['/v2/images/x/tags/y', 'PUT, DELETE'],
    ['/v2/images/x/members', 'GET, POST'],
    ['/v2/images/x/members/y', 'GET, PUT, DELETE'],
    ['/v2/images/x/actions/deactivate', 'POST'],
    ['/v2/schemas/image', 'GET'],
  ])('405 on %s allows %s', async (path, allow) => {
    const res = await as(t, 'user').post(path).set('X-HTTP-Method', 'x');
    const method = allow.includes('POST') ? 'patch' : 'post';
    const r = method === 'post' ? res : await as(t, 'user').patch(path, []);
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe(allow);
  });

  it('GET /v2/info/stores: multi backend is not configured', async () => {
    const res = await as(t, 'user').get('/v2/info/stores');
    expect(res.body).toEqual(jsonError('404 Not Found', 'Multi backend is not supported at this site.'));
  });

  it('a malformed percent escape in the path is a 404, not a 500', async () => {
    const res = await as(t, 'user').get('/v2/images/%E0%A4%A');
    expect(res.status).toBe(404);
  });
});
