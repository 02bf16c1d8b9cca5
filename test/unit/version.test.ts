// One version everywhere a team can pin it: package.json, the pipe image in pipe.yml, the latest release
// in CHANGELOG.md, and what the bundle says it is. The release workflow checks the tag against the same.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, runCli } from '../support/harness';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const SEMVER = /^\d+\.\d+\.\d+$/;

const packageVersion = (): string => JSON.parse(read('package.json')).version;

/** `## [X.Y.Z] - YYYY-MM-DD` headings, newest first, and whether there is an Unreleased section above them. */
function changelog() {
  const text = read('CHANGELOG.md');
  const headings = [...text.matchAll(/^## \[([^\]]+)\](.*)$/gm)].map((m) => ({ name: m[1], rest: m[2] }));
  return { text, headings, releases: headings.filter((h) => h.name !== 'Unreleased') };
}

describe('the version', () => {
  test('package.json has a plain X.Y.Z version', () => {
    expect(packageVersion()).toMatch(SEMVER);
  });

  test("pipe.yml's image is tagged with it", () => {
    const image: string = parse(read('pipe.yml')).image;
    expect(image.slice(image.lastIndexOf(':') + 1)).toBe(packageVersion());
  });

  test("CHANGELOG.md's latest release is it", () => {
    expect(changelog().releases[0]?.name).toBe(packageVersion());
  });

  test('the bundle says it: ecs-ship --version', async () => {
    const run = await runCli(['--version'], { endpoint: 'http://127.0.0.1:9' });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(packageVersion());
  });
});

describe('CHANGELOG.md (Keep a Changelog)', () => {
  test('starts with an Unreleased section, then dated releases, newest first', () => {
    const { headings, releases } = changelog();
    expect(headings[0]?.name).toBe('Unreleased');
    for (const release of releases) {
      expect(release.name).toMatch(SEMVER);
      expect(release.rest).toMatch(/^ - \d{4}-\d{2}-\d{2}$/);
    }
    const order = releases.map((r) => r.name.split('.').map(Number));
    const sorted = [...order].sort((a, b) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2]);
    expect(order).toEqual(sorted);
    expect(new Set(releases.map((r) => r.name)).size).toBe(releases.length);
  });

  test('uses only the Keep a Changelog change types, and links every section', () => {
    const { text, headings } = changelog();
    const types = [...text.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(types.filter((t) => !['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security', 'Upgrading'].includes(t))).toEqual([]);
    for (const { name } of headings) expect(text).toMatch(new RegExp(`^\\[${name.replace(/\./g, '\\.')}\\]: https://`, 'm'));
  });
});

/** Files people copy pins from: the README, the docs and every example (their comments included). */
function pinnedFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return ['README.md', ...walk('docs'), ...walk('examples')].filter((file) => /\.(md|ya?ml|json)$/.test(file) || !file.includes('.'));
}

describe('one major everywhere a team copies a pin from', () => {
  const version = packageVersion();
  const major = version.split('.')[0];

  test('every action pin (`ecs-ship/ecs-ship@…`, and the version in a SHA pin\'s comment) is v<major> or v<version>', () => {
    const pins: string[] = [];
    for (const file of pinnedFiles()) {
      for (const m of read(file).matchAll(/ecs-ship\/ecs-ship@(<[^>]+>\s*#\s*)?(v[0-9][0-9.]*)/g)) pins.push(`${file}: ${m[2]}`);
    }
    expect(pins.length).toBeGreaterThan(3);
    expect(pins.filter((pin) => !pin.endsWith(`: v${major}`) && !pin.endsWith(`: v${version}`))).toEqual([]);
  });

  test('every pipe pin (`ecs-ship/ecs-ship:…`, `ecsship/ecs-ship:…`) is <major> or <version>', () => {
    const pins: string[] = [];
    for (const file of pinnedFiles()) {
      for (const m of read(file).matchAll(/ecs-?ship\/ecs-ship:([0-9][0-9.]*[0-9]|[0-9])/g)) pins.push(`${file}: ${m[1]}`);
    }
    expect(pins.length).toBeGreaterThan(2);
    expect(pins.filter((pin) => !pin.endsWith(`: ${major}`) && !pin.endsWith(`: ${version}`))).toEqual([]);
  });

  test('the release workflow moves that major tag and pushes that pipe tag, from the vX.Y.Z tag it releases', () => {
    const release = parse(read('.github/workflows/release.yml'));
    expect(release.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    const steps = (job: string): string => release.jobs[job].steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    expect(steps('release')).toMatch(/major="\$\{GITHUB_REF_NAME%%\.\*\}"/);
    expect(steps('release')).toMatch(/git tag -f "\$major" "\$GITHUB_REF_NAME"/);
    expect(steps('release')).toMatch(/git push -f origin "refs\/tags\/\$major"/);
    expect(steps('pipe-image')).toContain('--tag "$image:${version%%.*}"');
    // What ${GITHUB_REF_NAME%%.*} makes of this version's tag is the major the docs pin.
    expect(`v${version}`.replace(/\..*$/, '')).toBe(`v${major}`);
  });
});
