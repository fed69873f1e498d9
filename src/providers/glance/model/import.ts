import { glanceErrors } from '../errors.js';
import type { Caller, ImageRecord } from './image.js';

/** The import methods the mock advertises (/v2/info/import, the create answer's header) and implements. */
export const IMPORT_METHODS = ['glance-direct', 'web-download', 'copy-image'] as const;
export type ImportMethod = (typeof IMPORT_METHODS)[number];

/** The properties Glance keeps on an image while (and after) importing it. */
export const IMPORT_TASK = 'os_glance_import_task';
export const IMPORTING_TO_STORES = 'os_glance_importing_to_stores';
export const FAILED_IMPORT = 'os_glance_failed_import';

export interface ImportRequest {
  method: ImportMethod;
  /** web-download's source, as given (Glance words a missing one as `None`). */
  uri: unknown;
  body: Record<string, unknown>;
}

/** Glance's deserializer checks, in its order, with its wording. */
export function parseImportRequest(body: unknown): ImportRequest {
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const request = fields as Record<string, unknown>;
  if (!Object.hasOwn(request, 'method'))
    throw glanceErrors.badRequest("Import request requires a 'method' field.");
  const method = request.method;
  if (method === null || typeof method !== 'object' || !Object.hasOwn(method, 'name')) {
    throw glanceErrors.badRequest("Import request requires a 'name' field.");
  }
  const name = (method as Record<string, unknown>).name;
  if (!(IMPORT_METHODS as readonly unknown[]).includes(name)) {
    throw glanceErrors.badRequest(`Unknown import method name '${String(name)}'.`);
  }
  for (const flag of ['all_stores_must_succeed', 'all_stores']) {
    if (Object.hasOwn(request, flag) && typeof request[flag] !== 'boolean') {
      throw glanceErrors.badRequest(`'${flag}' must be boolean value only`);
    }
  }
  return { method: name as ImportMethod, uri: (method as Record<string, unknown>).uri, body: request };
}

/**
 * What Glance's import_image checks on the image, in its order: the status
 * each method needs, both formats, then who may (copy-image: admins, by
 * the default policy; the others: the owner), then the import lock.
 */
export function checkImportable(
  image: ImageRecord,
  caller: Caller,
  method: ImportMethod,
  /** Whether the task named by the image's import lock is still running (a stale lock is taken over). */
  lockHeld: boolean,
): void {
  if (image.status === 'active' && method !== 'copy-image') {
    throw glanceErrors.conflict('Image with status active cannot be target for import');
  }
  if (image.status !== 'active' && method === 'copy-image') {
    throw glanceErrors.conflict('Only images with status active can be targeted for copying');
  }
  if (image.status !== 'queued' && method === 'web-download') {
    throw glanceErrors.conflict(`Image needs to be in 'queued' state to use '${method}' method`);
  }
  if (image.status !== 'uploading' && method === 'glance-direct') {
    throw glanceErrors.conflict("Image needs to be staged before 'glance-direct' method can be used");
  }
  if (!image.container_format)
    throw glanceErrors.conflict("'container_format' needs to be set before import");
  if (!image.disk_format) throw glanceErrors.conflict("'disk_format' needs to be set before import");
  if (method === 'copy-image') {
    if (!caller.isAdmin)
      throw glanceErrors.forbidden('You are not authorized to complete copy_image action.');
  } else if (!caller.isAdmin && image.owner !== caller.projectId) {
    throw glanceErrors.forbidden('You are not authorized to complete modify_image action.');
  }
  if (lockHeld) throw glanceErrors.conflict('Image has active task');
}

/** After the image checks: a single-store Glance refuses letting some stores fail (its message names the URI). */
export function checkStoreFlags(request: ImportRequest): void {
  if (request.body.all_stores_must_succeed !== false) return;
  const uri = typeof request.uri === 'string' ? request.uri : 'None';
  throw glanceErrors.badRequest(`All_stores_must_succeed can only be set with enabled_backends ${uri}`);
}
