import { isDeepStrictEqual } from 'node:util';
import type { MockContext } from '../../../context.js';
import { PreparedBody, preparedSize } from '../../../http/respond.js';
import { cache } from '../../../store/cache.js';
import type { SchemaIssue } from '../../../validation/validator.js';
import type { Catalog } from '../model/index.js';
import { type ImageRecord, imageToWire } from '../model/image.js';
import { pythonJsonDumps } from '../model/python-text.js';

/** One image's answer: `json.dumps` of its wire form, checked against `glance/image` once. */
interface Piece {
  text: string;
  issues: SchemaIssue[] | null;
}

/**
 * Glance's image answers without re-serialising or re-validating an image
 * per request. Each image's wire text is made and checked against its
 * schema once per version of the record (records are frozen: a changed
 * image is a new record, with pieces of its own), and a list page is joined
 * from those pieces and a small envelope. A page depends on everything
 * (memberships, other images), so it is kept per version of both
 * collections. Both live in the process's one cache.
 */
export class ImageAnswers {
  private readonly composable: boolean;

  constructor(
    private readonly ctx: MockContext,
    private readonly catalog: Catalog,
  ) {
    this.composable = pagesComposeFromImages(ctx);
  }

  /** GET /v2/images/{id} (and the answers of a create or a patch). */
  image(image: ImageRecord): PreparedBody {
    return cache.forRecord(
      image,
      'glance get',
      () => {
        const piece = this.piece(image);
        return new PreparedBody(piece.text, 'glance/image', piece.issues);
      },
      preparedSize,
    );
  }

  /**
   * A list page: `{"images": [...], "first": ..., "schema": ..., "next": ...}`
   * in Glance's key order. `key` names everything the page depends on apart
   * from the store (caller and query).
   */
  page(
    key: string,
    build: () => { images: readonly ImageRecord[]; first: string; next?: string },
  ): PreparedBody {
    const { images, members } = this.catalog;
    return cache.get([images, members], `glance page ${key}`, () => this.joinPage(build()), preparedSize);
  }

  private joinPage({
    images,
    first,
    next,
  }: {
    images: readonly ImageRecord[];
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
    images: readonly ImageRecord[],
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
    return cache.forRecord(
      image,
      'glance piece',
      () => {
        const wire = imageToWire(image);
        return {
          text: pythonJsonDumps(wire),
          issues: this.ctx.config.validate === 'off' ? null : this.ctx.validator.check('glance/image', wire),
        };
      },
      (piece) => piece.text.length,
    );
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
