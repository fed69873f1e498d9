import type {
  ContainerFormat,
  DiskFormat,
  ImageStatus,
  Visibility,
} from '../../../validation/openstack-image.js';

/** An image as the store keeps it; custom properties apart so they never shadow a base field. */
export interface ImageRecord {
  id: string;
  name: string | null;
  disk_format: DiskFormat | null;
  container_format: ContainerFormat | null;
  visibility: Visibility;
  size: number | null;
  virtual_size: number | null;
  status: ImageStatus;
  checksum: string | null;
  protected: boolean;
  min_ram: number;
  min_disk: number;
  owner: string | null;
  os_hidden: boolean;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  created_at: string;
  updated_at: string;
  tags: readonly string[];
  properties: Record<string, string>;
}

export type MemberStatus = 'pending' | 'accepted' | 'rejected';

export interface MemberRecord {
  image_id: string;
  member_id: string;
  status: MemberStatus;
  created_at: string;
  updated_at: string;
}

/** Who is calling, as the token says. */
export interface Caller {
  projectId: string;
  userId: string;
  roles: readonly string[];
  isAdmin: boolean;
}

/** Attributes of Glance's domain Image: `add` replaces them, `remove` refuses them. */
export const BASE_ATTRIBUTES = new Set([
  'name',
  'visibility',
  'protected',
  'os_hidden',
  'owner',
  'status',
  'created_at',
  'updated_at',
  'tags',
  'min_disk',
  'min_ram',
  'disk_format',
  'container_format',
  'size',
  'virtual_size',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'locations',
]);

/** The image as Glance writes it: custom properties first, then the base fields in Glance's order. */
export function imageToWire(image: ImageRecord): Record<string, unknown> {
  return {
    ...image.properties,
    name: image.name,
    disk_format: image.disk_format,
    container_format: image.container_format,
    visibility: image.visibility,
    size: image.size,
    virtual_size: image.virtual_size,
    status: image.status,
    checksum: image.checksum,
    protected: image.protected,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    owner: image.owner,
    os_hidden: image.os_hidden,
    os_hash_algo: image.os_hash_algo,
    os_hash_value: image.os_hash_value,
    id: image.id,
    created_at: image.created_at,
    updated_at: image.updated_at,
    tags: [...image.tags],
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
}

export function memberToWire(m: MemberRecord): Record<string, unknown> {
  return {
    member_id: m.member_id,
    image_id: m.image_id,
    status: m.status,
    created_at: m.created_at,
    updated_at: m.updated_at,
    schema: '/v2/schemas/member',
  };
}

export const UUID_PATTERN =
  /^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$/;

/** Sets a custom property as an own data property: a name such as `__proto__` never reaches a prototype. */
export function setOwn(target: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** Set only by Glance itself: a create or patch naming one is refused as read-only. */
export const SERVER_SET_FIELDS = [
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
];
/** Never accepted from a client (the deserializer's `_disallowed_properties`): read-only too. */
export const DISALLOWED_FIELDS = ['direct_url', 'self', 'file', 'schema', 'stores'];
/** Names reserved for Glance: refused with webob's stock text and the name as detail. */
const RESERVED_NAMES = ['location', 'deleted', 'deleted_at'];
export const isReservedName = (name: string) => RESERVED_NAMES.includes(name) || name.startsWith('os_glance');

/**
 * The image once its data is stored: active, with the data's size and
 * checksums. Glance's format inspector gives raw data in a bare container
 * its own size as virtual size, and no data none.
 */
export function withData(
  image: ImageRecord,
  data: { size: number; md5: string; sha512: string },
): Pick<ImageRecord, 'status' | 'size' | 'virtual_size' | 'checksum' | 'os_hash_algo' | 'os_hash_value'> {
  const inspected =
    image.disk_format === 'raw' && image.container_format === 'bare' && data.size > 0 ? data.size : null;
  return {
    status: 'active',
    size: data.size,
    virtual_size: image.virtual_size ?? inspected,
    checksum: data.md5,
    os_hash_algo: 'sha512',
    os_hash_value: data.sha512,
  };
}
