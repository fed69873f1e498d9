import { CONTAINER_FORMATS, DISK_FORMATS, VISIBILITIES } from '../../../validation/openstack-image.js';
import { allianceErrors as errors } from '../errors.js';
import type { StoredImage } from './index.js';

/** The fields a client may set; the rest of the image is the service's. */
export type ImageInput = Partial<
  Pick<
    StoredImage,
    | 'id'
    | 'name'
    | 'disk_format'
    | 'container_format'
    | 'copy_from'
    | 'min_ram'
    | 'min_disk'
    | 'visibility'
    | 'protected'
    | 'tags'
  >
>;

const READ_ONLY = new Set([
  'status',
  'created_at',
  'updated_at',
  'owner',
  'schema',
  'file',
  'self',
  'checksum',
  'size',
  'virtual_size',
  'direct_url',
  'locations',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const show = (v: unknown) => JSON.stringify(v) ?? String(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function oneOf<T extends string>(field: string, allowed: readonly T[], v: unknown): T | null {
  if (v === null) return null;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw errors.invalid(`Invalid ${field} ${show(v)}: must be one of ${allowed.join(', ')}.`);
}

function count(field: string, v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  throw errors.invalid(`Invalid ${field} ${show(v)}: must be a non-negative integer.`);
}

function text(field: string, v: unknown, max = 255): string {
  if (typeof v === 'string' && v.length <= max) return v;
  throw errors.invalid(`Invalid ${field} ${show(v)}: must be a string of at most ${max} characters.`);
}

/**
 * The image fields of a create or update body, which may be wrapped as in
 * the seed (`{"image": {...}}`) or bare. Each field is checked in the
 * order sent; the first problem answers.
 */
export function imageInput(body: unknown, mode: 'create' | 'update'): ImageInput {
  const shape = 'The request body must be a JSON object: {"image": {...}} or the image fields themselves.';
  if (!isObject(body)) throw errors.invalid(shape);
  const keys = Object.keys(body);
  // An image has no field named 'image', so an object under that key is the seed's wrapper,
  // and any key beside it is the attribute nobody knows.
  const wrapped = isObject(body.image);
  const beside = wrapped ? keys.find((k) => k !== 'image') : undefined;
  if (beside !== undefined) throw errors.invalid(`Unknown attribute '${beside}'.`);
  const fields = wrapped || (keys.length === 1 && keys[0] === 'image') ? body.image : body;
  if (!isObject(fields)) throw errors.invalid(shape);

  const out: ImageInput = {};
  for (const [field, v] of Object.entries(fields)) {
    switch (field) {
      case 'id':
        if (mode === 'update') throw errors.readOnly('id');
        if (typeof v !== 'string' || !UUID.test(v))
          throw errors.invalid(`Invalid id ${show(v)}: must be a UUID.`);
        out.id = v.toLowerCase();
        break;
      case 'name':
        out.name = v === null ? null : text('name', v);
        break;
      case 'disk_format':
        out.disk_format = oneOf(field, DISK_FORMATS, v);
        break;
      case 'container_format':
        out.container_format = oneOf(field, CONTAINER_FORMATS, v);
        break;
      case 'visibility':
        if (v === null)
          throw errors.invalid(`Invalid visibility null: must be one of ${VISIBILITIES.join(', ')}.`);
        out.visibility = oneOf(field, VISIBILITIES, v)!;
        break;
      case 'copy_from':
        if (typeof v !== 'string' || !/^https?:\/\/\S+$/i.test(v))
          throw errors.invalid(`Invalid copy_from ${show(v)}: must be an http or https URL.`);
        out.copy_from = v;
        break;
      case 'min_ram':
      case 'min_disk':
        out[field] = count(field, v);
        break;
      case 'protected':
        if (typeof v !== 'boolean')
          throw errors.invalid(`Invalid protected ${show(v)}: must be true or false.`);
        out.protected = v;
        break;
      case 'tags':
        if (!Array.isArray(v)) throw errors.invalid(`Invalid tags ${show(v)}: must be a list of strings.`);
        out.tags = [...new Set(v.map((t) => text('tag', t)))];
        break;
      default:
        if (READ_ONLY.has(field)) throw errors.readOnly(field);
        throw errors.invalid(`Unknown attribute '${field}'.`);
    }
  }
  return out;
}
