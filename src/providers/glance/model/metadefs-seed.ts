import type { SeedContext } from '../../../store/seed-context.js';
import type { MetadefData } from './metadefs.js';

type MetadefsFixture = {
  [K in keyof MetadefData as K extends `metadef_${infer N}` ? N : never]: MetadefData[K];
};

/**
 * The metadata definitions fixture (fixtures/glance/metadefs.json): five of
 * the namespaces Glance ships, trimmed, as `glance-manage db_load_metadefs`
 * loads them (owner admin, no updated_at), and a private namespace of the
 * user project with tags, each with its objects, properties and resource
 * type associations.
 */
export function seedMetadefs(ctx: SeedContext): MetadefData {
  const f = ctx.fixture<MetadefsFixture>('metadefs');
  return {
    metadef_namespaces: f.namespaces.map((r) => ({ ...r })),
    metadef_objects: f.objects.map((r) => structuredClone(r)),
    metadef_properties: f.properties.map((r) => structuredClone(r)),
    metadef_tags: f.tags.map((r) => ({ ...r })),
    metadef_resource_types: f.resource_types.map((r) => ({ ...r })),
    metadef_associations: f.associations.map((r) => ({ ...r })),
  };
}
