import { type Collection, compositeId, groupBy, orderBy } from '../../../store/collection.js';
import type { Frozen } from '../../../store/frozen.js';
import type { Store } from '../../../store/store.js';
import { type MetadefData, metadefCollections } from './metadefs.js';
import type { CacheRecord } from './cache.js';
import type { Caller, ImageRecord, MemberRecord } from './image.js';
import type { TaskRecord } from './tasks.js';

export type GlanceData = {
  images: ImageRecord[];
  members: MemberRecord[];
  tokens: TokenRecord[];
  users: UserRecord[];
  tasks: TaskRecord[];
  cache: CacheRecord[];
} & MetadefData;

/** A fixture (or Keystone-shim-issued) token: the project it is scoped to and its roles. */
export interface TokenRecord {
  token: string;
  project_id: string;
  project_name: string;
  user_id: string;
  user_name: string;
  roles: readonly string[];
  expires_at: string;
}

/** A Keystone shim user for password logins. */
export interface UserRecord {
  id: string;
  name: string;
  password: string;
  domain: string;
  project_id: string;
  project_name: string;
  roles: readonly string[];
}

/**
 * Glance's default order: newest first. Glance keeps `created_at` to the
 * microsecond but shows whole seconds, so of two images made in the same
 * second the later one comes first: the index's ties go later-stored first.
 */
const newerFirst = (a: ImageRecord, b: ImageRecord) =>
  a.created_at === b.created_at ? 0 : a.created_at < b.created_at ? 1 : -1;

const NEWEST = 'newest';
const memberId = (m: MemberRecord) => compositeId(m.image_id, m.member_id);

/**
 * Where an image's bytes live under the section's blob directory, each file
 * named by the image id: its data, and what `PUT /stage` put aside for the
 * import. The store removes both with the image.
 */
export const IMAGE_DATA_AREAS = { image: '', staging: 'staging' } as const;

/** The Glance section's collections, their ids and the indexes listing and sharing need. */
export const glanceCollections = {
  ...metadefCollections,
  images: {
    id: (r: ImageRecord) => r.id,
    indexes: { [NEWEST]: orderBy(newerFirst, 'later-first') },
    blobAreas: Object.values(IMAGE_DATA_AREAS),
    sharedStrings: [
      'owner',
      'status',
      'visibility',
      'disk_format',
      'container_format',
      'checksum',
      'os_hash_algo',
      'os_hash_value',
      // an image never changed since its creation has the same instant twice
      'created_at',
      'updated_at',
      'tags',
      'properties',
    ],
  },
  members: {
    id: memberId,
    indexes: { image: groupBy((m: MemberRecord) => m.image_id) },
  },
  tokens: { id: (r: TokenRecord) => r.token },
  users: { id: (r: UserRecord) => r.name },
  tasks: {
    id: (t: TaskRecord) => t.id,
    indexes: { image: groupBy((t: TaskRecord) => t.image_id ?? '') },
  },
  /** Glance's image cache: the images it holds (and those queued for it), by image id. */
  cache: { id: (c: CacheRecord) => c.image_id },
};

/**
 * Images and memberships with Glance's rules over them. Every read is an
 * index lookup of the store's collections (images by id and newest first,
 * members by image), so a page is a walk from the marker, never a sort of
 * the whole collection; every write is a collection call.
 */
export class Catalog {
  readonly images: Collection<ImageRecord>;
  readonly members: Collection<MemberRecord>;

  constructor(store: Store) {
    this.images = store.collection<ImageRecord>('glance', 'images');
    this.members = store.collection<MemberRecord>('glance', 'members');
  }

  get(id: string): Frozen<ImageRecord> | undefined {
    return this.images.get(id);
  }

  get size(): number {
    return this.images.size;
  }

  /** The image at one position of the default order. */
  at(position: number): Frozen<ImageRecord> | undefined {
    return this.images.orderedAt(NEWEST, position);
  }

  /** Every image in the default order (a copy: for orders that sort the whole set). */
  inDefaultOrder(): readonly Frozen<ImageRecord>[] {
    return this.images.ordered(NEWEST);
  }

  /** Position of the first image that comes after `marker` in the default order. */
  positionAfter(marker: Frozen<ImageRecord>): number {
    return this.images.positionIn(NEWEST, marker) + 1;
  }

  add(image: ImageRecord): Promise<Frozen<ImageRecord>> {
    return this.images.insert(image);
  }

  /** The image and its memberships, in one durable write. */
  async remove(image: Frozen<ImageRecord>): Promise<void> {
    const writes: Promise<unknown>[] = [this.images.remove(image.id)];
    for (const m of this.membersOfImage(image.id)) writes.push(this.members.remove(memberId(m)!));
    await Promise.all(writes);
  }

  membersOfImage(imageId: string): readonly Frozen<MemberRecord>[] {
    return this.members.by('image', imageId);
  }

  member(imageId: string, projectId: string): Frozen<MemberRecord> | undefined {
    return this.members.get(compositeId(imageId, projectId)!);
  }

  addMember(member: MemberRecord): Promise<Frozen<MemberRecord>> {
    return this.members.insert(member);
  }

  updateMember(member: Frozen<MemberRecord>, change: Partial<MemberRecord>): Promise<Frozen<MemberRecord>> {
    return this.members.update(memberId(member)!, change);
  }

  async removeMember(member: Frozen<MemberRecord>): Promise<void> {
    await this.members.remove(memberId(member)!);
  }

  /** Glance's is_image_visible: what a caller may fetch by id (any membership status counts). */
  visible(caller: Caller, image: ImageRecord): boolean {
    if (caller.isAdmin || image.owner === null) return true;
    if (image.visibility === 'public' || image.visibility === 'community') return true;
    if (image.owner === caller.projectId) return true;
    return image.visibility === 'shared' && this.member(image.id, caller.projectId) !== undefined;
  }

  /**
   * Whether an image belongs in a caller's list before the other filters:
   * own, public, and shared with an accepted (or `memberStatus`) membership;
   * community images of others only when asked for by visibility (admins
   * too: as real Glance 25 lists them).
   */
  listed(caller: Caller, image: ImageRecord, visibility: string | undefined, memberStatus: string): boolean {
    if (visibility !== undefined && visibility !== 'all' && image.visibility !== visibility) return false;
    // community images of other projects need asking for, even by an admin
    if (image.visibility === 'community') {
      return visibility === 'community' || visibility === 'all' || image.owner === caller.projectId;
    }
    if (caller.isAdmin) return true;
    if (image.owner === caller.projectId || image.visibility === 'public') return true;
    if (image.visibility !== 'shared') return false;
    const m = this.member(image.id, caller.projectId);
    return m !== undefined && (memberStatus === 'all' || m.status === memberStatus);
  }
}
