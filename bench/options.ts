import { join, resolve } from 'node:path';
import { ROOT } from './process';

export interface BenchOptions {
  /** The bundle to measure: dist/index.js of this checkout unless --dist names another dist/ directory. */
  distDir: string;
  action: string;
  /** Nominal waits (ms) and how many runs of each per event. */
  waits: Array<{ waitMs: number; runs: number }>;
  concurrency: number;
  startupRepetitions: number;
  /** First build, rebuild and redeploy, this many times each. */
  buildRepetitions: number;
  out: string;
  quick: boolean;
  /** The parts to measure (all by default). */
  parts: Set<BenchPart>;
  /** The whole-app sizes, in services. */
  apps: number[];
}

export const PARTS = ['startup', 'build', 'verdicts', 'app', 'latency'] as const;
export type BenchPart = (typeof PARTS)[number];

const FULL_WAITS = [
  { waitMs: 300_000, runs: 2 },
  { waitMs: 120_000, runs: 4 },
  { waitMs: 30_000, runs: 6 },
  { waitMs: 5_000, runs: 8 },
];
const QUICK_WAITS = [
  { waitMs: 30_000, runs: 2 },
  { waitMs: 5_000, runs: 3 },
];

export const USAGE = `usage: npm run bench [-- --quick] [--dist DIR] [--concurrency N] [--out FILE]
  --quick        5 s and 30 s waits only, fewer runs (about a minute; no after-2-minutes figures)
  --dist DIR     measure another build's dist/ directory (e.g. a worktree of an older commit)
  --concurrency  deploys measured at the same time (default 16; each has its own simulator)
  --out FILE     where the JSON goes (default bench/results/latest.json)
  --only PARTS   measure only these, comma-separated: ${PARTS.join(', ')} (while iterating; the README is written only by a run of all)
  --apps N,N     the whole app's sizes (default 1,3,10,30,50; 1 is the reference)
  --waits S:N,…  the latency runs: waits in seconds and runs of each per event (default 300:2,120:4,30:6,5:8)`;

export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    distDir: join(ROOT, 'dist'),
    action: '',
    waits: FULL_WAITS,
    concurrency: 16,
    startupRepetitions: 15,
    buildRepetitions: 3,
    out: join(ROOT, 'bench/results/latest.json'),
    quick: false,
    parts: new Set(PARTS),
    apps: [1, 3, 10, 30, 50],
  };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argv[i - 1]} needs a value\n${USAGE}`);
      return next;
    };
    switch (argv[i]) {
      case '--quick':
        options.quick = true;
        options.waits = QUICK_WAITS;
        options.startupRepetitions = 5;
        options.buildRepetitions = 1;
        break;
      case '--dist':
        options.distDir = resolve(value());
        break;
      case '--concurrency':
        options.concurrency = Math.max(1, Number(value()) || 1);
        break;
      case '--out':
        options.out = resolve(value());
        break;
      case '--only': {
        const parts = value().split(',');
        const unknown = parts.filter((part) => !(PARTS as readonly string[]).includes(part));
        if (unknown.length) throw new Error(`unknown part ${unknown.join(', ')}\n${USAGE}`);
        options.parts = new Set(parts as BenchPart[]);
        break;
      }
      case '--waits':
        options.waits = value()
          .split(',')
          .map((pair) => pair.split(':').map(Number))
          .map(([seconds, runs]) => ({ waitMs: seconds * 1000, runs: runs || 1 }));
        break;
      case '--apps':
        options.apps = value().split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  options.action = join(options.distDir, 'index.js');
  return options;
}
