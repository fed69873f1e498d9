import type { Router } from 'express';
import type { MockContext } from '../context.js';
import type { Scenario } from '../drift/scenario.js';
import type { ImportAdapter } from '../record/adapter.js';
import type { StoreSection } from '../store/store.js';

/** How the admin API may put records into one of a provider's collections. */
export interface CollectionRules {
  /** Schema id (under schemas/) a stored record must satisfy. */
  schema: string;
  /** Fills defaults and derived fields of an admin-supplied record before validation. */
  prepare?(input: Record<string, unknown>, ctx: MockContext): Record<string, unknown>;
}

/** One operation, for the generated OpenAPI document and the web console. */
export interface EndpointDoc {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path template from the server root, e.g. `/api/v2/services/{service}/{environment}/images`. */
  path: string;
  summary: string;
  description?: string;
  /** Path parameters are derived from the template; list query and header parameters here. */
  parameters?: {
    name: string;
    in: 'query' | 'header' | 'path';
    description?: string;
    required?: boolean;
    schema?: object;
  }[];
  /** Request body schema id under schemas/ (and its content type, JSON by default). */
  request?: { schema: string; contentType?: string };
  /** Status → description and, for JSON bodies, the schema id under schemas/. */
  responses: { status: number; description: string; schema?: string; contentType?: string }[];
}

/** How a client proves who it is, for the OpenAPI security scheme. */
export type AuthDoc =
  | { type: 'apiKey'; in: 'header'; name: string; description?: string }
  | { type: 'http'; scheme: 'basic' | 'bearer'; description?: string };

export interface Provider {
  /** Short id: store file name, admin path segment, schemas/ and fixtures/ folder. */
  name: string;
  title: string;
  store: StoreSection;
  /** Path prefixes the router is mounted at; they never overlap another provider's. */
  mountPaths: string[];
  router(ctx: MockContext): Router;
  collections: Record<string, CollectionRules>;
  /** Lines for the start-up banner: base URLs, credentials. */
  banner(ctx: MockContext, baseUrl: string): string[];
  /** Operations, for the OpenAPI document under /__admin/openapi/ and the console (optional). */
  endpoints?: EndpointDoc[];
  /** The credential scheme of `endpoints` (optional). */
  auth?: AuthDoc;
  /** How `record import` turns this provider's recorded answers into records (loaded only when used). */
  importAdapter(): Promise<ImportAdapter>;
  /** This provider's scenario for `drift` against the real service (loaded only when used). */
  driftScenario(): Promise<Scenario>;
}

/** A record the admin API cannot store; the message names the field. */
export class RecordError extends Error {}
