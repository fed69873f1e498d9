/**
 * Glance's tasks: the record an import leaves (`api_image_import`) and the
 * legacy `POST /v2/tasks` kind. Glance keeps microsecond timestamps in its
 * database; the tasks API shows whole seconds with `Z`, the image-tasks
 * API the database's own form (microseconds, no zone).
 */

export type TaskStatus = 'pending' | 'processing' | 'success' | 'failure';

export interface TaskRecord {
  id: string;
  type: 'api_image_import' | 'import';
  status: TaskStatus;
  owner: string;
  /** Microsecond ISO instants without a zone, as Glance's database keeps them. */
  created_at: string;
  updated_at: string;
  /** Set when the task ends: its results are kept this long (task_time_to_live, 48 h). */
  expires_at: string | null;
  image_id: string | null;
  request_id: string | null;
  user_id: string | null;
  input: Record<string, unknown>;
  result: Record<string, unknown> | null;
  message: string;
}

/** How long Glance keeps a finished task (its task_time_to_live default). */
export const TASK_TIME_TO_LIVE_MS = 48 * 60 * 60 * 1000;

/** An instant as Glance's database holds it: `2026-12-03T10:32:10.461946`. */
export const databaseTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000');

/** The tasks API's whole seconds: `2026-12-03T10:32:10Z`. */
const apiTime = (stamp: string | null) => (stamp === null ? null : `${stamp.slice(0, 19)}Z`);

/** GET /v2/tasks/{id}: the whole task, in Glance's field order. */
export function taskToWire(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    input: t.input,
    type: t.type,
    status: t.status,
    owner: t.owner,
    message: t.message,
    result: t.result,
    created_at: apiTime(t.created_at),
    updated_at: apiTime(t.updated_at),
    self: `/v2/tasks/${t.id}`,
    schema: '/v2/schemas/task',
    // the schema types these as strings: a task without one leaves it out
    ...(t.image_id === null ? {} : { image_id: t.image_id }),
    ...(t.request_id === null ? {} : { request_id: t.request_id }),
    ...(t.user_id === null ? {} : { user_id: t.user_id }),
    ...(t.expires_at === null ? {} : { expires_at: apiTime(t.expires_at) }),
  };
}

/** One entry of GET /v2/tasks: no input, result or message. */
export function taskSummary(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    type: t.type,
    status: t.status,
    owner: t.owner,
    created_at: apiTime(t.created_at),
    updated_at: apiTime(t.updated_at),
    self: `/v2/tasks/${t.id}`,
    schema: '/v2/schemas/task',
    ...(t.expires_at === null ? {} : { expires_at: apiTime(t.expires_at) }),
  };
}

/** One entry of GET /v2/images/{id}/tasks: the database row as it is. */
export function imageTaskToWire(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    type: t.type,
    status: t.status,
    owner: t.owner,
    expires_at: t.expires_at,
    created_at: t.created_at,
    updated_at: t.updated_at,
    deleted_at: null,
    deleted: false,
    image_id: t.image_id,
    request_id: t.request_id,
    user_id: t.user_id,
    input: t.input,
    result: t.result,
    message: t.message,
  };
}
