import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { pollution } from './kit/invariants.js';
import { isRegistered, mockErrorProblem } from './kit/profiles.js';
import { type RawRequest, send, startTestServer } from './kit/raw-http.js';

/**
 * Prototype pollution, path traversal, invalid UTF-8, deep nesting and
 * repeated query parameters: each case with the answer it must get.
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ auth: 'any' });
});
afterAll(() => server.close());
afterEach(() => expect(pollution()).toEqual([]));

const ask = (req: RawRequest) => send(server.url, req);
const json = (text: string) => JSON.parse(text) as unknown;

const MC = { 'MC-Api-Key': 'mc-demo-key' };
const DEMO = { Authorization: 'Token 6507c5b574a4142649e869c02c4eed085353fa75' };
const ALLIANCE = {
  'X-Target-Ns': 'ccsr1',
  'X-Environment-Id': 'hostile',
  'Content-Type': 'application/json',
};
const GLANCE = { 'X-Auth-Token': 'hostile-admin', Accept: 'application/json' };
const PATCH_21 = 'application/openstack-images-v2.1-json-patch';
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const cloudmcError = (text: string) =>
  (json(text) as { errors: { code: number; message: string }[] }).errors[0]!;

describe('prototype pollution', () => {
  it('admin API: __proto__ and constructor are unknown fields', async () => {
    for (const key of ['__proto__', 'constructor']) {
      const res = await ask({
        method: 'POST',
        path: '/__admin/store/cloudmc/images',
        headers: { 'Content-Type': 'application/json' },
        body: `{"${key}":{"polluted":"yes"},"serviceCode":"cox","family":"p","tag":"v1"}`,
      });
      expect(res.status).toBe(400);
      expect((json(res.text) as { error: string }).error).toContain(key);
    }
  });

  it('CloudMC: pollution-shaped query parameters are ordinary unknown parameters', async () => {
    const plain = await ask({
      method: 'GET',
      path: '/api/v1/services/stackpath/test-area/images',
      headers: MC,
    });
    const res = await ask({
      method: 'GET',
      path: '/api/v1/services/stackpath/test-area/images?__proto__[polluted]=yes&constructor[prototype][polluted]=yes',
      headers: MC,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe(plain.text);
  });

  it.runIf(isRegistered('sharedcloud'))(
    'Sharedcloud login: an extra __proto__ field is ignored as DRF ignores unknown fields',
    async () => {
      const res = await ask({
        method: 'POST',
        path: '/api/v1/api-token-auth/',
        headers: { 'Content-Type': 'application/json' },
        body: '{"username":"demo","password":"demo-password","__proto__":{"polluted":"yes"}}',
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"token":"6507c5b574a4142649e869c02c4eed085353fa75"}');
    },
  );

  it.runIf(isRegistered('alliance'))(
    'Alliance: __proto__ and constructor are unknown attributes (400)',
    async () => {
      const wrapped = await ask({
        method: 'POST',
        path: '/images',
        headers: ALLIANCE,
        body: '{"image":{"name":"p","__proto__":{"polluted":"yes"}}}',
      });
      expect(wrapped.status).toBe(400);
      expect(json(wrapped.text)).toEqual({
        error: { code: 400, title: 'Bad Request', message: "Unknown attribute '__proto__'." },
      });
      const bare = await ask({
        method: 'POST',
        path: '/images',
        headers: ALLIANCE,
        body: '{"name":"p","constructor":{"prototype":{"polluted":"yes"}}}',
      });
      expect(bare.status).toBe(400);
      expect((json(bare.text) as { error: { message: string } }).error.message).toBe(
        "Unknown attribute 'constructor'.",
      );
    },
  );

  describe.runIf(isRegistered('glance'))('Glance JSON Patch paths', () => {
    let id: string;
    beforeAll(async () => {
      const res = await ask({
        method: 'POST',
        path: '/v2/images',
        headers: { ...GLANCE, 'Content-Type': 'application/json' },
        body: '{"name":"pollution-target"}',
      });
      expect(res.status).toBe(201);
      id = (json(res.text) as { id: string }).id;
    });
    const patch = (ops: unknown) =>
      ask({
        method: 'PATCH',
        path: `/v2/images/${id}`,
        headers: { ...GLANCE, 'Content-Type': PATCH_21 },
        body: JSON.stringify(ops),
      });

    it('/constructor/prototype is a nested pointer: 400', async () => {
      const res = await patch([{ op: 'add', path: '/constructor/prototype', value: 'x' }]);
      expect(res.status).toBe(400);
      expect(res.text).toContain("Invalid JSON pointer for this resource: '/constructor/prototype'");
    });

    it('/__proto__ with an object value is not a string property: 400', async () => {
      const res = await patch([{ op: 'add', path: '/__proto__', value: { polluted: 'yes' } }]);
      expect(res.status).toBe(400);
    });

    it('/__proto__ with a string value is an ordinary custom property, kept as such', async () => {
      const res = await patch([{ op: 'add', path: '/__proto__', value: 'kept' }]);
      expect(res.status).toBe(200);
      const image = json(res.text) as Record<string, unknown>;
      expect(Object.getOwnPropertyDescriptor(image, '__proto__')?.value).toBe('kept');
      const again = await ask({ method: 'GET', path: `/v2/images/${id}`, headers: GLANCE });
      expect(Object.getOwnPropertyDescriptor(json(again.text), '__proto__')?.value).toBe('kept');
    });
  });
});

describe('path traversal', () => {
  it('CloudMC: dot segments, raw or encoded, are part of an image id that does not exist', async () => {
    for (const id of ['../../../../etc/passwd', '..%2F..%2F..%2F..%2Fetc%2Fpasswd']) {
      const res = await ask({
        method: 'GET',
        path: `/api/v1/services/stackpath/test-area/images/${id}`,
        headers: MC,
      });
      expect(res.status).toBe(404);
      expect(cloudmcError(res.text)).toMatchObject({
        code: 1006,
        message: "Image '../../../../etc/passwd' not found.",
      });
    }
  });

  it.runIf(isRegistered('sharedcloud'))(
    'Sharedcloud: an encoded traversal is not a uuid: 404 Not found.',
    async () => {
      const res = await ask({ method: 'GET', path: '/api/v1/images/..%2F..%2Fetc%2Fpasswd/', headers: DEMO });
      expect(res.status).toBe(404);
      expect(res.text).toBe('{"detail":"Not found."}');
    },
  );

  it.runIf(isRegistered('alliance'))(
    'Alliance: an encoded traversal is an unknown image reference',
    async () => {
      const res = await ask({ method: 'GET', path: '/images/..%2F..%2Fetc%2Fpasswd', headers: ALLIANCE });
      expect(res.status).toBe(404);
      expect((json(res.text) as { error: { message: string } }).error.message).toBe(
        'No image found with ID ../../etc/passwd',
      );
    },
  );

  it('admin API: a traversal in a record id names no record', async () => {
    const res = await ask({
      method: 'DELETE',
      path: '/__admin/store/cloudmc/images/..%2F..%2F..%2Fetc%2Fpasswd',
    });
    expect(res.status).toBe(404);
  });

  it.runIf(isRegistered('glance'))(
    'Glance image data: a traversal id uploads nothing, data files stay in the blob directory',
    async () => {
      const res = await ask({
        method: 'PUT',
        path: '/v2/images/..%2F..%2F..%2Ftmp%2Fowned/file',
        headers: { ...GLANCE, 'Content-Type': 'application/octet-stream' },
        body: 'bytes',
      });
      expect(res.status).toBe(404);
      const created = await ask({
        method: 'POST',
        path: '/v2/images',
        headers: { ...GLANCE, 'Content-Type': 'application/json' },
        body: '{"name":"with-data","disk_format":"raw","container_format":"bare"}',
      });
      const id = (json(created.text) as { id: string }).id;
      const upload = await ask({
        method: 'PUT',
        path: `/v2/images/${id}/file`,
        headers: { ...GLANCE, 'Content-Type': 'application/octet-stream' },
        body: 'image bytes',
      });
      expect(upload.status).toBe(204);
      const root = server.ctx.store.blobRoot;
      const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(0);
      for (const f of files)
        expect(path.resolve(f.parentPath, f.name).startsWith(`${root}${path.sep}`)).toBe(true);
    },
  );
});

describe('invalid UTF-8', () => {
  const badJson = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);

  it.runIf(isRegistered('alliance'))(
    'Alliance: a JSON body with invalid bytes is refused, not decoded with U+FFFD',
    async () => {
      const res = await ask({ method: 'POST', path: '/images', headers: ALLIANCE, body: badJson });
      expect(res.status).toBe(400);
      expect(json(res.text)).toEqual({
        error: { code: 400, title: 'Bad Request', message: 'Request body is not valid UTF-8.' },
      });
    },
  );

  it.runIf(isRegistered('sharedcloud'))(
    'Sharedcloud login: CPython’s decode error, as DRF reports it',
    async () => {
      const res = await ask({
        method: 'POST',
        path: '/api/v1/api-token-auth/',
        headers: { 'Content-Type': 'application/json' },
        body: badJson,
      });
      expect(res.status).toBe(400);
      expect(res.text).toBe(
        `{"detail":"JSON parse error - 'utf-8' codec can't decode byte 0xff in position 9: invalid start byte"}`,
      );
    },
  );

  // Real Glance 25 answers exactly this.
  it.runIf(isRegistered('glance'))(
    'Glance: a JSON body with invalid bytes is malformed JSON (400)',
    async () => {
      const res = await ask({
        method: 'POST',
        path: '/v2/images',
        headers: { ...GLANCE, 'Content-Type': 'application/json' },
        body: badJson,
      });
      expect(res.status).toBe(400);
      expect(res.text).toBe(
        '{"message": "Malformed JSON in request body.<br /><br />\\n\\n\\n", "code": "400 Bad Request", "title": "Bad Request"}',
      );
    },
  );

  it('CloudMC: a path segment that decodes to invalid UTF-8 is an unknown route', async () => {
    const res = await ask({ method: 'GET', path: '/api/v1/services/%FF%FE/test-area/images', headers: MC });
    expect(res.status).toBe(404);
    expect(cloudmcError(res.text).code).toBe(1007);
  });

  it('CloudMC: a key with non-ASCII bytes is an invalid key', async () => {
    const res = await ask({
      method: 'GET',
      path: '/api/v1/services/stackpath/test-area/images',
      headers: { 'MC-Api-Key': 'mc-demo-key\u00ff' },
    });
    // `any` mode accepts any non-empty key; the bytes must still not break anything
    expect(res.status).toBe(200);
    const strict = await startTestServer();
    try {
      const refused = await send(strict.url, {
        method: 'GET',
        path: '/api/v1/services/stackpath/test-area/images',
        headers: { 'MC-Api-Key': 'mc-demo-key\u00ff' },
      });
      expect(refused.status).toBe(401);
      expect(cloudmcError(refused.text)).toMatchObject({ code: 1002, message: 'Invalid API key.' });
    } finally {
      await strict.close();
    }
  });

  it.runIf(isRegistered('sharedcloud'))(
    'Sharedcloud: a token with non-UTF-8 bytes gets DRF’s invalid characters 401',
    async () => {
      const res = await ask({
        method: 'GET',
        path: '/api/v1/images/',
        headers: { Authorization: 'Token \u00ff\u00fe' },
      });
      expect(res.status).toBe(401);
      expect(res.text).toBe(
        '{"detail":"Invalid token header. Token string should not contain invalid characters."}',
      );
    },
  );
});

describe('deeply nested JSON (100 000 levels, under the body cap)', () => {
  const deep = deepArray(100_000);

  it.runIf(isRegistered('alliance'))(
    'Alliance: 400 saying it is too deep (not malformed), never a stack overflow',
    async () => {
      const res = await ask({
        method: 'POST',
        path: '/images',
        headers: ALLIANCE,
        body: `{"image":{"tags":${deep}}}`,
      });
      expect(res.status).toBe(400);
      expect((json(res.text) as { error: { message: string } }).error.message).toBe(
        'JSON in request body is nested deeper than 1000 levels of arrays and objects.',
      );
    },
  );

  it.runIf(isRegistered('glance'))('Glance: 400 saying it is too deep, never a stack overflow', async () => {
    const res = await ask({
      method: 'POST',
      path: '/v2/images',
      headers: { ...GLANCE, 'Content-Type': 'application/json' },
      body: `{"name":${deep}}`,
    });
    expect(res.status).toBe(400);
    // (real Glance 25 answers 500 here; the mock never does, and calls it what it is to a client)
    expect(JSON.parse(res.text)).toMatchObject({
      message:
        'JSON in request body is nested deeper than 1000 levels of arrays and objects.<br /><br />\n\n\n',
    });
  });

  it.runIf(isRegistered('sharedcloud'))(
    'Sharedcloud login: 400 with CPython’s recursion message, never a 500',
    async () => {
      const res = await ask({
        method: 'POST',
        path: '/api/v1/api-token-auth/',
        headers: { 'Content-Type': 'application/json' },
        body: deep,
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('maximum recursion depth exceeded');
    },
  );

  it('admin API: 400 saying it is too deep, never a stack overflow', async () => {
    const res = await ask({
      method: 'POST',
      path: '/__admin/store/cloudmc/images',
      headers: { 'Content-Type': 'application/json' },
      body: `{"serviceCode":"cox","family":${deep},"tag":"v1"}`,
    });
    expect(res.status).toBe(400);
    expect(mockErrorProblem(res)).toBeNull();
    expect(json(res.text)).toEqual({ error: 'body is nested deeper than 1000 levels of arrays and objects' });
  });

  it('nesting at the limit is still parsed (the guard counts brackets outside strings only)', async () => {
    const res = await ask({
      method: 'POST',
      path: '/__admin/store/cloudmc/images',
      headers: { 'Content-Type': 'application/json' },
      body: `{"serviceCode":"cox","environment":"test-area","family":"nest","tag":"v1","description":"${'['.repeat(5000)}"}`,
    });
    expect(res.status).toBe(201);
  });
});

describe('repeated query parameters', () => {
  it('CloudMC: imageType given twice is "any other value": every image', async () => {
    const base = '/api/v1/services/stackpath/test-area/images';
    const all = await ask({ method: 'GET', path: base, headers: MC });
    const twice = await ask({
      method: 'GET',
      path: `${base}?imageType=default&imageType=custom`,
      headers: MC,
    });
    expect(twice.status).toBe(200);
    expect(twice.text).toBe(all.text);
  });

  it.runIf(isRegistered('sharedcloud'))(
    'Sharedcloud: instance given twice uses the last value, as Django’s QueryDict.get',
    async () => {
      const demoLaptop = '26118515-35c9-4467-a57f-50d562829a94';
      const alices = '08776df1-277a-4d80-a075-2dda548c80ec';
      const strip = (text: string) => text.replace(/"current_server_time":"[^"]*"/g, '');
      const last = await ask({
        method: 'GET',
        path: `/api/v1/images/?instance=${alices}&instance=${demoLaptop}`,
        headers: DEMO,
      });
      const only = await ask({
        method: 'GET',
        path: `/api/v1/images/?instance=${demoLaptop}`,
        headers: DEMO,
      });
      expect(last.status).toBe(200);
      expect((json(last.text) as unknown[]).length).toBe(1);
      expect(strip(last.text)).toBe(strip(only.text));
    },
  );

  it.runIf(isRegistered('glance'))(
    'Glance: limit given twice is popped once, the second stays as a property filter (as real Glance 25 answers)',
    async () => {
      const res = await ask({ method: 'GET', path: '/v2/images?limit=1&limit=2', headers: GLANCE });
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"images": [], "first": "/v2/images?limit=2", "schema": "/v2/schemas/images"}');
    },
  );

  it.runIf(isRegistered('alliance'))(
    'Alliance: repeated parameters change nothing about the list',
    async () => {
      const plain = await ask({ method: 'GET', path: '/images', headers: ALLIANCE });
      const res = await ask({
        method: 'GET',
        path: '/images?name=a&name=b&limit=1&limit=2',
        headers: ALLIANCE,
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe(plain.text);
    },
  );
});
