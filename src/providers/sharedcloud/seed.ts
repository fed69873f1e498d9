import type { SeedContext } from '../../store/seed-context.js';
import {
  type Instance,
  type Runtime,
  registryPath,
  type SharedcloudData,
  type StoredImage,
  storedTimestamp,
  type User,
} from './model.js';

type FixtureImage = Omit<StoredImage, 'registry_path'>;

interface Family {
  name: string;
  /** `{runtime}` becomes the runtime's display name (Python3.6, Node8 ...). */
  description: string;
  requires_gpu: boolean;
  runtimes: Runtime[];
}

interface ImagesFixture {
  images: FixtureImage[];
  generated: { from: string; to: string; families: Family[] };
}

const RUNTIME_NAMES: Record<Runtime, string> = {
  python27: 'Python2.7',
  python36: 'Python3.6',
  node8: 'Node8',
  ruby25: 'Ruby2.5',
};

/**
 * The seed's two images and the rest of the real catalogue (its uuids and
 * descriptions as the public CLI's tests name them), then a generated
 * catalogue from the seeded faker: more runtimes, GPU and CPU images.
 */
export function seedSharedcloud(ctx: SeedContext): SharedcloudData {
  const users = ctx.fixture<User[]>('users');
  const instances = ctx.fixture<Instance[]>('instances');
  const fixture = ctx.fixture<ImagesFixture>('images');
  const images: StoredImage[] = fixture.images.map(withRegistryPath);
  for (const family of fixture.generated.families) {
    const runtimes = ctx.faker.helpers.arrayElements(family.runtimes, {
      min: 1,
      max: family.runtimes.length,
    });
    for (const runtime of runtimes) images.push(generated(ctx, family, runtime, fixture.generated));
  }
  return { users, instances, images };
}

function withRegistryPath(image: FixtureImage): StoredImage {
  return { ...image, registry_path: registryPath(image.name, image.runtime, image.tag) };
}

function generated(
  ctx: SeedContext,
  family: Family,
  runtime: Runtime,
  window: { from: string; to: string },
): StoredImage {
  const created = ctx.faker.date.between(window);
  created.setUTCMilliseconds(0);
  // most images were never rebuilt; some were, a few days later
  const updated = ctx.faker.datatype.boolean({ probability: 0.3 })
    ? ctx.faker.date.between({ from: created, to: window.to })
    : created;
  const tag = ctx.faker.helpers.weightedArrayElement([
    { weight: 5, value: 'latest' },
    { weight: 1, value: '1.0' },
  ]);
  return withRegistryPath({
    uuid: ctx.faker.string.uuid(),
    num_installations: ctx.faker.number.int({ min: 0, max: family.requires_gpu ? 12 : 40 }),
    updated_at: storedTimestamp(updated),
    created_at: storedTimestamp(created),
    name: family.name,
    description: family.description.replace('{runtime}', RUNTIME_NAMES[runtime]),
    requires_gpu: family.requires_gpu,
    runtime,
    tag,
  });
}
