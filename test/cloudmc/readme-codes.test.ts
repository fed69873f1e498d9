import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { expect, it } from 'vitest';
import { CODES } from '../../src/providers/cloudmc/errors.js';
import { testApp } from '../helpers.js';

const KEY = { 'MC-Api-Key': 'mc-demo-key' };

const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** The codes of the README's CloudMC error table: the `| status | code | when |` rows of its section. */
function readmeCodes(): number[] {
  const start = readme.indexOf('### StackPath Edge and Cox Edge (CloudMC)');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return [...section.matchAll(/^\|[^|\n]*\|\s*(\d{4})\s*\|/gm)].map((m) => Number(m[1]));
}

it('the README lists every error code the CloudMC provider can answer, and no other', () => {
  const listed = readmeCodes();
  expect(listed.length).toBeGreaterThan(0);
  expect([...listed].sort()).toEqual(Object.values(CODES).sort());
});

it('an injected fault and a bad X-Mock-Fault header answer code 1099, as the README says', async () => {
  const { app } = await testApp();
  const images = '/api/v1/services/stackpath/test-area/images';
  const fault = await request(app).get(images).set(KEY).set('X-Mock-Fault', 'status=503');
  expect(fault.status).toBe(503);
  expect(fault.body.errors[0].code).toBe(CODES.internal);
  const bad = await request(app).get(images).set(KEY).set('X-Mock-Fault', 'bogus=1');
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].code).toBe(CODES.internal);
  expect(readme).toMatch(/\| any {4}\| 1099 \| an injected fault/);
});
