import type { MockContext } from '../../../context.js';
import {
  joinedListIssues,
  listComposesFromItems,
  type Piece,
  recordBody,
  recordPiece,
} from '../../../http/list-pieces.js';
import { PreparedBody, preparedSize } from '../../../http/respond.js';
import { cache } from '../../../store/cache.js';
import type { Catalog } from '../model/index.js';
import { type ImageRecord, imageToWire } from '../model/image.js';
import { pythonJsonDumps } from '../model/python-text.js';

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
    return recordBody(this.ctx, image, 'glance/image', () => imageToWire(image), pythonJsonDumps);
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
    const issues = joinedListIssues(this.ctx, {
      listSchema: 'glance/images',
      key: 'images',
      pieces,
      envelope,
      composable: this.composable,
      whole: () => ({ images: images.map(imageToWire), ...envelope }),
    });
    return new PreparedBody(text, 'glance/images', issues);
  }

  private piece(image: ImageRecord): Piece {
    return recordPiece(this.ctx, image, 'glance/image', () => imageToWire(image), pythonJsonDumps);
  }
}

/** Whether `glance/images` checks its items exactly as `glance/image` does (src/http/list-pieces.ts). */
export const pagesComposeFromImages = (ctx: MockContext): boolean =>
  listComposesFromItems(ctx.validator, 'glance/images', 'images', 'glance/image');
