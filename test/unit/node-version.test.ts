import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeVersionProblem } from '../../src/shared/node-version';

describe('the Node.js floor', () => {
  test('an older major is one line naming the version found and the one needed', () => {
    const problem = nodeVersionProblem('20.20.2', 22);
    expect(problem).toMatch(/^Node\.js 20\.20\.2 is too old: ecs-ship needs Node\.js 22 or later\. Nothing was changed\./);
    expect(problem).not.toContain('\n');
  });

  test('the floor itself and newer majors pass; a leading v is read too', () => {
    expect(nodeVersionProblem('22.0.0', 22)).toBeUndefined();
    expect(nodeVersionProblem('24.21.0', 22)).toBeUndefined();
    expect(nodeVersionProblem('v18.19.1', 22)).toMatch(/^Node\.js 18\.19\.1 is too old/);
  });

  test('the build takes the floor from package.json engines', () => {
    const build = readFileSync(join(__dirname, '../../scripts/build.mjs'), 'utf8');
    expect(build).toMatch(/__NODE_FLOOR__: String\(nodeFloor\)/);
    expect(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).engines.node).toMatch(/^>=\d+$/);
  });
});
