import type { SeedContext } from '../../store/seed-context.js';
import {
  CONTAINER_FORMATS,
  DISK_FORMATS,
  glanceTimestamp,
  type ImageStatus,
  type Visibility,
} from '../../validation/openstack-image.js';
import type { GlanceData, TokenRecord, UserRecord } from './model/index.js';
import { seedMetadefs } from './model/metadefs-seed.js';
import type { ImageRecord, MemberRecord, MemberStatus } from './model/image.js';

interface ImagesFixture {
  projects: string[];
  distros: { os_distro: string; versions: string[]; name: string }[];
  tags: string[];
  generated: number;
  curated: ImageRecord[];
  members: MemberRecord[];
}

/**
 * Hand-written images for the cases tests name (cirros, a protected image,
 * a hidden one, a deactivated one, a queued one, a shared one) plus
 * generated ones across four projects, every visibility, status, format,
 * size and tag mix, so each filter and page boundary has something to cut.
 * Some generated images share a creation second, so the id tie-break matters.
 */
export function seedGlance(ctx: SeedContext): GlanceData {
  const fixture = ctx.fixture<ImagesFixture>('images');
  const f = ctx.faker;
  const images: ImageRecord[] = fixture.curated.map((i) => ({
    ...i,
    tags: [...i.tags],
    properties: { ...i.properties },
  }));
  const members: MemberRecord[] = fixture.members.map((m) => ({ ...m }));
  let previous = new Date('2024-05-25T00:00:00Z');
  for (let n = 0; n < fixture.generated; n++) {
    const created =
      n % 10 === 9 ? previous : f.date.between({ from: '2023-01-01T00:00:00Z', to: '2024-05-25T00:00:00Z' });
    previous = created;
    const updated = new Date(created.getTime() + f.number.int({ min: 0, max: 86_400 }) * 1000);
    const status = f.helpers.weightedArrayElement<ImageStatus>([
      { weight: 70, value: 'active' },
      { weight: 12, value: 'queued' },
      { weight: 6, value: 'deactivated' },
      { weight: 6, value: 'killed' },
      { weight: 6, value: 'importing' },
    ]);
    const visibility = f.helpers.weightedArrayElement<Visibility>([
      { weight: 35, value: 'public' },
      { weight: 20, value: 'private' },
      { weight: 30, value: 'shared' },
      { weight: 15, value: 'community' },
    ]);
    const distro = f.helpers.arrayElement(fixture.distros);
    const version = f.helpers.arrayElement(distro.versions);
    const hasData = status === 'active' || status === 'deactivated';
    const hasFormats = status !== 'queued';
    const size = hasData ? f.number.int({ min: 1, max: 20_000 }) * 1024 * 1024 : null;
    const image: ImageRecord = {
      id: f.string.uuid(),
      name:
        f.number.int(99) < 4
          ? null
          : `${distro.name} ${version}${f.helpers.maybe(() => ` ${f.word.adjective()}`, { probability: 0.4 }) ?? ''}`,
      disk_format: hasFormats ? f.helpers.arrayElement(DISK_FORMATS) : null,
      container_format: hasFormats ? f.helpers.arrayElement(CONTAINER_FORMATS) : null,
      visibility,
      size,
      virtual_size: size !== null && f.datatype.boolean() ? size * f.number.int({ min: 1, max: 8 }) : null,
      status,
      checksum: hasData ? f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }) : null,
      protected: f.number.int(99) < 15,
      min_ram: f.helpers.arrayElement([0, 0, 512, 1024, 2048, 4096]),
      min_disk: f.helpers.arrayElement([0, 0, 1, 10, 20, 40]),
      owner: f.helpers.arrayElement(fixture.projects),
      os_hidden: f.number.int(99) < 8,
      os_hash_algo: hasData ? 'sha512' : null,
      os_hash_value: hasData ? f.string.hexadecimal({ length: 128, casing: 'lower', prefix: '' }) : null,
      created_at: glanceTimestamp(created),
      updated_at: glanceTimestamp(updated),
      tags: f.helpers.arrayElements(fixture.tags, { min: 0, max: 3 }),
      properties: { os_distro: distro.os_distro, os_version: version },
    };
    if (f.datatype.boolean())
      image.properties.hw_disk_bus = f.helpers.arrayElement(['virtio', 'scsi', 'ide']);
    images.push(image);
    if (visibility === 'shared') {
      for (const project of fixture.projects) {
        if (project === image.owner || f.number.int(99) >= 60) continue;
        members.push({
          image_id: image.id,
          member_id: project,
          status: f.helpers.arrayElement<MemberStatus>(['accepted', 'accepted', 'pending', 'rejected']),
          created_at: image.updated_at,
          updated_at: image.updated_at,
        });
      }
    }
  }
  return {
    images,
    members,
    tokens: ctx.fixture<TokenRecord[]>('tokens'),
    users: ctx.fixture<UserRecord[]>('users'),
    // no import has run and nothing is cached yet
    tasks: [],
    cache: [],
    ...seedMetadefs(ctx),
  };
}
