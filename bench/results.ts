import type { AppSample } from './app';
import type { BuildPathSamples } from './build-path';
import { SIMULATED_SECOND_MS, type VerdictSample } from './verdict';
import type { BundleSize } from './bundle';
import type { ComputedWait } from './computed';
import { EVENT_TITLES, EVENTS, type EventSample } from './latency';
import { PACE } from '../src/aws/poll';
import type { StartupSamples } from './startup';
import { median, round, summary } from './stats';

const EARLY_MS = PACE.earlyPhaseMs;

export const TARGETS = {
  latencyP50S: 1,
  latencyP95S: 2,
  ecsReadsPerMinuteFirst2Min: 60,
  ecsReadsPerMinuteAfter: 30,
  startupOverheadMs: 150,
  bundleBytes: 1.5 * 1024 * 1024,
  rerunS: 3,
  verdictS: 3,
};

export interface LatencyRow {
  event: string;
  waitS: number | 'all';
  runs: number;
  p50S: number;
  p95S: number;
  maxS: number;
}

const seconds = (ms: number) => round(ms / 1000, 2);

function latencyRow(event: string, waitS: number | 'all', samples: EventSample[]): LatencyRow {
  const s = summary(samples.map((sample) => sample.latencyMs));
  return { event, waitS, runs: s.n, p50S: seconds(s.p50), p95S: seconds(s.p95), maxS: seconds(s.max) };
}

export function latencyRows(samples: EventSample[]): LatencyRow[] {
  const ok = samples.filter((sample) => sample.ok);
  const waits = [...new Set(ok.map((sample) => sample.nominalWaitMs))].sort((a, b) => a - b);
  const rows: LatencyRow[] = [];
  for (const kind of EVENTS) {
    for (const wait of waits) {
      const group = ok.filter((sample) => sample.kind === kind && sample.nominalWaitMs === wait);
      if (group.length) rows.push(latencyRow(EVENT_TITLES[kind], wait / 1000, group));
    }
  }
  for (const wait of waits) rows.push(latencyRow('all events', wait / 1000, ok.filter((sample) => sample.nominalWaitMs === wait)));
  rows.push(latencyRow('all events', 'all', ok));
  return rows;
}

/** Calls per minute in the first two minutes of the waits and after them, over all the samples' waits. */
export function perMinute(samples: EventSample[], reads: (sample: EventSample) => number[]): { first2Min: number; after: number | null } {
  let early = 0;
  let late = 0;
  let earlyMs = 0;
  let lateMs = 0;
  for (const sample of samples) {
    const duration = sample.waitMs + sample.detectMs;
    earlyMs += Math.min(duration, EARLY_MS);
    lateMs += Math.max(0, duration - EARLY_MS);
    for (const t of reads(sample)) t < EARLY_MS ? early++ : late++;
  }
  return { first2Min: round(early / (earlyMs / 60_000), 1), after: lateMs > 0 ? round(late / (lateMs / 60_000), 1) : null };
}

export function startupFigures(samples: StartupSamples) {
  const node = median(samples.nodeMs);
  const frontEnd = (values: number[]) => ({ medianMs: round(median(values)), overheadMs: round(median(values) - node), runs: values.length });
  return {
    nodeMedianMs: round(node),
    runs: samples.nodeMs.length,
    version: frontEnd(samples.versionMs),
    github: frontEnd(samples.firstRequestMs.github),
    cli: frontEnd(samples.firstRequestMs.cli),
    coldGithub: frontEnd(samples.coldFirstRequestMs.github),
    coldCli: frontEnd(samples.coldFirstRequestMs.cli),
  };
}

export function rerunFigures(samples: StartupSamples) {
  const wall = samples.rerun.map((run) => run.wallMs);
  const mutating = [...new Set(samples.rerun.flatMap((run) => run.calls).filter((action) => !/^(Describe|List|Get)/.test(action)))];
  return {
    runs: wall.length,
    medianS: seconds(median(wall)),
    maxS: seconds(Math.max(...wall)),
    allSucceeded: samples.rerun.every((run) => run.code === 0),
    calls: samples.rerun[0]?.calls ?? [],
    mutatingCalls: mutating,
  };
}

export function buildPathFigures(samples: BuildPathSamples) {
  if (samples.skipped) return { skipped: samples.skipped };
  const figures = (values: number[]) => ({ medianS: seconds(median(values)), maxS: seconds(Math.max(...values)) });
  return { runs: samples.firstBuildMs.length, firstBuild: figures(samples.firstBuildMs), rebuild: figures(samples.rebuildMs), redeploy: figures(samples.redeployMs) };
}

export interface LatencyResults {
  actedBy: Record<string, string>;
  rows: LatencyRow[];
  failedRuns: Array<{ kind: string; waitS: number; problem?: string }>;
  ecsReadsPerMinute: { first2Min: number; after: number | null };
  logReadsPerMinute: { first2Min: number; after: number | null };
  throttled: { runs: number; ok: number; ecsReadsPerMinute: number; warningsPerRun: number[] };
}

/** What one run measured; a part left out (--only) is undefined. */
export interface BenchResults {
  meta: { commit: string; dirty: boolean; date: string; node: string; cpus: number; dist: string; quick: boolean; parts: string[]; durationS: number };
  targets: typeof TARGETS;
  latency?: LatencyResults;
  computed: ComputedWait[];
  startup?: ReturnType<typeof startupFigures>;
  bundle: BundleSize;
  rerun?: ReturnType<typeof rerunFigures>;
  buildPath?: ReturnType<typeof buildPathFigures>;
  verdicts?: VerdictSample[];
  app?: AppSample[];
}

const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
const pad = (value: unknown, width: number) => String(value).padEnd(width);
const padLeft = (value: unknown, width: number) => String(value).padStart(width);
const waitText = (s: number | 'all') => (s === 'all' ? 'all' : s >= 60 ? `${s / 60} min` : `${s} s`);
const fixed = (value: number | null, digits = 2) => (value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits));

/** The table the bench prints. */
export function formatResults(r: BenchResults): string {
  const t = r.targets;
  const lines: string[] = [];
  lines.push(`ecs-ship benchmark — ${r.meta.commit}${r.meta.dirty ? ' (uncommitted changes)' : ''}, ${r.meta.date}, Node ${r.meta.node}, ${r.meta.cpus} CPUs, ${r.meta.durationS} s`);
  lines.push('');
  if (r.latency) lines.push(...latencyLines(r.latency, t), '');
  lines.push('Computed from the pace function (src/aws/poll.ts) for a wait with no sign of its end, reads taking no time');
  lines.push(`  ${pad('wait', 8)}${padLeft('reads', 6)}${padLeft('/min ≤2min', 11)}${padLeft('/min after', 11)}${padLeft('p50', 7)}${padLeft('p95', 7)}${padLeft('p50 after 2 min', 17)}${padLeft('p95 after', 11)}`);
  for (const c of r.computed) {
    const late = c.blindLatencyLate;
    lines.push(
      `  ${pad(waitText(c.waitMs / 1000), 8)}${padLeft(c.reads, 6)}${padLeft(fixed(c.readsPerMinuteEarly, 1), 11)}${padLeft(fixed(c.readsPerMinuteLate, 1), 11)}` +
        `${padLeft(fixed(c.blindLatency.p50 / 1000), 7)}${padLeft(fixed(c.blindLatency.p95 / 1000), 7)}${padLeft(late ? fixed(late.p50 / 1000) : '—', 17)}${padLeft(late ? fixed(late.p95 / 1000) : '—', 11)}`,
    );
  }
  lines.push('');
  if (r.latency) lines.push(...readLines(r.latency, t), '');
  const s = r.startup;
  if (s) {
    lines.push(`Start-up to the first AWS request (median of ${s.runs}, same run): node -e 0 ${s.nodeMedianMs} ms (spawn to exit)`);
    lines.push(`  GitHub front end ${s.github.medianMs} ms: +${s.github.overheadMs} ms (target ≤ +${t.startupOverheadMs}: ${mark(s.github.overheadMs <= t.startupOverheadMs)})`);
    lines.push(`  CLI              ${s.cli.medianMs} ms: +${s.cli.overheadMs} ms (target ≤ +${t.startupOverheadMs}: ${mark(s.cli.overheadMs <= t.startupOverheadMs)})`);
    lines.push(`  (Node's compile cache warm, as from a machine's second run on; a machine's first run, with none: GitHub +${s.coldGithub.overheadMs} ms, CLI +${s.coldCli.overheadMs} ms)`);
    lines.push(`  --version        ${s.version.medianMs} ms (spawn to exit): +${s.version.overheadMs} ms`);
  }
  lines.push(...bundleLines(r.bundle, r.meta.dist, t.bundleBytes));
  const re = r.rerun;
  if (re) {
    lines.push(
      `Re-run of the deployed commit (${re.runs} runs): median ${fixed(re.medianS)} s, max ${fixed(re.maxS)} s (target < ${t.rerunS} s: ${mark(re.maxS < t.rerunS && re.allSucceeded)}); ` +
        `calls: ${re.calls.join(', ')}; mutating: ${re.mutatingCalls.join(', ') || 'none'}`,
    );
  }
  const b = r.buildPath;
  if (b && 'skipped' in b) lines.push(`Image path: not measured: ${b.skipped}`);
  else if (b) {
    const text = (f: { medianS: number; maxS: number }) => `median ${fixed(f.medianS)} s, max ${fixed(f.maxS)} s`;
    lines.push(`Image path, whole runs with wait: false (${b.runs} each, one at a time):`);
    lines.push(`  first build + push of a new commit  ${text(b.firstBuild)}`);
    lines.push(`  rebuild after a one-line change     ${text(b.rebuild)}`);
    lines.push(`  redeploy of that commit (no build)  ${text(b.redeploy)}`);
  }
  if (r.verdicts) lines.push(...verdictLines(r.verdicts, t.verdictS));
  return lines.join('\n');
}

function latencyLines(l: LatencyResults, t: typeof TARGETS): string[] {
  const lines = ['Detection latency: terminal state recorded by the simulator → ecs-ship acts (measured, seconds)'];
  lines.push(`  ${pad('event', 26)}${pad('wait', 8)}${padLeft('runs', 5)}${padLeft('p50', 8)}${padLeft('p95', 8)}${padLeft('max', 8)}`);
  for (const row of l.rows) {
    lines.push(`  ${pad(row.event, 26)}${pad(waitText(row.waitS), 8)}${padLeft(row.runs, 5)}${padLeft(fixed(row.p50S), 8)}${padLeft(fixed(row.p95S), 8)}${padLeft(fixed(row.maxS), 8)}`);
  }
  const all = l.rows.find((row) => row.waitS === 'all');
  if (all) lines.push(`  target p50 ≤ ${t.latencyP50S} s, p95 ≤ ${t.latencyP95S} s over all waits: ${mark(all.p50S <= t.latencyP50S && all.p95S <= t.latencyP95S)}`);
  const byWait = l.rows.filter((row) => row.event === 'all events' && row.waitS !== 'all');
  const worst = byWait.reduce((a, b) => (b.p95S > a.p95S ? b : a), byWait[0]);
  if (worst) lines.push(`  target p95 ≤ ${t.latencyP95S} s at every wait: worst ${fixed(worst.p95S)} s at ${waitText(worst.waitS)} (${mark(byWait.every((row) => row.p95S <= t.latencyP95S))})`);
  for (const [event, by] of Object.entries(l.actedBy)) lines.push(`  "acts" for ${event}: ${by}`);
  for (const failed of l.failedRuns) lines.push(`  FAILED RUN ${failed.kind} ${waitText(failed.waitS)}: ${failed.problem?.split('\n')[0]}`);
  return lines;
}

function readLines(l: LatencyResults, t: typeof TARGETS): string[] {
  const reads = l.ecsReadsPerMinute;
  return [
    'API calls while waiting (measured, all runs above)',
    `  ECS reads per minute: first 2 min ${fixed(reads.first2Min, 1)} (target ≤ ${t.ecsReadsPerMinuteFirst2Min}: ${mark(reads.first2Min <= t.ecsReadsPerMinuteFirst2Min)}), ` +
      `after ${fixed(reads.after, 1)} (target ≤ ${t.ecsReadsPerMinuteAfter}: ${reads.after === null ? 'not measured' : mark(reads.after <= t.ecsReadsPerMinuteAfter)})`,
    `  GetLogEvents per minute during migrations: first 2 min ${fixed(l.logReadsPerMinute.first2Min, 1)}, after ${fixed(l.logReadsPerMinute.after, 1)}`,
    `  Throttled rollouts (30 % of DescribeServices answered ThrottlingException): ${l.throttled.ok}/${l.throttled.runs} succeeded, ` +
      `${fixed(l.throttled.ecsReadsPerMinute, 1)} ECS reads/min, throttling warnings per run: ${l.throttled.warningsPerRun.join(', ')}`,
  ];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

function bundleLines(bundle: BundleSize, dist: string, targetBytes: number): string[] {
  return [
    `Bundle: ${bundle.files} files under ${dist}, ${kb(bundle.totalBytes)} (target ≤ ${kb(targetBytes)}: ${mark(bundle.totalBytes <= targetBytes)}); ` +
      `largest files: ${bundle.largest.map((f) => `${f.file} ${kb(f.bytes)}`).join(', ')}`,
    ...(bundle.parts.length ? [`  largest parts (bytes in the bundle, by package or folder): ${bundle.parts.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}`] : []),
  ];
}

/** Time to a verdict on a deploy that cannot start, with verification and without. */
function verdictLines(samples: VerdictSample[], targetS: number): string[] {
  if (samples.length === 0) return [];
  const lines = [
    'Time to a verdict on a deploy that cannot start (spawn to exit, realistic timing, one run each). verify: false: ECS starts tasks that fail,',
    '  the run fails on them (max-task-failures or the circuit breaker) and the service is rolled back; "as ECS time": the minutes that stands for',
  ];
  lines.push(`  ${pad('case', 20)}${pad('verify', 8)}${padLeft('exit', 5)}${padLeft('wall s', 8)}${padLeft('as ECS time', 13)}  mutating calls`);
  for (const sample of samples) {
    // Preflight waits on no ECS state: its seconds stand for themselves.
    const asEcsTime = sample.verify ? '—' : `${fixed(sample.ms / SIMULATED_SECOND_MS / 60, 1)} min`;
    lines.push(
      `  ${pad(sample.case, 20)}${pad(sample.verify ? 'true' : 'false', 8)}${padLeft(sample.code, 5)}${padLeft(fixed(sample.ms / 1000), 8)}${padLeft(asEcsTime, 13)}  ` +
        `${sample.mutatingCalls.join(', ') || 'none'}${sample.serviceUnchanged ? '' : ' (service left on another revision)'}`,
    );
  }
  const verified = samples.filter((sample) => sample.verify);
  const met = verified.every((sample) => sample.code === 2 && sample.mutatingCalls.length === 0 && sample.ms <= targetS * 1000);
  lines.push(`  target with verify: exit 2, no mutating call, ≤ ${targetS} s: ${mark(met)}`);
  return lines;
}
