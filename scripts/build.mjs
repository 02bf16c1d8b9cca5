// Bundles the action into dist/ (committed), and the simulator and the benchmark into bundles/ (not committed).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version, engines } = JSON.parse(readFileSync('package.json', 'utf8'));
// The bundle checks the Node.js it runs on against package.json's floor before it loads anything else.
const nodeFloor = Number(/^>=(\d+)$/.exec(engines.node)?.[1]);
if (!nodeFloor) throw new Error(`package.json engines.node must be ">=N", not ${JSON.stringify(engines.node)}`);

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
  define: { __VERSION__: JSON.stringify(version), __NODE_FLOOR__: String(nodeFloor) },
};

/**
 * @actions/core imports @actions/http-client, and with it undici (~400 KB), only for getIDToken (OIDC
 * tokens for the job), which ecs-ship never calls. This stands in for it; calling it fails loudly.
 */
const withoutActionsHttpClient = {
  name: 'without-actions-http-client',
  setup(build) {
    build.onResolve({ filter: /^@actions\/http-client(\/|$)/ }, (args) =>
      /[\\/]@actions[\\/]core[\\/]/.test(args.importer) ? { path: args.path, namespace: 'unused-http-client' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'unused-http-client' }, () => ({
      loader: 'js',
      contents: [
        "const unused = () => { throw new Error('ecs-ship is bundled without @actions/http-client: getIDToken is not available'); };",
        'export class HttpClient { constructor() { unused(); } }',
        'export class BearerCredentialHandler { constructor() { unused(); } }',
      ].join('\n'),
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
const bundle = await build({
  ...esm,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [withoutActionsHttpClient],
  metafile: true,
});
// dist/ runs as ESM wherever it is copied (the pipe image takes only dist/).
writeFileSync('dist/package.json', '{ "type": "module" }\n');
await build({ ...esm, entryPoints: { simulator: 'simulator/main.ts', bench: 'bench/main.ts' }, outdir: 'bundles' });
// The packages dist/ contains (what `npm install ecs-ship` runs without installing): .ci/run audits these.
writeFileSync('bundles/dist-packages.json', `${JSON.stringify(bundledPackages(bundle.metafile), null, 2)}\n`);

/** Package names of the bundle's inputs under node_modules, each once, sorted. */
function bundledPackages(metafile) {
  const names = Object.keys(metafile.inputs).flatMap((input) => {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(input);
    return match ? [match[1]] : [];
  });
  return [...new Set(names)].sort();
}
