import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { MockContext } from '../../../context.js';
import type { Collection } from '../../../store/collection.js';
import type { Frozen } from '../../../store/frozen.js';
import { glanceTimestamp } from '../../../validation/openstack-image.js';
import { type Caller, type ImageRecord, withData } from '../model/image.js';
import { FAILED_IMPORT, IMPORT_TASK, IMPORTING_TO_STORES, type ImportRequest } from '../model/import.js';
import type { Catalog } from '../model/index.js';
import { databaseTime, TASK_TIME_TO_LIVE_MS, type TaskRecord } from '../model/tasks.js';
import type { ImageData, StoredData } from './image-data.js';
import { openSource } from './web-download.js';
import { newImage } from '../model/create.js';
import { filteredAddress } from '../model/uri-filter.js';

/** A lock older than this is stale whatever its task says (Glance's import lock expiry). */
const LOCK_EXPIRY_MS = 60 * 60 * 1000;

/**
 * Runs image imports as Glance's api_image_import task does: the task is
 * recorded and the image locked and `importing` before the 202, the data
 * moved (staging, a web source, or nothing for copy-image on a single
 * store) after it, and the image then `active`, or back to `queued` with
 * the task's failure message. Every step is a collection write.
 */
export class Importer {
  constructor(
    private readonly ctx: MockContext,
    private readonly catalog: Catalog,
    private readonly tasks: Collection<TaskRecord>,
    private readonly data: ImageData,
  ) {}

  private now = () => databaseTime(this.ctx.clock.now());

  /** Whether the image's import lock belongs to a task that may still be running. */
  lockHeld(image: ImageRecord): boolean {
    const id = image.properties[IMPORT_TASK];
    if (id === undefined) return false;
    const task = this.tasks.get(id);
    if (!task || (task.status !== 'pending' && task.status !== 'processing')) return false;
    return this.ctx.clock.now().getTime() - Date.parse(`${task.updated_at}Z`) < LOCK_EXPIRY_MS;
  }

  /** Records the task and locks the image; the work itself runs once the caller has answered. */
  async start(image: Frozen<ImageRecord>, request: ImportRequest, caller: Caller, requestId: string) {
    const stamp = this.now();
    const task = await this.tasks.insert({
      id: randomUUID(),
      type: 'api_image_import',
      status: 'pending',
      owner: caller.projectId,
      created_at: stamp,
      updated_at: stamp,
      expires_at: null,
      image_id: image.id,
      request_id: requestId,
      user_id: caller.userId,
      input: { image_id: image.id, import_req: request.body, backend: [null] },
      result: null,
      message: '',
    });
    const { [IMPORT_TASK]: _stale, ...properties } = image.properties;
    await this.catalog.images.update(image.id, {
      ...(request.method === 'copy-image' ? {} : { status: 'importing' as const }),
      properties: { ...properties, [IMPORT_TASK]: task.id, [IMPORTING_TO_STORES]: '', [FAILED_IMPORT]: '' },
    });
    return task;
  }

  /** The import's work; never throws (a failure is the task's). */
  async run(task: Frozen<TaskRecord>, request: ImportRequest): Promise<void> {
    const imageId = task.image_id!;
    try {
      await this.tasks.update(task.id, { status: 'processing', updated_at: this.now() });
      const stored = request.method === 'copy-image' ? null : await this.receive(imageId, request);
      await this.finish(imageId, stored);
      const done = this.now();
      await this.tasks.update(task.id, {
        status: 'success',
        updated_at: done,
        expires_at: this.expiry(),
        result: { image_id: imageId },
        message: `Copied ${Math.floor((stored?.size ?? 0) / 2 ** 20)} MiB`,
      });
    } catch (err) {
      await this.fail(task, imageId, request, err instanceof Error ? err.message : String(err));
    }
  }

  private async receive(imageId: string, request: ImportRequest): Promise<StoredData> {
    const source: Readable =
      request.method === 'glance-direct'
        ? this.data.readStaged(imageId)
        : await openSource(String(request.uri), this.filter());
    const stored = await this.data.receive(source, imageId);
    if (request.method === 'glance-direct') await this.data.remove(imageId, 'staging');
    return stored;
  }

  private async finish(imageId: string, stored: StoredData | null): Promise<void> {
    const image = this.catalog.get(imageId);
    if (!image) {
      await this.data.remove(imageId);
      throw new Error(`Image ${imageId} could not be found after import.`);
    }
    const { [IMPORT_TASK]: _lock, ...properties } = image.properties;
    await this.catalog.images.update(imageId, {
      properties,
      updated_at: glanceTimestamp(this.ctx.clock.now()),
      ...(stored ? withData(image, stored) : {}),
    });
  }

  private async fail(task: Frozen<TaskRecord>, imageId: string, request: ImportRequest, message: string) {
    const image = this.catalog.get(imageId);
    if (image) {
      const { [IMPORT_TASK]: _lock, ...properties } = image.properties;
      await this.catalog.images.update(imageId, {
        properties,
        ...(request.method === 'copy-image' ? {} : { status: 'queued' as const }),
      });
    }
    await this.tasks.update(task.id, {
      status: 'failure',
      updated_at: this.now(),
      expires_at: this.expiry(),
      message,
    });
  }

  private expiry = () => databaseTime(new Date(this.ctx.clock.now().getTime() + TASK_TIME_TO_LIVE_MS));

  /** Whether a source URI passes the import filter (web-download, legacy import tasks). */
  async sourcePasses(uri: unknown): Promise<boolean> {
    return (await filteredAddress(uri, this.filter())) !== null;
  }

  /**
   * A legacy `import` task (POST /v2/tasks): an image made from the task's
   * image_properties, filled from import_from; the task's result names it.
   */
  async runLegacy(task: Frozen<TaskRecord>, caller: Caller): Promise<void> {
    const input = task.input as { import_from: string; image_properties?: unknown };
    let imageId: string | null = null;
    try {
      await this.tasks.update(task.id, { status: 'processing', updated_at: this.now() });
      const image = newImage(
        input.image_properties ?? {},
        caller,
        this.ctx.validator.schema('glance/image'),
        this.ctx.clock.now(),
      );
      imageId = (await this.catalog.add(image)).id;
      const stored = await this.data.receive(await openSource(input.import_from, this.filter()), imageId);
      await this.finish(imageId, stored);
      await this.tasks.update(task.id, {
        status: 'success',
        updated_at: this.now(),
        expires_at: this.expiry(),
        image_id: imageId,
        result: { image_id: imageId },
      });
    } catch (err) {
      // the image a failed task made is not left behind
      const made = imageId === null ? undefined : this.catalog.get(imageId);
      if (made) await this.catalog.remove(made);
      if (imageId !== null) await this.data.remove(imageId);
      await this.tasks.update(task.id, {
        status: 'failure',
        updated_at: this.now(),
        expires_at: this.expiry(),
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Glance's import_filtering_opts, from the settings. */
  filter() {
    const c = this.ctx.config;
    return {
      allowedSchemes: c.glanceImportAllowedSchemes,
      allowedHosts: c.glanceImportAllowedHosts,
      allowedPorts: c.glanceImportAllowedPorts,
    };
  }
}
