import type { Router } from 'express';
import type { MockContext } from '../context.js';
import type { Scenario } from '../drift/scenario.js';
import type { ImportAdapter } from '../record/adapter.js';
import { buildRouter, type RouteTable } from '../http/route-table.js';
import type { StoreSection } from '../store/store.js';

/** How the admin API may put records into one of a provider's collections. */
export interface CollectionRules {
  /** Schema id (under schemas/) a stored record must satisfy. */
  schema: string;
  /** Fills defaults and derived fields of an admin-supplied record before validation. */
  prepare?(input: Record<string, unknown>, ctx: MockContext): Record<string, unknown>;
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
  /** Every route, declared once: it builds the router, the OpenAPI document and the console's list. */
  routes(ctx: MockContext): RouteTable;
  collections: Record<string, CollectionRules>;
  /** Lines for the start-up banner: base URLs, credentials. */
  banner(ctx: MockContext, baseUrl: string): string[];
  /** The credential scheme of the routes, for the OpenAPI document (optional). */
  auth?: AuthDoc;
  /** How `record import` turns this provider's recorded answers into records (loaded only when used). */
  importAdapter(): Promise<ImportAdapter>;
  /** This provider's scenario for `drift` against the real service (loaded only when used). */
  driftScenario(): Promise<Scenario>;
}

/** A record the admin API cannot store; the message names the field. */
export class RecordError extends Error {}

const tables = new WeakMap<MockContext, Map<string, RouteTable>>();

/** A provider's route table in one instance, built once: its router and its documents share it. */
export function routesOf(ctx: MockContext, provider: Provider): RouteTable {
  let byName = tables.get(ctx);
  if (!byName) tables.set(ctx, (byName = new Map<string, RouteTable>()));
  let table = byName.get(provider.name);
  if (!table) byName.set(provider.name, (table = provider.routes(ctx)));
  return table;
}

/** The Express router of a provider in one instance, built from its route table. */
export function providerRouter(ctx: MockContext, provider: Provider): Router {
  return buildRouter(ctx, provider.name, routesOf(ctx, provider));
}
