import type { Resource } from '../../../../http/route-table.js';
import type { GlanceRoutes } from '../kit.js';
import { metadefKit } from './metadef-kit.js';
import { namespaceResources } from './namespaces.js';
import { objectResources } from './objects.js';
import { propertyResources } from './properties.js';
import { resourceTypeResources } from './resource-types.js';
import { tagResources } from './tags.js';

/** The metadata definitions API (Glance's /v2/metadefs), in the order Glance's router matches it. */
export function metadefResources(k: GlanceRoutes): Resource[] {
  const m = metadefKit(k);
  return [
    ...namespaceResources(m),
    ...objectResources(m),
    ...propertyResources(m),
    ...tagResources(m),
    ...resourceTypeResources(m),
  ];
}
