import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONTAINER_FORMATS,
  DISK_FORMATS,
  IMAGE_STATUSES,
  VISIBILITIES,
} from '../../src/validation/openstack-image.js';

const schema = JSON.parse(
  readFileSync(new URL('../../schemas/alliance/image.json', import.meta.url), 'utf8'),
) as {
  properties: Record<string, { enum?: unknown[] }>;
};

describe('the Alliance image schema uses the Glance value sets of src/providers/openstack', () => {
  it('formats (plus null for an image without data), visibilities and statuses', () => {
    expect(schema.properties.disk_format!.enum).toEqual([...DISK_FORMATS, null]);
    expect(schema.properties.container_format!.enum).toEqual([...CONTAINER_FORMATS, null]);
    expect(schema.properties.visibility!.enum).toEqual([...VISIBILITIES]);
    expect(schema.properties.status!.enum).toEqual([...IMAGE_STATUSES]);
  });
});
