import { cloudmc } from './cloudmc/index.js';
import type { Provider } from './provider.js';

/** Every provider the server mounts, in banner order. */
export const providers: Provider[] = [cloudmc];
