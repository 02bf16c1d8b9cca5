// The README's figures are the ones the bench printed last: a run of every part rewrites the part of the
// Performance section between the markers below, and nothing else of the README.
import { readFileSync, writeFileSync } from 'node:fs';
import type { AppSample } from './app';
import type { BenchResults } from './results';
import { APP_TARGETS, ONCE_PER_SERVICE } from './targets';

export const START = '<!-- figures: written by `npm run bench` (bench/readme.ts); edits between these lines are overwritten -->';
export const END = '<!-- end of the figures written by the bench -->';

const s2 = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(2));
const s1 = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(1));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mark = (ok: boolean) => (ok ? 'met' : '**missed**');

/** The figures of one run of every part, as Markdown. */
export function readmeFigures(r: BenchResults, command: string): string {
  const t = r.targets;
  const lines: string[] = [];
  lines.push(`Figures of \`${command}\` on ${r.meta.date.slice(0, 10)}, commit ${r.meta.commit}${r.meta.dirty ? ' with uncommitted changes' : ''}, Node ${r.meta.node}, ${r.meta.cpus} CPUs (${r.meta.durationS} s):`);
  lines.push('');
  lines.push('| what | measured | target |');
  lines.push('|---|---|---|');
  const latency = r.latency;
  if (latency) {
    const all = latency.rows.find((row) => row.event === 'all events' && row.waitS === 'all');
    const byWait = latency.rows.filter((row) => row.event === 'all events' && row.waitS !== 'all');
    const waits = byWait.map((row) => (typeof row.waitS === 'number' && row.waitS >= 60 ? `${row.waitS / 60} min` : `${row.waitS} s`));
    if (all) {
      lines.push(
        `| Detection latency, all events (migration STOPPED, rollout COMPLETED, rollout FAILED, 3rd task failure), waits ${waits.join(', ')}, ${all.runs} runs | p50 ${s2(all.p50S)} s, p95 ${s2(all.p95S)} s, max ${s2(all.maxS)} s | p50 ≤ ${t.latencyP50S} s, p95 ≤ ${t.latencyP95S} s: ${mark(all.p50S <= t.latencyP50S && all.p95S <= t.latencyP95S)} |`,
      );
    }
    lines.push(`| p95 by wait | ${byWait.map((row, i) => `${waits[i]}: ${s2(row.p95S)} s`).join(', ')} | ≤ ${t.latencyP95S} s at every wait: ${mark(byWait.every((row) => row.p95S <= t.latencyP95S))} |`);
  }
  const longest = r.computed.at(-1);
  if (longest) {
    const late = longest.blindLatencyLate ?? longest.blindLatency;
    lines.push(`| Computed from the pace function for a ${longest.waitMs / 60_000}-minute wait with no sign of its end | p50 ${s2(late.p50 / 1000)} s, p95 ${s2(late.p95 / 1000)} s after the first 2 minutes; ${s1(longest.readsPerMinuteEarly)} and ${s1(longest.readsPerMinuteLate)} reads a minute | p95 ≤ ${t.latencyP95S} s: ${mark(late.p95 / 1000 <= t.latencyP95S)} |`);
  }
  if (latency) {
    const reads = latency.ecsReadsPerMinute;
    lines.push(
      `| ECS reads per minute while waiting | ${s1(reads.first2Min)} in the first 2 minutes, ${s1(reads.after)} after | ≤ ${t.ecsReadsPerMinuteFirst2Min}, ≤ ${t.ecsReadsPerMinuteAfter}: ${mark(reads.first2Min <= t.ecsReadsPerMinuteFirst2Min && (reads.after === null || reads.after <= t.ecsReadsPerMinuteAfter))} |`,
    );
    lines.push(`| GetLogEvents per minute during migrations (counted apart) | ${s1(latency.logReadsPerMinute.first2Min)} in the first 2 minutes, ${s1(latency.logReadsPerMinute.after)} after | pauses when nothing streams |`);
    const th = latency.throttled;
    lines.push(`| 30 % of DescribeServices throttled | ${th.ok}/${th.runs} rollouts succeeded, ${s1(th.ecsReadsPerMinute)} ECS reads/min, warnings per run: ${th.warningsPerRun.join(', ')} | backs off and says so |`);
  }
  const st = r.startup;
  if (st) {
    const met = st.github.overheadMs <= t.startupOverheadMs && st.cli.overheadMs <= t.startupOverheadMs;
    lines.push(
      `| Start-up to the first AWS request, over \`node -e 0\` (${st.nodeMedianMs} ms), median of ${st.runs} | +${st.github.overheadMs} ms (GitHub), +${st.cli.overheadMs} ms (CLI) with Node's compile cache warm (a machine's second run on); a machine's first run: +${st.coldGithub.overheadMs} ms, +${st.coldCli.overheadMs} ms | ≤ +${t.startupOverheadMs} ms: ${mark(met)} |`,
    );
    lines.push(`| \`ecs-ship --version\`, spawn to exit, over \`node -e 0\` | +${st.version.overheadMs} ms (the deploy code and the AWS SDK load only for a run) | |`);
  }
  const b = r.bundle;
  lines.push(
    `| Bundle, all ${b.files} files under \`dist/\` | ${kb(b.totalBytes)}; largest parts: ${b.parts.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')} | ≤ ${kb(t.bundleBytes)}: ${mark(b.totalBytes <= t.bundleBytes)} |`,
  );
  const re = r.rerun;
  if (re) {
    lines.push(
      `| Re-run of the commit already deployed, \`build: false\`, with a \`migration-command\` (skipped) | median ${s2(re.medianS)} s, max ${s2(re.maxS)} s (${re.runs} runs); calls: ${re.calls.join(', ')}; mutating: ${re.mutatingCalls.join(', ') || 'none'} | < ${t.rerunS} s: ${mark(re.maxS < t.rerunS && re.allSucceeded)} |`,
    );
  }
  const bp = r.buildPath;
  if (bp && 'skipped' in bp) lines.push(`| Image path | not measured: ${bp.skipped} | |`);
  else if (bp) {
    lines.push(`| Image path, whole runs with \`wait: false\` (${bp.runs} each): first build + push of a new commit | median ${s2(bp.firstBuild.medianS)} s | |`);
    lines.push(`| rebuild after a one-line source change | median ${s2(bp.rebuild.medianS)} s | |`);
    lines.push(`| redeploy of that commit (the tag is in the registry: no build) | median ${s2(bp.redeploy.medianS)} s | < ${t.rerunS} s |`);
  }
  const verified = r.verdicts?.filter((v) => v.verify) ?? [];
  const unverified = r.verdicts?.filter((v) => !v.verify) ?? [];
  if (verified.length) {
    const range = (values: number[]) => `${s2(Math.min(...values) / 1000)}–${s2(Math.max(...values) / 1000)} s`;
    const met = verified.every((v) => v.code === 2 && v.mutatingCalls.length === 0 && v.ms <= t.verdictS * 1000);
    lines.push(`| Time to a verdict on a deploy that cannot start (a missing image, secret, log group), with \`verify\` | exit ${[...new Set(verified.map((v) => v.code))].join('/')} in ${range(verified.map((v) => v.ms))}, mutating calls: ${verified.flatMap((v) => v.mutatingCalls).join(', ') || 'none'} | ≤ ${t.verdictS} s, nothing changed: ${mark(met)} |`);
    if (unverified.length) lines.push(`| the same with \`verify: false\`: ECS starts tasks that fail, the run fails on them and rolls back | exit ${[...new Set(unverified.map((v) => v.code))].join('/')} in ${range(unverified.map((v) => v.ms))} | |`);
  }
  const app = r.app;
  const one = app?.find((a) => a.services === 1);
  if (app && one) {
    lines.push('');
    lines.push(`The whole app: one run each of ${app.map((a) => a.services).join(', ')} services from one config file, every service rolled out at once, its new tasks running healthy for ${r.meta.quick ? 30 : 120} simulated seconds before ECS calls it stable:`);
    lines.push('');
    lines.push('| services | wall time | × one | ECS reads a minute | × one | of which the waits\' (DescribeServices, DescribeServiceDeployments) | × one | last end → exit | pre-check calls |');
    lines.push('|---|---|---|---|---|---|---|---|---|');
    for (const a of app) {
      const precheck = Object.entries(a.precheck).map(([action, n]) => `${action} ${n}`).join(', ');
      lines.push(
        `| ${a.services}${a.ok ? '' : ' (FAILED)'} | ${s1(a.wallMs / 1000)} s | ${s2(a.wallMs / one.wallMs)}× | ${s1(a.ecsReadsPerMinute)} | ${s2(a.ecsReadsPerMinute / one.ecsReadsPerMinute)}× | ${s1(a.pollReadsPerMinute)} | ${s2(a.pollReadsPerMinute / one.pollReadsPerMinute)}× | ${s2(a.lastEndToExitMs / 1000)} s | ${precheck} |`,
      );
    }
    const worst = (value: (a: AppSample) => number) => Math.max(...app.map(value));
    lines.push('');
    lines.push(
      `Targets: all ECS reads within ${APP_TARGETS.readsRatio}× one service's a minute at every size (${s2(worst((a) => a.ecsReadsPerMinute / one.ecsReadsPerMinute))}×: ${mark(worst((a) => a.ecsReadsPerMinute / one.ecsReadsPerMinute) <= APP_TARGETS.readsRatio)}), ` +
        `the wall time within ${APP_TARGETS.wallRatio}× (${s2(worst((a) => a.wallMs / one.wallMs))}×: ${mark(worst((a) => a.wallMs / one.wallMs) <= APP_TARGETS.wallRatio)}), ` +
        `the last rollout's end noticed within ${APP_TARGETS.lastEndToExitS} s (${s2(worst((a) => a.lastEndToExitMs) / 1000)} s: ${mark(worst((a) => a.lastEndToExitMs) / 1000 <= APP_TARGETS.lastEndToExitS)}). ` +
        `What grows with the services: ${ONCE_PER_SERVICE}.`,
    );
  }
  return lines.join('\n');
}

/** Rewrites the figures between the markers of README.md; false when the markers are not there. */
export function writeReadmeFigures(r: BenchResults, command: string, readme: string): boolean {
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return false;
  writeFileSync(readme, `${text.slice(0, start + START.length)}\n${readmeFigures(r, command)}\n${text.slice(end)}`);
  return true;
}
