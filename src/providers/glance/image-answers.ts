import { isDeepStrictEqual } from 'node:util';
import type { MockContext } from '../../context.js';
import { PreparedBody } from '../../http/respond.js';
import type { SchemaIssue } from '../../validation/validator.js';
import { type ImageRecord, imageToWire, type MemberRecord } from './model/image.js';
import { pythonJsonDumps } from './python-text.js';

const SECTION = 'glance';
/** Image answers kept (least recently used dropped first): a few pages' worth, never the whole catalog. */
export const MAX_PIECES = 2_000;
/** Whole list pages kept, for a client that polls the same page: bounded by count and by characters. */
export const MAX_PAGES = 64;
const MAX_PAGE_CHARS = 2 * 1024 * 1024;

/** One image's answer: `json.dumps` of its wire form, checked against `glance/image` once. */
interface Piece {
  text: string;
  issues: SchemaIssue[] | null;
  /** The get answer, made on the first get (its UTF-8 bytes are kept by PreparedBody). */
  get?: PreparedBody;
}

/**
 * Glance's image answers without re-serialising or re-validating an image
 * per request. Each image's wire text is made and checked against its
 * schema once per version of the record, and a list page is joined from
 * those pieces and a small envelope.
 *
 * A piece must never outlive a change of its image. Glance's own routes
 * change images in place and commit through `commit(changed)`, which drops
 * those images' pieces; any other commit of the section (the admin API, a
 * reset or snapshot restore, a test mutating the store) moves the store's
 * version without telling this cache, and then every piece is dropped.
 * Mutating and committing happen in one tick, so no request reads between.
 *
 * Pages depend on everything (memberships, other images), so a kept page
 * lives only while the store version it was made at is current.
 */
export class ImageAnswers {
  private readonly pieces = new Map<ImageRecord, Piece>();
  private readonly pages = new Map<string, PreparedBody>();
  private pageChars = 0;
  /** The store version every kept piece is known to match. */
  private version = -1;
  private pagesVersion = -1;
  private readonly composable: boolean;

  constructor(private readonly ctx: MockContext) {
    this.composable = pagesComposeFromImages(ctx);
  }

  /** How much is kept now (for tests and the memory budget). */
  kept(): { pieces: number; pages: number; pageChars: number } {
    return { pieces: this.pieces.size, pages: this.pages.size, pageChars: this.pageChars };
  }

  /**
   * Commit the section after a change; `changed` are the records (images or
   * memberships) it changed in place. Inserts and removals need no naming.
   */
  commit(...changed: (ImageRecord | MemberRecord)[]): Promise<void> {
    this.current();
    for (const record of changed) this.pieces.delete(record as ImageRecord);
    const done = this.ctx.store.commit(SECTION, changed);
    // a commit announced here drops only the pieces it names
    this.version = this.ctx.store.version(SECTION);
    return done;
  }

  /** GET /v2/images/{id} (and the answers of a create or a patch). */
  image(image: ImageRecord): PreparedBody {
    const piece = this.piece(image);
    return (piece.get ??= new PreparedBody(piece.text, 'glance/image', piece.issues));
  }

  /**
   * A list page: `{"images": [...], "first": ..., "schema": ..., "next": ...}`
   * in Glance's key order. `key` names everything the page depends on apart
   * from the store (caller and query); null when it should not be kept.
   */
  page(
    key: string | null,
    build: () => { images: ImageRecord[]; first: string; next?: string },
  ): PreparedBody {
    if (this.pagesVersion !== this.ctx.store.version(SECTION)) {
      this.pages.clear();
      this.pageChars = 0;
      this.pagesVersion = this.ctx.store.version(SECTION);
    }
    const kept = key === null ? undefined : this.pages.get(key);
    if (kept) return kept;
    const page = this.joinPage(build());
    if (key !== null && page.text.length <= MAX_PAGE_CHARS / 4) {
      if (this.pages.size >= MAX_PAGES || this.pageChars + page.text.length > MAX_PAGE_CHARS) {
        this.pages.clear();
        this.pageChars = 0;
      }
      this.pages.set(key, page);
      this.pageChars += page.text.length;
    }
    return page;
  }

  private joinPage({
    images,
    first,
    next,
  }: {
    images: ImageRecord[];
    first: string;
    next?: string;
  }): PreparedBody {
    const envelope = { first, schema: '/v2/schemas/images', ...(next === undefined ? {} : { next }) };
    const pieces = images.map((image) => this.piece(image));
    // the envelope always has `first`, so its text is `{"first": ...}`: the images go in front
    const text = `{"images": [${pieces.map((p) => p.text).join(', ')}], ${pythonJsonDumps(envelope).slice(1)}`;
    return new PreparedBody(text, 'glance/images', this.pageIssues(images, pieces, envelope));
  }

  /**
   * Every page sent has passed `glance/images`. When that schema's `images`
   * is an array of items equal to `glance/image` with no other constraint,
   * a page is valid exactly when its envelope (with an empty array) is and
   * each item is; the items were checked as pieces, so only the envelope is
   * walked here. Otherwise the whole page is checked, as any other answer.
   */
  private pageIssues(
    images: ImageRecord[],
    pieces: Piece[],
    envelope: Record<string, string>,
  ): SchemaIssue[] | null {
    if (this.ctx.config.validate === 'off') return null;
    if (!this.composable)
      return this.ctx.validator.check('glance/images', { images: images.map(imageToWire), ...envelope });
    const issues = [...(this.ctx.validator.check('glance/images', { images: [], ...envelope }) ?? [])];
    pieces.forEach((piece, i) => {
      for (const issue of piece.issues ?? [])
        issues.push({ ...issue, path: `/images/${i}${issue.path === '/' ? '' : issue.path}` });
    });
    return issues.length > 0 ? issues : null;
  }

  private piece(image: ImageRecord): Piece {
    this.current();
    const kept = this.pieces.get(image);
    if (kept) {
      // most recently used last: the first key is the one to drop
      this.pieces.delete(image);
      this.pieces.set(image, kept);
      return kept;
    }
    const wire = imageToWire(image);
    const piece: Piece = {
      text: pythonJsonDumps(wire),
      issues: this.ctx.config.validate === 'off' ? null : this.ctx.validator.check('glance/image', wire),
    };
    if (this.pieces.size >= MAX_PIECES) this.pieces.delete(this.pieces.keys().next().value!);
    this.pieces.set(image, piece);
    return piece;
  }

  /** Drops every piece if the section was committed or replaced behind this cache's back. */
  private current(): void {
    const version = this.ctx.store.version(SECTION);
    if (version === this.version) return;
    this.pieces.clear();
    this.version = version;
  }
}

/** Keywords of a schema that never look inside the value of one of its `properties`. */
const PAGE_KEYWORDS = new Set(['name', 'description', 'type', 'properties', 'required', 'links']);
const ARRAY_KEYWORDS = new Set(['description', 'type', 'items']);

/**
 * Whether `glance/images` checks its items exactly as `glance/image` does and
 * puts no other rule on the array or the page that could look into an item.
 */
export function pagesComposeFromImages(ctx: MockContext): boolean {
  const page = ctx.validator.schema('glance/images');
  if (Object.keys(page).some((k) => !PAGE_KEYWORDS.has(k))) return false;
  const array = (page.properties as Record<string, Record<string, unknown>> | undefined)?.images;
  if (!array || Object.keys(array).some((k) => !ARRAY_KEYWORDS.has(k))) return false;
  return array.type === 'array' && isDeepStrictEqual(array.items, ctx.validator.schema('glance/image'));
}
