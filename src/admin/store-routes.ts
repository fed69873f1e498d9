import type { Router } from 'express';
import type { MockContext } from '../context.js';
import { collectionOf, findRecord, insertRecords, removeRecord } from '../control/records.js';
import { sendText } from '../http/respond.js';
import type { Provider } from '../providers/provider.js';
import { joinedParam, param, send } from './respond.js';

/** Direct access to every provider's collections, so a test can arrange exactly the state it needs. */
export function storeRoutes(router: Router, ctx: MockContext, providers: readonly Provider[]): void {
  router.get('/store/:provider/:collection', (req, res) => {
    const { records } = collectionOf(ctx, providers, param(req, 'provider'), param(req, 'collection'));
    const all = records.all();
    // each record's id as `…/{id}` takes it (CloudMC's is composite): the console's delete button needs it
    send(res, 200, { records: all, ids: all.map((r) => records.idOf(r)) });
  });

  router.post('/store/:provider/:collection', async (req, res) => {
    const records = await insertRecords(
      ctx,
      providers,
      param(req, 'provider'),
      param(req, 'collection'),
      req.body,
    );
    send(res, 201, { records });
  });

  // empties one collection: a suite (Tempest, say) that expects a fresh service starts from none of the fixtures
  router.delete('/store/:provider/:collection', async (req, res) => {
    const { records } = collectionOf(ctx, providers, param(req, 'provider'), param(req, 'collection'));
    await records.replaceAll([]);
    sendText(res, 204, null, '');
  });

  router.get('/store/:provider/:collection/*id', (req, res) => {
    send(
      res,
      200,
      findRecord(ctx, providers, param(req, 'provider'), param(req, 'collection'), joinedParam(req, 'id')),
    );
  });

  router.delete('/store/:provider/:collection/*id', async (req, res) => {
    await removeRecord(
      ctx,
      providers,
      param(req, 'provider'),
      param(req, 'collection'),
      joinedParam(req, 'id'),
    );
    sendText(res, 204, null, '');
  });
}
