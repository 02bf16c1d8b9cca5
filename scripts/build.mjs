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

/**
 * An ESM import of a Node.js built-in reads every export of it, getters included, and `node:http`'s
 * WebSocket, CloseEvent and MessageEvent load undici (~17 ms of start-up) that no AWS call needs. The
 * bundle takes `node:http` and `node:https` with require() instead, and their exports that are no getters.
 */
const httpByRequire = {
  name: 'http-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?https?$/ }, (args) =>
      // The stand-in's own require() is of the built-in itself.
      args.namespace === 'http-by-require' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'http-by-require' },
    );
    build.onLoad({ filter: /.*/, namespace: 'http-by-require' }, async (args) => {
      const real = (await import(`node:${args.path}`)).default;
      // Getters are left out: WebSocket and the like load undici, globalAgent makes an agent nobody uses.
      const names = Object.keys(real).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && !Object.getOwnPropertyDescriptor(real, name)?.get);
      return { loader: 'js', contents: [`const m = require('node:${args.path}');`, 'export default m;', ...names.map((name) => `export const ${name} = m.${name};`)].join('\n') };
    });
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
  plugins: [withoutActionsHttpClient, httpByRequire],
  metafile: true,
});
// dist/ runs as ESM wherever it is copied (the pipe image takes only dist/).
writeFileSync('dist/package.json', '{ "type": "module" }\n');
await build({ ...esm, entryPoints: { simulator: 'simulator/main.ts', bench: 'bench/main.ts' }, outdir: 'bundles' });
// The packages dist/ contains (what `npm install ecs-ship` runs without installing): .ci/run audits these.
writeFileSync('bundles/dist-packages.json', `${JSON.stringify(bundledPackages(bundle.metafile), null, 2)}\n`);
// What dist/ is made of, largest first (the bench names the largest parts).
writeFileSync('bundles/dist-parts.json', `${JSON.stringify(bundleParts(bundle.metafile), null, 2)}\n`);

/** Package names of the bundle's inputs under node_modules, each once, sorted. */
function bundledPackages(metafile) {
  const names = Object.keys(metafile.inputs).flatMap((input) => {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(input);
    return match ? [match[1]] : [];
  });
  return [...new Set(names)].sort();
}

/** Bytes in dist/ by package (node_modules) or by folder of the project (src/aws, simulator), largest first. */
function bundleParts(metafile) {
  const bytes = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(input)?.[1];
      const name = pkg ?? input.split('/').slice(0, input.startsWith('src/') ? 2 : 1).join('/').replace(/\.ts$/, '');
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}
