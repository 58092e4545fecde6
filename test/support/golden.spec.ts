import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectGolden } from './golden';

describe('golden files', () => {
  let dir: string;
  const saved = process.env.UPDATE_GOLDEN;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-golden-'));
    delete process.env.UPDATE_GOLDEN;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.UPDATE_GOLDEN;
    else process.env.UPDATE_GOLDEN = saved;
  });

  it('fails when the golden file is missing, and does not write it', () => {
    expect(() => expectGolden(dir, 'missing.txt', 'anything')).toThrow(/golden file missing\.txt is missing: run with UPDATE_GOLDEN=1/);
    expect(existsSync(join(dir, 'missing.txt'))).toBe(false);
  });

  it('fails when the output differs from the committed file', () => {
    writeFileSync(join(dir, 'out.txt'), 'expected\n');
    expect(() => expectGolden(dir, 'out.txt', 'actual\n')).toThrow();
    expect(() => expectGolden(dir, 'out.txt', 'expected\n')).not.toThrow();
  });

  it('writes the file only when UPDATE_GOLDEN=1 is set', () => {
    process.env.UPDATE_GOLDEN = '1';
    expectGolden(dir, 'new.txt', 'fresh\n');
    delete process.env.UPDATE_GOLDEN;
    expect(() => expectGolden(dir, 'new.txt', 'fresh\n')).not.toThrow();
  });
});
