// Makes a directory the way an unclosed in-memory store would, and keeps it.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

it('leaves a temporary directory behind', () => {
  expect(mkdtempSync(path.join(os.tmpdir(), 'image-api-mocks-'))).toContain(os.tmpdir());
});
