import type { SeedContext } from '../../store/seed-context.js';
import type { AllianceData, StoredImage } from './model/index.js';

/**
 * The seed's list, get and create examples in ccsr1 / 54915a05..., and
 * images of a second environment in ccsr1 and of a second namespace, so
 * isolation shows. Fixed values only: nothing here depends on the faker.
 */
export function seedAlliance(ctx: SeedContext): AllianceData {
  return { images: ctx.fixture<StoredImage[]>('images') };
}
