// One version everywhere a team can pin it: package.json, the pipe image in pipe.yml, the latest release
// in CHANGELOG.md, and what the bundle says it is. The release workflow checks the tag against the same.
import { readFileSync } from 'node:fs';
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
