import { glanceErrors } from '../errors.js';
import { schemaFailure } from './schema-check.js';
import {
  BASE_ATTRIBUTES,
  DISALLOWED_FIELDS,
  type ImageRecord,
  isReservedName,
  SERVER_SET_FIELDS,
  setOwn,
} from './image.js';

export const PATCH_MEDIA_TYPES: Record<string, 4 | 10> = {
  'application/openstack-images-v2.0-json-patch': 4,
  'application/openstack-images-v2.1-json-patch': 10,
};

const OPERATIONS = ['add', 'remove', 'replace'] as const;
type Operation = (typeof OPERATIONS)[number];

export interface Change {
  op: Operation;
  /** The property name: Glance accepts top-level paths only. */
  name: string;
  value?: unknown;
  draft: 4 | 10;
}

const READ_ONLY = new Set([...SERVER_SET_FIELDS, ...DISALLOWED_FIELDS, 'id']);

/**
 * Glance's PATCH deserializer: the body must be an array of operation
 * objects (draft 10 `op`/`path` or draft 4 `{"add": path}`), each path a
 * top-level JSON pointer, each value valid against the image schema. The
 * property name is an ordinary string: it is never used to walk an object,
 * so `/__proto__` is just a (custom property) name.
 */
export function parseChanges(body: unknown, draft: 4 | 10, imageSchema: Record<string, unknown>): Change[] {
  if (!Array.isArray(body))
    throw glanceErrors.badRequest('Request body must be a JSON array of operation objects.');
  return body.map((raw) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw glanceErrors.badRequest('Operations must be JSON objects.');
    }
    const change = raw as Record<string, unknown>;
    const op = draft === 10 ? operationD10(change) : operationD4(change);
    const pointer = draft === 10 ? pathD10(change) : change[op];
    const path = decodePointer(pointer);
    if (path.length !== (path[0] === 'locations' && op !== 'replace' ? 2 : 1)) {
      throw glanceErrors.badRequest(`Invalid JSON pointer for this resource: '/${path.join('/')}'`);
    }
    const name = path[0]!;
    let value: unknown;
    if (op !== 'remove') {
      if (!Object.hasOwn(change, 'value')) {
        throw glanceErrors.badRequest(`Operation "${op}" requires a member named "value".`);
      }
      value = change.value;
    }
    if (READ_ONLY.has(name)) throw glanceErrors.forbidden(`Attribute '${name}' is read-only.`);
    if (isReservedName(name)) throw glanceErrors.forbidden(`Attribute '${name}' is reserved.`);
    if (op !== 'remove' && path.length === 1) {
      const failure = schemaFailure('image', imageSchema, Object.fromEntries([[name, value]]));
      if (failure) throw glanceErrors.badRequest(failure);
    }
    return { op, name, value, draft };
  });
}

function operationD10(change: Record<string, unknown>): Operation {
  const supported = OPERATIONS.join(', ');
  if (!Object.hasOwn(change, 'op')) {
    throw glanceErrors.badRequest(
      `Unable to find \`op\` in JSON Schema change. It must be one of the following: ${supported}.`,
    );
  }
  const op = change.op;
  if (!(OPERATIONS as readonly unknown[]).includes(op)) {
    throw glanceErrors.badRequest(
      `Invalid operation: \`${String(op)}\`. It must be one of the following: ${supported}.`,
    );
  }
  return op as Operation;
}

function operationD4(change: Record<string, unknown>): Operation {
  const present = OPERATIONS.filter((op) => Object.hasOwn(change, op));
  if (present.length > 1) {
    throw glanceErrors.badRequest(
      'Operation objects must contain only one member named "add", "remove", or "replace".',
    );
  }
  if (present.length === 0) {
    throw glanceErrors.badRequest(
      'Operation objects must contain exactly one member named "add", "remove", or "replace".',
    );
  }
  return present[0]!;
}

function pathD10(change: Record<string, unknown>): unknown {
  if (!Object.hasOwn(change, 'path'))
    throw glanceErrors.badRequest("Unable to find 'path' in JSON Schema change");
  return change.path;
}

function decodePointer(pointer: unknown): string[] {
  const p = typeof pointer === 'string' ? pointer : JSON.stringify(pointer);
  const bad = (why: string) => glanceErrors.badRequest(`Pointer \`${p}\` ${why}`);
  if (!p.startsWith('/')) throw bad('does not start with "/".');
  if (/\/\s*?\//.test(p.slice(1))) throw bad('contains adjacent "/".');
  if (p.length > 1 && p.endsWith('/')) throw bad('end with "/".');
  if (p.slice(1).trim() === '/') throw bad('does not contains valid token.');
  if (/~[^01]/.test(p) || p.endsWith('~'))
    throw bad('contains "~" not part of a recognized escape sequence.');
  return p
    .replace(/^\/+/, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~').trim());
}

/** What the caller may change (the image's owner, or an admin). */
export interface PatchRights {
  isAdmin: boolean;
}

/**
 * Applies parsed changes to a copy of the image, as Glance's controller
 * does (`_do_add`, `_do_replace`, `_do_remove` and the domain setters).
 * The stored image changes only when every change succeeded.
 */
export function applyChanges(image: ImageRecord, changes: Change[], rights: PatchRights): ImageRecord {
  const next: ImageRecord = { ...image, tags: [...image.tags], properties: { ...image.properties } };
  for (const change of changes) {
    const { op, name } = change;
    if (
      name === 'locations' &&
      op === 'replace' &&
      Array.isArray(change.value) &&
      change.value.length === 0
    ) {
      throw glanceErrors.forbiddenDetail('Cannot set locations to empty list.');
    }
    if (name === 'locations') {
      const verb = op === 'replace' ? 'update' : op;
      throw glanceErrors.forbidden(`It's not allowed to ${verb} locations if locations are invisible.`);
    }
    const isBase = BASE_ATTRIBUTES.has(name);
    const isCustom = Object.hasOwn(next.properties, name);
    if (op === 'remove') {
      if (isBase) throw glanceErrors.forbiddenDetail(`Property ${name} may not be removed.`);
      if (!isCustom) throw glanceErrors.conflictDetail(`Property ${name} does not exist.`);
      delete next.properties[name];
      continue;
    }
    if (op === 'add' && change.draft === 4 && (isBase || isCustom)) {
      throw glanceErrors.conflictDetail(`Property ${name} already present.`);
    }
    if (op === 'replace' && !isBase && !isCustom) {
      throw glanceErrors.conflictDetail(`Property ${name} does not exist.`);
    }
    if (isBase) setAttribute(next, name, change.value, rights);
    else setOwn(next.properties, name, change.value as string);
  }
  return next;
}

function setAttribute(image: ImageRecord, name: string, value: unknown, rights: PatchRights): void {
  switch (name) {
    case 'owner':
      if (!rights.isAdmin) throw glanceErrors.forbiddenDetail("Owner can't be updated by non admin.");
      image.owner = value as string | null;
      return;
    case 'visibility':
      if (value === 'public' && !rights.isAdmin) {
        throw glanceErrors.forbidden('You are not authorized to complete publicize_image action.');
      }
      image.visibility = value as ImageRecord['visibility'];
      return;
    case 'disk_format':
    case 'container_format':
      if (image.status !== 'queued') {
        throw glanceErrors.forbidden(`Attribute ${name} can be only replaced for a queued image.`);
      }
      image[name] = value as never;
      return;
    case 'min_ram':
    case 'min_disk':
      if ((value as number) < 0) {
        throw glanceErrors.badRequest(
          `Invalid value '${value as number}' for parameter '${name}': Cannot be a negative value`,
        );
      }
      image[name] = value as number;
      return;
    case 'tags':
      image.tags = [...new Set(value as string[])];
      return;
    case 'name':
      image.name = value as string | null;
      return;
    case 'protected':
    case 'os_hidden':
      image[name] = value as boolean;
      return;
    default:
      // status and the other read-only attributes never get here (the parser refuses them)
      throw glanceErrors.forbidden(`Attribute '${name}' is read-only.`);
  }
}
