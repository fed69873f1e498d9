import { alliance } from './alliance/index.js';
import { cloudmc } from './cloudmc/index.js';
import { glance } from './glance/index.js';
import type { Provider } from './provider.js';
import { sharedcloud } from './sharedcloud/index.js';

/** Every provider the server mounts, in banner order. */
export const providers: Provider[] = [cloudmc, sharedcloud, alliance, glance];
