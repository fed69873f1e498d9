import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { parseFaultRule } from '../../src/control/fault-rule.js';
import { createInstance } from '../../src/instance.js';
import { providers } from '../../src/providers/index.js';
import { testApp } from '../helpers.js';

const KEY = 'mc-demo-key';
const LIST = '/api/v1/services/stackpath/test-area/images';
const names = providers.map((p) => p.name);

describe('createInstance: one step builds a whole instance', () => {
  it('a sandbox gets its own context, controls and router; main and sandbox never share faults or journals', async () => {
    const { ctx, app } = await testApp();
    // a rule the main instance has before any sandbox exists must not reach the sandbox
    ctx.controls.faults.add(parseFaultRule({ path: LIST, status: 503 }, names));
    await ctx.controls.sandboxes!.create({ id: 'one' });
    const sandbox = ctx.controls.sandboxes!.get('one');

    expect(sandbox.ctx.controls).toBe(sandbox.controls);
    expect(sandbox.controls).not.toBe(ctx.controls);
    expect(sandbox.controls.faults).not.toBe(ctx.controls.faults);
    expect(sandbox.controls.journal).not.toBe(ctx.controls.journal);
    expect(sandbox.controls.sandbox).toBe('one');
    expect(sandbox.controls.sandboxes).toBeNull();

    await request(app).get(LIST).set('MC-Api-Key', KEY).expect(503);
    await request(app).get(`/__sandbox/one${LIST}`).set('MC-Api-Key', KEY).expect(200);

    sandbox.controls.faults.add(parseFaultRule({ path: LIST, status: 429 }, names));
    ctx.controls.faults.clear();
    await request(app).get(`/__sandbox/one${LIST}`).set('MC-Api-Key', KEY).expect(429);
    await request(app).get(LIST).set('MC-Api-Key', KEY).expect(200);

    expect(ctx.controls.journal.count({}), 'main saw its own two requests').toBe(2);
    expect(sandbox.controls.journal.count({}), 'the sandbox saw its own two').toBe(2);
    await ctx.controls.sandboxes!.close();
    await ctx.store.close();
  });

  it('an instance built on its own serves every provider and its admin API from its router', async () => {
    const { ctx } = await testApp();
    const instance = createInstance(
      {
        config: ctx.config,
        store: ctx.store,
        validator: ctx.validator,
        logger: ctx.logger,
        clock: ctx.clock,
      },
      providers,
      'solo',
    );
    expect(instance.ctx.controls).toBe(instance.controls);
    const app = express().use(instance.router);
    await request(app).get(LIST).set('MC-Api-Key', KEY).expect(200);
    const health = await request(app).get('/__admin/health').expect(200);
    expect(health.body.providers).toEqual(names);
    // the provider request is journaled (admin requests never are), with no app around the router
    await expect.poll(() => instance.controls.journal.count({})).toBe(1);
    await ctx.store.close();
  });
});
