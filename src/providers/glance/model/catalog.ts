import type { Caller, ImageRecord, MemberRecord } from './image.js';
import { shareEqualStrings } from './shared-strings.js';

export interface GlanceData {
  [collection: string]: unknown[];
  images: ImageRecord[];
  members: MemberRecord[];
  tokens: TokenRecord[];
  users: UserRecord[];
}

/** A fixture (or Keystone-shim-issued) token: the project it is scoped to and its roles. */
export interface TokenRecord {
  token: string;
  project_id: string;
  project_name: string;
  user_id: string;
  user_name: string;
  roles: string[];
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
  roles: string[];
}

/**
 * Glance's default order: newest first. Glance keeps `created_at` to the
 * microsecond but shows whole seconds, so of two images made in the same
 * second the later one comes first; the store keeps images in creation
 * order, and that order settles ties (see Catalog).
 */
const newerFirst = (a: ImageRecord, b: ImageRecord) =>
  a.created_at === b.created_at ? 0 : a.created_at < b.created_at ? 1 : -1;

/**
 * The store's images and members with the indexes listing needs: images in
 * the default order (so a page is a walk from the marker, never a sort of
 * the whole collection), images by id and members by image. Rebuilt
 * whenever the collections were replaced or changed behind its back (the
 * admin API pushes and splices them directly).
 */
export class Catalog {
  private ordered: ImageRecord[] = [];
  private byId = new Map<string, ImageRecord>();
  private members = new Map<string, MemberRecord[]>();
  private seenImages: ImageRecord[] | null = null;
  private seenImageCount = -1;
  private seenMembers: MemberRecord[] | null = null;
  private seenMemberCount = -1;

  constructor(private readonly data: () => GlanceData) {}

  /** Forget every index (after a reset or snapshot restore). */
  invalidate(): void {
    this.seenImages = null;
    this.seenMembers = null;
  }

  private fresh(): void {
    const { images, members } = this.data();
    const last = images[images.length - 1];
    if (
      images !== this.seenImages ||
      images.length !== this.seenImageCount ||
      (last !== undefined && this.byId.get(last.id) !== last)
    ) {
      // a collection new to the catalog (loaded, reset, restored) holds a copy of every string per record
      if (images !== this.seenImages) shareEqualStrings(images);
      // a stable sort of the newest-stored-first copy: same-second images stay newest first
      this.ordered = [...images].reverse().sort(newerFirst);
      this.byId = new Map(images.map((i) => [i.id, i]));
      this.seenImages = images;
      this.seenImageCount = images.length;
    }
    if (members !== this.seenMembers || members.length !== this.seenMemberCount) {
      this.members = new Map();
      for (const m of members) this.membersOf(m.image_id, true).push(m);
      this.seenMembers = members;
      this.seenMemberCount = members.length;
    }
  }

  private membersOf(imageId: string, create = false): MemberRecord[] {
    let list = this.members.get(imageId);
    if (!list) {
      list = [];
      if (create) this.members.set(imageId, list);
    }
    return list;
  }

  get(id: string): ImageRecord | undefined {
    this.fresh();
    return this.byId.get(id);
  }

  /** Every image in the default order (read-only view). */
  inDefaultOrder(): readonly ImageRecord[] {
    this.fresh();
    return this.ordered;
  }

  /** Position of the first image that comes after `marker` in the default order. */
  positionAfter(marker: ImageRecord): number {
    this.fresh();
    // `ordered` is sorted by created_at, newest first: jump to the marker's second, then look within it
    const at = this.firstNotNewerThan(marker.created_at);
    for (let i = at; i < this.ordered.length && this.ordered[i]!.created_at === marker.created_at; i++) {
      if (this.ordered[i] === marker) return i + 1;
    }
    return this.ordered.indexOf(marker) + 1;
  }

  /** Index of the first image created at or before `createdAt` (binary search). */
  private firstNotNewerThan(createdAt: string): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ordered[mid]!.created_at > createdAt) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(image: ImageRecord): void {
    this.fresh();
    this.data().images.push(image);
    // the newest of its second: before every image of the same or an earlier second
    this.ordered.splice(this.firstNotNewerThan(image.created_at), 0, image);
    this.byId.set(image.id, image);
    this.seenImageCount++;
  }

  remove(image: ImageRecord): void {
    this.fresh();
    const { images, members } = this.data();
    images.splice(images.indexOf(image), 1);
    this.ordered.splice(this.ordered.indexOf(image), 1);
    this.byId.delete(image.id);
    this.seenImageCount--;
    const own = this.membersOf(image.id);
    if (own.length > 0) {
      const keep = members.filter((m) => m.image_id !== image.id);
      members.splice(0, members.length, ...keep);
      this.members.delete(image.id);
      this.seenMemberCount = members.length;
    }
  }

  membersOfImage(imageId: string): readonly MemberRecord[] {
    this.fresh();
    return this.membersOf(imageId);
  }

  member(imageId: string, memberId: string): MemberRecord | undefined {
    return this.membersOfImage(imageId).find((m) => m.member_id === memberId);
  }

  addMember(member: MemberRecord): void {
    this.fresh();
    this.data().members.push(member);
    this.membersOf(member.image_id, true).push(member);
    this.seenMemberCount++;
  }

  removeMember(member: MemberRecord): void {
    this.fresh();
    const { members } = this.data();
    members.splice(members.indexOf(member), 1);
    const own = this.membersOf(member.image_id);
    own.splice(own.indexOf(member), 1);
    this.seenMemberCount--;
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
