// The README's performance figures are written by the bench, between two markers, and nowhere else.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { END, readmeFigures, START, writeReadmeFigures } from '../../bench/readme';
import type { BenchResults } from '../../bench/results';

const results = {
  meta: { commit: 'abc1234', dirty: false, date: '2026-12-06T10:00:00.000Z', node: 'v24.21.0', cpus: 2, dist: 'dist', quick: false, parts: [], durationS: 700 },
  targets: { latencyP50S: 1, latencyP95S: 2, ecsReadsPerMinuteFirst2Min: 60, ecsReadsPerMinuteAfter: 30, startupOverheadMs: 150, bundleBytes: 1.5 * 1024 * 1024, rerunS: 3, verdictS: 3 },
  computed: [],
  bundle: { totalBytes: 1_400_000, files: 50, largest: [], parts: [{ name: '@smithy/core', bytes: 130_000 }] },
  startup: {
    nodeMedianMs: 40,
    runs: 15,
    version: { medianMs: 50, overheadMs: 10, runs: 15 },
    github: { medianMs: 160, overheadMs: 120, runs: 15 },
    cli: { medianMs: 150, overheadMs: 110, runs: 15 },
    coldGithub: { medianMs: 200, overheadMs: 160, runs: 15 },
    coldCli: { medianMs: 190, overheadMs: 150, runs: 15 },
  },
} as unknown as BenchResults;

describe("the README's performance figures", () => {
  test('name the command, and each figure beside its goal', () => {
    const text = readmeFigures(results, 'npm run bench');
    expect(text).toContain('Figures of `npm run bench` on 2026-12-06, commit abc1234');
    expect(text).toContain('+120 ms (GitHub), +110 ms (CLI)');
    expect(text).toContain('≤ +150 ms: met');
    expect(text).toContain('@smithy/core 127 KB');
  });

  test('are written between the markers, and the rest of the file is left as it was', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ecs-ship-readme-')), 'README.md');
    writeFileSync(file, `# x\n\nbefore\n${START}\nold figures\n${END}\nafter\n`);
    expect(writeReadmeFigures(results, 'npm run bench', file)).toBe(true);
    const written = readFileSync(file, 'utf8');
    expect(written.startsWith(`# x\n\nbefore\n${START}\nFigures of`)).toBe(true);
    expect(written.endsWith(`\n${END}\nafter\n`)).toBe(true);
    expect(written).not.toContain('old figures');
  });

  test('the README has the markers, in order', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    expect(readme.indexOf(START)).toBeGreaterThan(0);
    expect(readme.indexOf(END)).toBeGreaterThan(readme.indexOf(START));
  });
});
