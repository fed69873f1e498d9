import { randomUUID } from 'node:crypto';
import { glanceTimestamp } from '../../../validation/openstack-image.js';
import { glanceErrors } from '../errors.js';
import { pythonRepr } from './python-text.js';
import { schemaFailure } from './schema-check.js';
import {
  type Caller,
  DISALLOWED_FIELDS,
  type ImageRecord,
  isReservedName,
  SERVER_SET_FIELDS,
  setOwn,
} from './image.js';

/** Reserved, but refused by the image factory itself (not with webob's text like the others). */
const RESERVED_BY_FACTORY = 'locations';
const BASE_INPUT = new Set([
  'id',
  'name',
  'visibility',
  'protected',
  'os_hidden',
  'owner',
  'min_ram',
  'min_disk',
  'disk_format',
  'container_format',
  'tags',
  RESERVED_BY_FACTORY,
  ...SERVER_SET_FIELDS,
]);

/**
 * A new image from a POST /v2/images body, checked in the order Glance
 * checks it: disallowed names, the image schema, reserved names, policy
 * (public, owner), read-only names, value rules. The duplicate-id check is
 * the caller's (it needs the catalog).
 */
export function newImage(
  body: unknown,
  caller: Caller,
  imageSchema: Record<string, unknown>,
  now: Date,
): ImageRecord {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    // real Glance answers 500 here; the mock words it as the schema check would
    throw glanceErrors.badRequest(
      `Provided object does not match schema 'image': ${pythonRepr(body)} is not of type 'object'`,
    );
  }
  const input = body as Record<string, unknown>;
  for (const name of DISALLOWED_FIELDS) {
    if (Object.hasOwn(input, name)) throw glanceErrors.forbidden(`Attribute '${name}' is read-only.`);
  }
  const failure = schemaFailure('image', imageSchema, input);
  if (failure) throw glanceErrors.badRequest(failure);
  const customNames = Object.keys(input).filter((k) => !BASE_INPUT.has(k));
  if (customNames.some((k) => k.length > 255)) {
    throw glanceErrors.badRequest('Custom property should not be greater than 255 characters.');
  }
  for (const name of customNames) {
    if (isReservedName(name)) {
      throw glanceErrors.forbiddenDetail(`Attribute '${name}' is reserved.`);
    }
  }
  if (Object.hasOwn(input, RESERVED_BY_FACTORY)) {
    throw glanceErrors.forbidden(`Attribute '${RESERVED_BY_FACTORY}' is reserved.`);
  }
  if (input.visibility === 'public' && !caller.isAdmin) {
    throw glanceErrors.forbidden('You are not authorized to complete publicize_image action.');
  }
  const owner = Object.hasOwn(input, 'owner') ? (input.owner as string | null) : caller.projectId;
  if (owner !== caller.projectId && !caller.isAdmin) {
    throw glanceErrors.forbidden(`You are not permitted to create images owned by '${String(owner)}'.`);
  }
  for (const name of SERVER_SET_FIELDS) {
    if (Object.hasOwn(input, name)) throw glanceErrors.forbidden(`Attribute '${name}' is read-only.`);
  }
  for (const name of ['min_ram', 'min_disk']) {
    const v = input[name];
    if (typeof v === 'number' && v < 0) {
      throw glanceErrors.badRequest(
        `Invalid value '${v}' for parameter '${name}': Cannot be a negative value`,
      );
    }
  }
  const properties: Record<string, string> = {};
  for (const name of customNames) setOwn(properties, name, input[name] as string);
  const stamp = glanceTimestamp(now);
  const pick = <T>(name: string, fallback: T): T =>
    Object.hasOwn(input, name) ? (input[name] as T) : fallback;
  return {
    id: pick('id', randomUUID()),
    name: pick('name', null),
    disk_format: pick('disk_format', null),
    container_format: pick('container_format', null),
    visibility: pick('visibility', 'shared'),
    size: null,
    virtual_size: null,
    status: 'queued',
    checksum: null,
    protected: pick('protected', false),
    min_ram: pick('min_ram', 0),
    min_disk: pick('min_disk', 0),
    owner,
    os_hidden: pick('os_hidden', false),
    os_hash_algo: null,
    os_hash_value: null,
    created_at: stamp,
    updated_at: stamp,
    tags: [...new Set(pick<string[]>('tags', []))],
    properties,
  };
}
