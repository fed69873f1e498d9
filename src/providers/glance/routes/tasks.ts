import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Resource } from '../../../http/route-table.js';
import { callerFrom } from '../auth.js';
import { glanceErrors } from '../errors.js';
import { databaseTime, type TaskRecord, taskSummary, taskToWire } from '../model/tasks.js';
import { errorDoc as error, type GlanceRoutes, readJsonBody, requestIdOf } from './kit.js';

const TASK_TYPES = ['import', 'api_image_import'];
const forbidden = error(403, 'Not an admin (tasks_api_access)');

/**
 * The tasks API: admin only by Glance's default policy. Imports record
 * their tasks themselves; POST /v2/tasks takes the legacy `import` kind,
 * whose source must pass the same filter as a web-download.
 */
export function taskResources(k: GlanceRoutes): Resource[] {
  const { ctx, reply, tasks, importer } = k;

  const requireAdmin = (res: Response) => {
    if (!callerFrom(res).isAdmin) {
      throw glanceErrors.forbidden('You are not authorized to complete tasks_api_access action.');
    }
  };

  const list = (req: Request, res: Response) => {
    requireAdmin(res);
    // newest first, as Glance's default sort (created_at desc)
    const all = [...tasks.all()].sort((a, b) =>
      a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0,
    );
    reply(
      req,
      res,
      200,
      { tasks: all.map(taskSummary), first: '/v2/tasks', schema: '/v2/schemas/tasks' },
      'glance/tasks',
    );
  };

  const show = (req: Request, res: Response) => {
    requireAdmin(res);
    const id = req.params.id as string;
    const task = tasks.get(id);
    if (!task) throw glanceErrors.notFound(`Could not find task ${id}`);
    reply(req, res, 200, taskToWire(task), 'glance/task');
  };

  const create = async (req: Request, res: Response) => {
    requireAdmin(res);
    const body = (await readJsonBody(ctx, req, res)) as Record<string, unknown> | null;
    const fields = body !== null && typeof body === 'object' ? body : {};
    if (!Object.hasOwn(fields, 'input')) throw glanceErrors.badRequest("Task 'input' is required");
    if (!TASK_TYPES.includes(fields.type as string)) {
      throw glanceErrors.badRequest(
        `Provided object does not match schema 'task': ${JSON.stringify(fields.type)} is not one of ['import', 'api_image_import']`,
      );
    }
    const input = (fields.input ?? {}) as Record<string, unknown>;
    const source = input.import_from;
    if (typeof source !== 'string' || source === '') {
      throw glanceErrors.badRequest(`Invalid location: ${typeof source === 'string' ? source : 'None'}`);
    }
    if (!(await importer.sourcePasses(source))) {
      throw glanceErrors.badRequest(`URI for legacy import task does not pass filtering: ${source}`);
    }
    const caller = callerFrom(res);
    const stamp = databaseTime(ctx.clock.now());
    const task: TaskRecord = {
      id: randomUUID(),
      type: 'import',
      status: 'pending',
      owner: caller.projectId,
      created_at: stamp,
      updated_at: stamp,
      expires_at: null,
      image_id: null,
      request_id: requestIdOf(res),
      user_id: caller.userId,
      input,
      result: null,
      message: '',
    };
    const stored = await tasks.insert(task);
    res.once('finish', () => void importer.runLegacy(stored, caller));
    reply(req, res, 201, taskToWire(stored), 'glance/task', { Location: `/v2/tasks/${stored.id}` });
  };

  return [
    {
      path: '/tasks',
      operations: {
        GET: {
          summary: 'List tasks (admin), newest first',
          responses: [{ status: 200, description: 'The tasks', schema: 'glance/tasks' }, forbidden],
          handler: list,
        },
        POST: {
          summary: 'Create a legacy import task (admin): an image from import_from',
          request: { schema: 'glance/task' },
          responses: [
            { status: 201, description: 'The task (pending)', schema: 'glance/task' },
            error(400, 'No input, an unknown type, or a source that does not pass filtering'),
            forbidden,
            error(413, 'Body too large'),
          ],
          handler: create,
        },
      },
    },
    {
      path: '/tasks/:id',
      operations: {
        GET: {
          summary: 'Show a task (admin)',
          responses: [
            { status: 200, description: 'The task', schema: 'glance/task' },
            forbidden,
            error(404, 'No such task'),
          ],
          handler: show,
        },
      },
    },
  ];
}
