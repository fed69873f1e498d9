import type { SeedContext } from '../../store/seed-context.js';
import {
  type ApiKey,
  type CloudmcData,
  type Connection,
  type ImageStatus,
  imageId,
  imageReference,
  microsecondTimestamp,
  type StoredImage,
} from './model.js';

interface SystemImageFixture {
  family: string;
  tag: string;
  createdAt: string;
  description: string;
  status: ImageStatus;
  deprecated?: boolean;
}

interface ImagesFixture {
  systemImages: { connections: string[]; images: SystemImageFixture[] };
  catalogue: { connections: string[]; families: string[] };
}

/** Environments the seed documents show; generated custom images stay out of them so the examples reproduce. */
const SEED_ENVIRONMENT = 'test-area';

export function seedCloudmc(ctx: SeedContext): CloudmcData {
  const connections = ctx.fixture<Connection[]>('connections');
  const apiKeys = ctx.fixture<ApiKey[]>('api-keys');
  const fixture = ctx.fixture<ImagesFixture>('images');
  const images: StoredImage[] = [];
  for (const connection of connections) {
    if (fixture.systemImages.connections.includes(connection.serviceCode)) {
      for (const image of fixture.systemImages.images) images.push(systemImage(connection, image));
    }
    if (fixture.catalogue.connections.includes(connection.serviceCode)) {
      images.push(...generatedCatalogue(ctx, connection, fixture.catalogue.families));
    }
    for (const env of connection.environments) {
      if (env.name !== SEED_ENVIRONMENT)
        images.push(...generatedCustomImages(ctx, connection, env.name, env.stackId));
    }
  }
  return { connections, apiKeys, images };
}

function build(
  connection: Connection,
  environment: string | null,
  stackId: string,
  fields: SystemImageFixture,
): StoredImage {
  return {
    serviceCode: connection.serviceCode,
    environment,
    deprecated: fields.deprecated ?? false,
    stackId,
    id: imageId(stackId, fields.family, fields.tag),
    slug: connection.slug,
    family: fields.family,
    tag: fields.tag,
    createdAt: fields.createdAt,
    description: fields.description,
    reference: imageReference(connection.slug, fields.family, fields.tag),
    status: fields.status,
  };
}

const systemImage = (connection: Connection, image: SystemImageFixture) =>
  build(connection, null, connection.systemStackId, image);

function timestamp(ctx: SeedContext, from: string, to: string): { createdAt: string; date: Date } {
  const date = ctx.faker.date.between({ from, to });
  return { date, createdAt: microsecondTimestamp(date, ctx.faker.number.int({ min: 0, max: 999 })) };
}

const compactDate = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');

/** Each family in a few dated versions; all but the newest two are deprecated, as a real catalogue ages. */
function generatedCatalogue(ctx: SeedContext, connection: Connection, families: string[]): StoredImage[] {
  const out: StoredImage[] = [];
  for (const family of families) {
    const versions = ctx.faker.number.int({ min: 2, max: 4 });
    const dates = Array.from({ length: versions }, () =>
      timestamp(ctx, '2019-01-01T00:00:00Z', '2024-05-01T00:00:00Z'),
    ).sort((a, b) => a.date.getTime() - b.date.getTime());
    dates.forEach(({ date, createdAt }, i) => {
      const newest = i === versions - 1;
      const status: ImageStatus = newest
        ? ctx.faker.helpers.weightedArrayElement([
            { weight: 8, value: 'READY' },
            { weight: 1, value: 'PROCESSING' },
          ])
        : 'READY';
      out.push(
        systemImage(connection, {
          family,
          tag: `v${compactDate(date)}`,
          createdAt,
          description: `Image using ${family}`,
          status,
          deprecated: i < versions - 2,
        }),
      );
    });
  }
  return out;
}

function generatedCustomImages(
  ctx: SeedContext,
  connection: Connection,
  environment: string,
  stackId: string,
): StoredImage[] {
  const count = ctx.faker.number.int({ min: 2, max: 5 });
  const out: StoredImage[] = [];
  const taken = new Set<string>();
  for (let n = 0; n < count; n++) {
    const family = `${ctx.faker.word.adjective()}-${ctx.faker.word.noun()}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '');
    const { createdAt } = timestamp(ctx, '2021-01-01T00:00:00Z', '2024-05-01T00:00:00Z');
    const status = ctx.faker.helpers.weightedArrayElement<ImageStatus>([
      { weight: 6, value: 'READY' },
      { weight: 1, value: 'PENDING' },
      { weight: 1, value: 'PROCESSING' },
      { weight: 1, value: 'FAILED' },
      { weight: 1, value: 'IMAGE_STATUS_UNKNOWN' },
    ]);
    const tag = `v${ctx.faker.number.int({ min: 1, max: 12 })}`;
    if (taken.has(`${family}:${tag}`)) continue;
    taken.add(`${family}:${tag}`);
    out.push(
      build(connection, environment, stackId, {
        family,
        tag,
        createdAt,
        description: `Custom image ${family}: ${ctx.faker.company.catchPhrase()}`,
        status,
        deprecated: ctx.faker.datatype.boolean({ probability: 0.15 }),
      }),
    );
  }
  return out;
}
