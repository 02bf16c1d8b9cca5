// `npm run bench`: how fast ecs-ship reacts, how few calls it spends, how quickly it starts. See README, Performance.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { appFigures, measureApp } from './app';
import { measureBuildPath } from './build-path';
import { bundleSize } from './bundle';
import { computeWait } from './computed';
import { ACTED_BY, EVENT_TITLES, EVENTS, measureEvent, type EventSample } from './latency';
import { parseOptions, PARTS, USAGE, type BenchPart } from './options';
import { writeReadmeFigures } from './readme';
import { runPool } from './pool';
import { NODE24, ROOT } from './process';
import { buildPathFigures, formatResults, latencyRows, perMinute, rerunFigures, startupFigures, TARGETS, type BenchResults } from './results';
import { measureStartup } from './startup';
import { measureVerdicts } from './verdict';

function gitState(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'scripts', 'dist'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

const progress = (text: string) => process.stderr.write(process.stderr.isTTY ? `\r${text.padEnd(60)}` : `${text}\n`);
const everyTenth = (done: number, total: number) => (process.stderr.isTTY || done % 10 === 0 || done === total) && progress(`deploys measured: ${done}/${total}`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(options.action)) throw new Error(`${options.action} does not exist: run npm run build first (npm run bench does).\n${USAGE}`);
  const started = Date.now();

  const parts = options.parts;
  const measured = async <T>(part: BenchPart, text: string, measure: () => Promise<T>): Promise<T | undefined> => {
    if (!parts.has(part)) return undefined;
    progress(text);
    return measure();
  };
  const startup = await measured('startup', 'start-up and re-runs (one process at a time)…', () => measureStartup(options.action, options.startupRepetitions));
  const buildPath = await measured('build', 'the image path: first build, rebuild, redeploy (one process at a time)…', () => measureBuildPath(options.action, options.buildRepetitions));
  const verdicts = await measured('verdicts', 'time to a verdict on deploys that cannot start, with and without verify (one process at a time)…', () => measureVerdicts(options.action));

  const appWaitMs = options.quick ? 30_000 : 120_000;
  const app = await measured('app', `the whole app: ${options.apps.join(', ')} services in one run (one run at a time)…`, async () => {
    const samples = [];
    for (const count of options.apps) samples.push(await measureApp(options.action, count, appWaitMs));
    return samples;
  });

  const jobs: Array<() => Promise<EventSample>> = [];
  for (const { waitMs, runs } of parts.has('latency') ? options.waits : []) {
    for (let i = 0; i < runs; i++) for (const kind of EVENTS) jobs.push(() => measureEvent(kind, waitMs, { action: options.action }));
  }
  const throttledJobs = parts.has('latency') ? Array.from({ length: 2 }, () => () => measureEvent('rollout-completed', 30_000, { action: options.action, throttleRate: 0.3 })) : [];
  const samples = await runPool([...jobs, ...throttledJobs], options.concurrency, everyTenth);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const latencySamples = samples.slice(0, jobs.length);
  const throttledSamples = samples.slice(jobs.length);
  const ok = latencySamples.filter((sample) => sample.ok);

  const longest = Math.max(...options.waits.map((w) => w.waitMs));
  const computedWaits = [5_000, 30_000, 120_000, 300_000, 1_800_000].filter((ms) => !options.quick || ms <= longest || ms === 1_800_000);
  const results: BenchResults = {
    meta: {
      ...gitState(),
      date: new Date().toISOString(),
      node: execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim(),
      cpus: availableParallelism(),
      dist: relative(ROOT, options.distDir) || options.distDir,
      quick: options.quick,
      parts: [...parts],
      durationS: Math.round((Date.now() - started) / 1000),
    },
    targets: TARGETS,
    latency: parts.has('latency')
      ? {
          actedBy: Object.fromEntries(EVENTS.map((kind) => [EVENT_TITLES[kind], ACTED_BY[kind]])),
          rows: latencyRows(latencySamples),
          failedRuns: latencySamples.filter((sample) => !sample.ok).map((sample) => ({ kind: sample.kind, waitS: sample.nominalWaitMs / 1000, problem: sample.problem })),
          ecsReadsPerMinute: perMinute(ok, (sample) => sample.ecsReads),
          logReadsPerMinute: perMinute(
            ok.filter((sample) => sample.kind === 'migration-stopped'),
            (sample) => sample.logReads,
          ),
          throttled: {
            runs: throttledSamples.length,
            ok: throttledSamples.filter((sample) => sample.ok).length,
            ecsReadsPerMinute: perMinute(throttledSamples, (sample) => sample.ecsReads).first2Min,
            warningsPerRun: throttledSamples.map((sample) => sample.throttleWarnings),
          },
        }
      : undefined,
    computed: computedWaits.map(computeWait),
    startup: startup && startupFigures(startup),
    bundle: bundleSize(options.distDir),
    rerun: startup && rerunFigures(startup),
    buildPath: buildPath && buildPathFigures(buildPath),
    verdicts,
    app,
  };
  console.log(formatResults(results));
  if (app) console.log(`\n${appFigures(app)}`);
  // A run of every part of this checkout's bundle writes the README's figures: they are always the last ones printed.
  if (parts.size === PARTS.length && options.distDir === join(ROOT, 'dist')) {
    const args = process.argv.slice(2).filter((arg, i, all) => arg !== '--out' && all[i - 1] !== '--out');
    const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
    console.log(writeReadmeFigures(results, command, join(ROOT, 'README.md')) ? '\nREADME.md: the Performance figures are this run\'s.' : '\nREADME.md: no figure markers found; not written.');
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify({ ...results, samples: latencySamples.map(({ ecsReads, logReads, ...rest }) => ({ ...rest, ecsReads: ecsReads.length, logReads: logReads.length })) }, null, 2)}\n`);
  console.log(`\nJSON: ${relative(ROOT, options.out)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
