import type { Scenario } from '../scenario.js';
import { allianceScenario } from './alliance.js';
import { cloudmcScenario } from './cloudmc.js';
import { glanceScenario } from './glance.js';
import { sharedcloudScenario } from './sharedcloud.js';

/** The built-in scenario of each provider. */
export const scenarios: Record<string, Scenario> = {
  cloudmc: cloudmcScenario,
  sharedcloud: sharedcloudScenario,
  glance: glanceScenario,
  alliance: allianceScenario,
};
