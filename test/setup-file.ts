// Runs in every test file (vitest setupFiles): whatever testContext() or
// testApp() opened is closed after the file, so no temporary directory stays.
import { afterAll } from 'vitest';
import { closeTestContexts } from './helpers.js';

afterAll(closeTestContexts);
