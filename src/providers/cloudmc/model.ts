/** The CloudMC images plugin's data, apart from HTTP. */

export type Flavour = 'stackpath' | 'cox';
export const IMAGE_STATUSES = ['READY', 'PENDING', 'PROCESSING', 'FAILED', 'IMAGE_STATUS_UNKNOWN'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export interface Environment {
  name: string;
  stackId: string;
}

export interface Connection {
  serviceCode: string;
  flavour: Flavour;
  name: string;
  slug: string;
  systemStackId: string;
  environments: readonly Environment[];
}

export interface ApiKey {
  key: string;
  name: string;
  bindings: readonly { serviceCode: string; environment: string }[];
}

/** An image as stored: the wire fields plus what the API never shows. */
export interface StoredImage {
  serviceCode: string;
  /** null: a default (system) image, visible in every environment of the service. */
  environment: string | null;
  deprecated: boolean;
  stackId: string;
  id: string;
  slug: string;
  family: string;
  tag: string;
  createdAt: string;
  description: string;
  reference: string;
  status: ImageStatus;
}

export type CloudmcData = {
  connections: Connection[];
  apiKeys: ApiKey[];
  images: StoredImage[];
};

/** The image in the documented field order. */
export function toWire(image: StoredImage) {
  return {
    stackId: image.stackId,
    id: image.id,
    slug: image.slug,
    family: image.family,
    tag: image.tag,
    createdAt: image.createdAt,
    description: image.description,
    reference: image.reference,
    status: image.status,
  };
}

export const imageId = (stackId: string, family: string, tag: string) => `${stackId}/${family}/${tag}`;
export const imageReference = (slug: string, family: string, tag: string) => `${slug}/${family}:${tag}`;

/** RFC 3339 UTC with microseconds, as CloudMC writes `createdAt`. */
export function microsecondTimestamp(date: Date, micros = 0): string {
  return date
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}${String(micros).padStart(3, '0')}Z`);
}

export function mayAccess(key: ApiKey, serviceCode: string, environment: string): boolean {
  return key.bindings.some(
    (b) =>
      (b.serviceCode === '*' || b.serviceCode === serviceCode) &&
      (b.environment === '*' || b.environment === environment),
  );
}

/** Which images a list answers, given the flavour's own filter parameter. */
export type Kind = 'default' | 'custom' | 'all';

export function listKind(flavour: Flavour, query: Record<string, unknown>): Kind {
  if (flavour === 'stackpath') {
    const t = query.imageType;
    return t === 'default' || t === 'custom' ? t : 'all';
  }
  return query.includeOnlySystemImages === 'true' ? 'default' : 'all';
}

const byCreation = (a: StoredImage, b: StoredImage) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export function visibleIn(image: StoredImage, serviceCode: string, environment: string): boolean {
  return (
    image.serviceCode === serviceCode && (image.environment === null || image.environment === environment)
  );
}

/** Non-deprecated images of one environment, oldest first. */
export function listImages(
  images: readonly StoredImage[],
  serviceCode: string,
  environment: string,
  kind: Kind,
): StoredImage[] {
  return images
    .filter(
      (i) =>
        !i.deprecated &&
        visibleIn(i, serviceCode, environment) &&
        (kind === 'all' || (kind === 'default') === (i.environment === null)),
    )
    .sort(byCreation);
}

/**
 * A direct lookup finds deprecated images too. `sameId` are the images with
 * this id (the same system image id exists once per service connection).
 */
export function findImage(sameId: readonly StoredImage[], serviceCode: string, environment: string) {
  return sameId.find((i) => visibleIn(i, serviceCode, environment));
}
