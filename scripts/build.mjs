// Bundles the action into dist/ (committed) and the simulator into build/ (not committed).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const esm = {
  bundle: true,
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  format: 'esm',
  // CommonJS dependencies bundled into ESM still call require() for node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
  define: { __VERSION__: JSON.stringify(version) },
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...esm,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// dist/ runs as ESM wherever it is copied (the pipe image takes only dist/).
writeFileSync('dist/package.json', '{ "type": "module" }\n');
await build({ ...esm, entryPoints: { simulator: 'simulator/main.ts' }, outdir: 'build' });
