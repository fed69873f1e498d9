import { describe, expect, it } from 'vitest';
import { loadDeliberate, markDeliberate } from '../../src/drift/deliberate.js';
import { diffJson } from '../../src/drift/difference.js';
import { normaliseJson } from '../../src/drift/normalize.js';
import { scenarios } from '../../src/drift/scenarios.js';
import { diffSerialization, styleOf } from '../../src/drift/serialization.js';

describe('JSON differences by path', () => {
  it('names missing, extra, type and value differences, and odd keys in brackets', () => {
    const real = { a: 1, b: [1, 2], c: { d: 'x' }, 'e-f': true, g: null };
    const mock = { a: 2, b: [1], c: { d: 'x', z: 0 }, 'e-f': 'true', g: {} };
    expect(diffJson(real, mock)).toEqual([
      { kind: 'value', path: '$.a', real: 1, mock: 2 },
      { kind: 'missing', path: '$.b[1]', real: 2 },
      { kind: 'extra', path: '$.c.z', mock: 0 },
      { kind: 'type', path: '$["e-f"]', real: true, mock: 'true' },
      { kind: 'type', path: '$.g', real: null, mock: 'object {}' },
    ]);
  });

  it('reports key order once per object, over the keys both share', () => {
    expect(diffJson({ a: 1, b: 2, c: 3 }, { b: 2, a: 1, c: 3 })).toEqual([
      { kind: 'key-order', path: '$', real: ['a', 'b', 'c'], mock: ['b', 'a', 'c'] },
    ]);
    expect(diffJson({ a: 1, b: 2 }, { a: 1, x: 0, b: 2 })).toEqual([{ kind: 'extra', path: '$.x', mock: 0 }]);
  });
});

describe('serialisation differences', () => {
  it('tells Python json.dumps spacing from compact and pretty JSON', () => {
    expect(styleOf('{"a": [1, 2]}')).toMatchObject({ afterColon: ' ', afterComma: ' ' });
    expect(diffSerialization('{"a": 1, "b": 2}', '{"a":1,"b":2}').map((d) => d.path)).toEqual([
      '$ (spacing after ":")',
      '$ (spacing after ",")',
    ]);
    expect(diffSerialization('{\n  "a": 1\n}', '{"a": 1}').map((d) => d.path)).toEqual(['$ (line breaks)']);
  });

  it('tells escaped from raw non-ASCII and slashes, and ignores what one side does not show', () => {
    expect(diffSerialization('{"n": "caf\\u00e9"}', '{"n": "café"}')).toEqual([
      { kind: 'serialization', path: '$ (non-ASCII escaping)', real: '"escaped"', mock: '"raw"' },
    ]);
    expect(diffSerialization('{"u": "\\/v2"}', '{"u": "/v2"}').map((d) => d.path)).toEqual([
      '$ ("/" escaping)',
    ]);
    expect(diffSerialization('{"a": 1}', '{"a": 2}')).toEqual([]);
    expect(diffSerialization('[]', '[1, 2]')).toEqual([]);
  });
});

describe('normalisation', () => {
  const side = (base: string, vars: [string, string][] = []) => ({ base, vars: new Map(vars) });

  it('replaces hosts, captured values and request ids, and keeps a timestamp only as its format', () => {
    const value = {
      self: 'http://127.0.0.1:9292/v2/images/abc-123',
      created_at: '2024-05-01T10:11:12Z',
      micro: '2020-11-10T20:33:32.609434Z',
      drf: '22-09-2018 00:45:50',
      request: 'req-0b0f9bb1-5a3e-4c3c-9e0e-3c1c8d8f4a11',
    };
    expect(normaliseJson(value, side('http://127.0.0.1:9292', [['a', 'abc-123']]))).toEqual({
      self: '{base}/v2/images/{a}',
      created_at: '0000-00-00T00:00:00Z',
      micro: '0000-00-00T00:00:00.000000Z',
      drf: '00-00-0000 00:00:00',
      request: 'req-{request-id}',
    });
  });

  it('sorts arrays under set keys only', () => {
    const rules = { setKeys: ['tags'] };
    expect(normaliseJson({ tags: ['b', 'a'], list: ['b', 'a'] }, side('http://h:1'), rules)).toEqual({
      tags: ['a', 'b'],
      list: ['b', 'a'],
    });
  });
});

describe('deliberate differences', () => {
  it('marks a difference the rules list, by step, kind and path prefix, and nothing else', () => {
    const differences = [
      { kind: 'missing' as const, path: '$.properties.stores' },
      { kind: 'missing' as const, path: '$.properties.other' },
      { kind: 'status' as const, path: 'status' },
    ];
    markDeliberate('schema-image', differences, [
      { step: 'schema-*', kind: 'missing', path: '$.properties.stores*', reason: 'spec note' },
      { step: 'create-array-body', reason: 'another step' },
    ]);
    expect(differences.map((d) => (d as { deliberate?: string }).deliberate)).toEqual([
      'spec note',
      undefined,
      undefined,
    ]);
  });
});

describe('the deliberate-differences files', () => {
  it.each(Object.values(scenarios))(
    '$provider: every rule names a step of the scenario and cites the spec note',
    (scenario) => {
      const steps = scenario
        .steps({
          allowWrites: true,
          runId: '0123abcd',
          params: Object.fromEntries(
            Object.entries(scenario.params ?? {}).map(([k, p]) => [k, p.default || 'x']),
          ),
        })
        .map((s) => s.name);
      for (const rule of loadDeliberate(scenario.provider)) {
        expect(
          steps.some((s) =>
            rule.step.endsWith('*') ? s.startsWith(rule.step.slice(0, -1)) : s === rule.step,
          ),
        ).toBe(true);
        expect(rule.reason).toMatch(/spec note/);
      }
    },
  );

  it('Glance keeps exactly the two differences its spec note documents', () => {
    expect(loadDeliberate('glance').map((r) => r.step)).toEqual([
      'create-array-body',
      'schema-image',
      'schema-images',
    ]);
  });
});

describe('reordered records', () => {
  it('reports the same records in another order once, then compares each with its namesake', () => {
    const real = [
      { id: 'b', n: 2 },
      { id: 'a', n: 1 },
    ];
    const mock = [
      { id: 'a', n: 1 },
      { id: 'b', n: 3 },
    ];
    expect(diffJson({ images: real }, { images: mock })).toEqual([
      { kind: 'order', path: '$.images', real: ['b', 'a'], mock: ['a', 'b'] },
      { kind: 'value', path: '$.images[0].n', real: 2, mock: 3 },
    ]);
  });

  it('falls back to positions when the records differ', () => {
    expect(diffJson([{ id: 'a' }, { id: 'b' }], [{ id: 'a' }, { id: 'c' }])).toEqual([
      { kind: 'value', path: '$[1].id', real: 'b', mock: 'c' },
    ]);
  });
});
