/**
 * The OpenStack image vocabulary that Glance v2 and the Alliance front end (a
 * Glance proxy) share. It lives outside both provider folders because no
 * provider imports another.
 */

export const DISK_FORMATS = [
  'ami',
  'ari',
  'aki',
  'vhd',
  'vhdx',
  'vmdk',
  'raw',
  'qcow2',
  'vdi',
  'iso',
  'ploop',
] as const;
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const;
export const VISIBILITIES = ['public', 'private', 'shared', 'community'] as const;
export const IMAGE_STATUSES = [
  'queued',
  'saving',
  'active',
  'killed',
  'deleted',
  'pending_delete',
  'deactivated',
  'uploading',
  'importing',
] as const;

export type DiskFormat = (typeof DISK_FORMATS)[number];
export type ContainerFormat = (typeof CONTAINER_FORMATS)[number];
export type Visibility = (typeof VISIBILITIES)[number];
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/** Glance's timestamp: seconds precision, `Z` (`2016-06-29T16:13:07Z`). */
export function glanceTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
