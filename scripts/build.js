#!/usr/bin/env node
// Compiles src/ to dist/ with swc: about a second, where tsc takes ~30 s on a small machine. Types are
// checked by `npm test` (tsc --noEmit), not here. With --if-stale it does nothing when dist/ is newer than
// every source file, so `npm start` and `npx jogg-bridge` start at once on an unchanged checkout.
const { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const root = join(__dirname, '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');

function sources(dir, files = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, files);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** True when some input is newer than the last build (or there was none). */
function stale(files) {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = [...files, join(root, '.swcrc'), join(root, 'package.json'), __filename];
  return inputs.some((file) => statSync(file).mtimeMs > built) || newestDir(src) > built;
}

/** A deleted or renamed source changes its folder's mtime, which the files alone would not show. */
function newestDir(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) newest = Math.max(newest, newestDir(join(dir, entry.name)));
  }
  return newest;
}

async function build({ ifStale = false, quiet = false } = {}) {
  const files = sources(src);
  if (ifStale && !stale(files)) return false;
  const swc = require('@swc/core');
  const options = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
  delete options.$schema;
  const started = Date.now();
  await Promise.all(
    files.map(async (file) => {
      const rel = relative(src, file).replace(/\.ts$/, '.js');
      const out = join(dist, rel);
      const { code, map } = await swc.transform(readFileSync(file, 'utf8'), {
        ...options,
        swcrc: false,
        filename: file,
        sourceFileName: relative(dirname(out), file),
        outputPath: out,
      });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, map ? `${code}\n//# sourceMappingURL=${rel.split('/').pop()}.map\n` : code);
      if (map) writeFileSync(`${out}.map`, map);
    }),
  );
  mkdirSync(dist, { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  if (!quiet) process.stderr.write(`built ${files.length} files into dist/ in ${Date.now() - started} ms\n`);
  return true;
}

module.exports = { build };

if (require.main === module) {
  const args = process.argv.slice(2);
  build({ ifStale: args.includes('--if-stale'), quiet: args.includes('--quiet') }).catch((error) => {
    process.stderr.write(`build failed: ${error.message}\n`);
    process.exit(1);
  });
}
