/** The Alliance front end's images, apart from HTTP: Glance images partitioned by namespace and environment. */
import type { ImageInput } from './input.js';
import type {
  ContainerFormat,
  DiskFormat,
  ImageStatus,
  Visibility,
} from '../../../validation/openstack-image.js';

/** An image as stored: the wire fields plus the controller (namespace) it lives on. */
export interface StoredImage {
  namespace: string;
  id: string;
  name: string | null;
  status: ImageStatus;
  created_at: string;
  updated_at: string;
  tags: readonly string[];
  container_format: ContainerFormat | null;
  disk_format: DiskFormat | null;
  min_ram: number;
  min_disk: number;
  visibility: Visibility;
  /** Only present when the image was created with one. */
  copy_from?: string;
  /** The environment (OpenStack project) id that owns the image. */
  owner: string;
  protected: boolean;
  checksum: string | null;
  virtual_size: number | null;
  size: number | null;
}

export type AllianceData = {
  images: StoredImage[];
};

/** Who is asking: the controller and the project, from X-Target-Ns and X-Environment-Id. */
export interface Scope {
  namespace: string;
  environment: string;
}

/** The image in the seed's field order; `copy_from` only when it was given. */
export function toWire(image: StoredImage) {
  return {
    status: image.status,
    created_at: image.created_at,
    name: image.name,
    tags: image.tags,
    container_format: image.container_format,
    min_ram: image.min_ram,
    disk_format: image.disk_format,
    updated_at: image.updated_at,
    visibility: image.visibility,
    ...(image.copy_from === undefined ? {} : { copy_from: image.copy_from }),
    owner: image.owner,
    schema: '/v2/schemas/image',
    protected: image.protected,
    file: `/v2/images/${image.id}/file`,
    checksum: image.checksum,
    min_disk: image.min_disk,
    virtual_size: image.virtual_size,
    id: image.id,
    size: image.size,
  };
}

/** A pair sees its own images and the public images of its namespace. */
export const visibleTo = (image: StoredImage, scope: Scope) =>
  image.namespace === scope.namespace && (image.owner === scope.environment || image.visibility === 'public');

export const ownedBy = (image: StoredImage, scope: Scope) =>
  image.namespace === scope.namespace && image.owner === scope.environment;

/** Newest first; equal timestamps keep the newer record first. */
export function listFor(images: readonly StoredImage[], scope: Scope): StoredImage[] {
  return images
    .map((image, index) => ({ image, index }))
    .filter((e) => visibleTo(e.image, scope))
    .sort((a, b) => b.image.created_at.localeCompare(a.image.created_at) || b.index - a.index)
    .map((e) => e.image);
}

export type Resolution = { found: StoredImage } | { missing: true } | { ambiguous: number };

/** `{ref}` is an id first, then an exact name among the images the pair can see. */
export function resolve(images: readonly StoredImage[], scope: Scope, ref: string): Resolution {
  const visible = images.filter((i) => visibleTo(i, scope));
  const byId = visible.find((i) => i.id === ref);
  if (byId) return { found: byId };
  const named = visible.filter((i) => i.name === ref);
  if (named.length === 1) return { found: named[0]! };
  return named.length === 0 ? { missing: true } : { ambiguous: named.length };
}

/** A client-created image: queued, owned by the caller's environment, the rest from the input or defaulted. */
export function newImage(scope: Scope, input: ImageInput, id: string, now: string): StoredImage {
  return {
    namespace: scope.namespace,
    id,
    name: input.name ?? null,
    status: 'queued',
    created_at: now,
    updated_at: now,
    tags: input.tags ?? [],
    container_format: input.container_format ?? null,
    disk_format: input.disk_format ?? null,
    min_ram: input.min_ram ?? 0,
    min_disk: input.min_disk ?? 0,
    visibility: input.visibility ?? 'private',
    ...(input.copy_from === undefined ? {} : { copy_from: input.copy_from }),
    owner: scope.environment,
    protected: input.protected ?? false,
    checksum: null,
    virtual_size: null,
    size: null,
  };
}
