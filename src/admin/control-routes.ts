import type { Request, Router } from 'express';
import type { MockContext } from '../context.js';
import { applyClockAction, CLOCK_ACTIONS, type ClockAction } from '../control/clock-control.js';
import { asObject, badRequest, notFound } from '../control/errors.js';
import { parseFaultRule } from '../control/fault-rule.js';
import { parseJournalFilter, parseJournalSettings } from '../control/journal.js';
import { sendText } from '../http/respond.js';
import type { Provider } from '../providers/provider.js';
import { param, send } from './respond.js';

const query = (req: Request) => req.query as Record<string, unknown>;

/** Journal, faults, clock and snapshots of one mock instance. */
export function controlRoutes(router: Router, ctx: MockContext, providers: readonly Provider[]): void {
  const { controls } = ctx;
  const { journal, faults, snapshots } = controls;

  router.get('/journal', (req, res) => {
    const entries = journal.list(parseJournalFilter(query(req)));
    send(res, 200, { entries, next: journal.next, settings: journal.settings });
  });
  router.get('/journal/count', (req, res) => {
    send(res, 200, { count: journal.count(parseJournalFilter(query(req))) });
  });
  router.delete('/journal', (_req, res) => {
    journal.clear();
    sendText(res, 204, null, '');
  });
  router.get('/journal/settings', (_req, res) => send(res, 200, journal.settings));
  router.put('/journal/settings', (req, res) => {
    send(res, 200, journal.configure(parseJournalSettings(asObject(req.body, 'journal settings'))));
  });
  // one request and its answer, as the console opens it (after /count and /settings, which are no ids)
  router.get('/journal/:id', (req, res) => {
    const id = param(req, 'id');
    if (!/^[1-9]\d{0,15}$/.test(id))
      throw badRequest(`journal entry id must be a positive integer, got '${id}'`);
    const entry = journal.get(Number(id));
    if (!entry) throw notFound(`no journal entry ${id} (never made, or dropped or cleared since)`);
    send(res, 200, entry);
  });

  const providerNames = providers.map((p) => p.name);
  router.get('/faults', (_req, res) => send(res, 200, { faults: faults.list() }));
  router.post('/faults', (req, res) => {
    const input: unknown = req.body;
    const rules = (Array.isArray(input) ? input : [input]).map((r) => parseFaultRule(r, providerNames));
    const added = rules.map((r) => faults.add(r));
    send(res, 201, Array.isArray(input) ? { faults: added } : added[0]);
  });
  router.get('/faults/:id', (req, res) => send(res, 200, faults.get(param(req, 'id'))));
  router.delete('/faults/:id', (req, res) => {
    faults.remove(param(req, 'id'));
    sendText(res, 204, null, '');
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    sendText(res, 204, null, '');
  });

  router.get('/clock', (_req, res) => send(res, 200, ctx.clock.state()));
  router.post('/clock/:action', (req, res) => {
    const action = param(req, 'action') as ClockAction;
    if (!CLOCK_ACTIONS.includes(action)) {
      throw badRequest(`clock: no action '${action}' (actions: ${CLOCK_ACTIONS.join(', ')})`);
    }
    applyClockAction(ctx.clock, action, req.body);
    send(res, 200, ctx.clock.state());
  });

  router.get('/snapshots', (_req, res) => send(res, 200, { snapshots: snapshots.list() }));
  router.put('/snapshots/:name', async (req, res) =>
    send(res, 201, await snapshots.save(param(req, 'name'))),
  );
  router.post('/snapshots/:name/restore', async (req, res) =>
    send(res, 200, await snapshots.restore(param(req, 'name'))),
  );
  router.delete('/snapshots/:name', (req, res) => {
    snapshots.delete(param(req, 'name'));
    sendText(res, 204, null, '');
  });
}
