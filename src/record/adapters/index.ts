import type { ImportAdapter } from './adapter.js';
import { allianceImport } from './alliance.js';
import { cloudmcImport } from './cloudmc.js';
import { glanceImport } from './glance.js';
import { sharedcloudImport } from './sharedcloud.js';

/** Import adapters by provider name; a provider without one cannot be imported yet. */
export const importAdapters: Record<string, ImportAdapter> = {
  cloudmc: cloudmcImport,
  sharedcloud: sharedcloudImport,
  glance: glanceImport,
  alliance: allianceImport,
};
