import type { Router } from 'express';
import type { MockContext } from '../context.js';
import type { StoreSection } from '../store/store.js';

/** How the admin API may put records into one of a provider's collections. */
export interface CollectionRules {
  /** Schema id (under schemas/) a stored record must satisfy. */
  schema: string;
  /** The record's identity within the collection (used by admin delete). */
  id(record: Record<string, unknown>): string;
  /** Fills defaults and derived fields of an admin-supplied record before validation. */
  prepare?(input: Record<string, unknown>, ctx: MockContext): Record<string, unknown>;
}

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
}

/** A record the admin API cannot store; the message names the field. */
export class RecordError extends Error {}
