import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Compares `actual` with the committed file `<dir>/<name>`. A missing file is a failure, never a silent
 * write (a test that writes its own expectation cannot fail); `UPDATE_GOLDEN=1` rewrites the file instead,
 * for a deliberate change that is then reviewed in the diff.
 */
export function expectGolden(dir: string, name: string, actual: string): void {
  const file = join(dir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 to write it, review it and commit it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
