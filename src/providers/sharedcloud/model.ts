/** Sharedcloud's images, users and instances, apart from HTTP. */
import type { Collection } from '../../store/collection.js';
import type { Store } from '../../store/store.js';

export const RUNTIMES = ['python27', 'python36', 'node8', 'ruby25'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** An image as stored: the wire fields without the per-request server time, timestamps as ISO. */
export interface StoredImage {
  uuid: string;
  num_installations: number;
  registry_path: string;
  updated_at: string;
  created_at: string;
  name: string;
  description: string;
  requires_gpu: boolean;
  runtime: Runtime;
  tag: string;
}

export interface User {
  username: string;
  password: string;
  /** DRF authtoken key: 40 hex characters, one per user. */
  token: string;
  /** Django's is_active: an inactive user's token answers "User inactive or deleted." */
  active: boolean;
}

/** A machine a user registered; the images it has downloaded. */
export interface Instance {
  uuid: string;
  owner: string;
  name: string;
  images: readonly string[];
}

export type SharedcloudData = {
  users: User[];
  instances: Instance[];
  images: StoredImage[];
};

/** The section's collections, as the routes read them. */
export interface SharedcloudState {
  users: Collection<User>;
  instances: Collection<Instance>;
  images: Collection<StoredImage>;
}

export const sharedcloudState = (store: Store): SharedcloudState => ({
  users: store.collection<User>('sharedcloud', 'users'),
  instances: store.collection<Instance>('sharedcloud', 'instances'),
  images: store.collection<StoredImage>('sharedcloud', 'images'),
});

/** `DD-MM-YYYY HH:MM:SS` in UTC, the format the CLI parses with strptime. */
export function sharedcloudTimestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}

/** Seconds-precision ISO, how the store keeps timestamps (sortable, unambiguous). */
export const storedTimestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const registryPath = (name: string, runtime: string, tag: string) =>
  `sharedcloud/${name}-${runtime}:${tag}`;

/** The image in the documented field order, stamped with the server time of this response. */
export function toWire(image: StoredImage, serverTime: string) {
  return {
    uuid: image.uuid,
    current_server_time: serverTime,
    num_installations: image.num_installations,
    registry_path: image.registry_path,
    updated_at: sharedcloudTimestamp(new Date(image.updated_at)),
    created_at: sharedcloudTimestamp(new Date(image.created_at)),
    name: image.name,
    description: image.description,
    requires_gpu: image.requires_gpu,
    runtime: image.runtime,
    tag: image.tag,
  };
}

/** The catalogue is the same for every user, in creation order. */
export function catalogue(images: readonly StoredImage[]): StoredImage[] {
  return images
    .map((image, index) => ({ image, index }))
    .sort((a, b) => a.image.created_at.localeCompare(b.image.created_at) || a.index - b.index)
    .map((e) => e.image);
}

/** The images downloaded on one of the caller's instances (uuid normalised); nothing for anyone else's. */
export function installedOn(state: SharedcloudState, owner: string, instanceUuid: string): StoredImage[] {
  const instance = state.instances.get(instanceUuid);
  if (instance?.owner !== owner) return [];
  return catalogue(state.images.all()).filter((image) => instance.images.includes(image.uuid));
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Django's UUIDField accepts the hex with or without hyphens, any case; anything else is not found. */
export function normalUuid(raw: string): string | null {
  if (!UUID.test(raw)) return null;
  const hex = raw.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
