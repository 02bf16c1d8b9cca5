import { helpText, parseCliArgs } from '../../src/frontends/cli-args';
import { INPUTS } from '../../src/inputs/schema';
import { problemsOf } from '../support/problems';

const valueOf = (argv: string[], name: string) => {
  const command = parseCliArgs(argv);
  if (command.kind !== 'deploy') throw new Error(`expected deploy, got ${command.kind}`);
  return command.raw(INPUTS.find((spec) => spec.name === name)!);
};

describe('the CLI arguments', () => {
  test('-h and -v where an option may stand are help and the version; as the value of an option, they are that value', () => {
    expect(parseCliArgs(['-h']).kind).toBe('help');
    expect(parseCliArgs(['deploy', '--cluster', 'prod', '--version']).kind).toBe('version');
    expect(valueOf(['deploy', '--container-name', '-h', '--target=-v'], 'container-name')).toBe('-h');
    expect(valueOf(['deploy', '--container-name', '-h', '--target=-v'], 'target')).toBe('-v');
  });

  test('a word after a true/false option is its value, so a wrong one is named by the input checks', () => {
    expect(valueOf(['deploy', '--build', 'maybe'], 'build')).toBe('maybe');
    expect(valueOf(['deploy', '--build', '--dry-run'], 'build')).toBe('true');
    expect(valueOf(['deploy', '--no-build'], 'build')).toBe('false');
  });

  test('the words that are not options name the services of the config file; redeploy is deploy --redeploy; --env is --environment', () => {
    expect(valueOf(['deploy', 'web', '--wait', 'false', 'worker'], 'services')).toBe('web\nworker');
    expect(valueOf(['deploy', 'web', '--wait', 'false', 'worker'], 'wait')).toBe('false');
    expect(valueOf(['redeploy', '--env', 'dev', 'web'], 'redeploy')).toBe('true');
    expect(valueOf(['redeploy', '--env', 'dev', 'web'], 'environment')).toBe('dev');
    expect(valueOf(['deploy', 'web'], 'redeploy')).toBeUndefined();
  });

  test('every problem comes at once; the value of an unknown option is not a second problem', () => {
    expect(problemsOf(() => parseCliArgs(['deploy', '--clutser', 'prod', '--no-cluster', '--wait', '--wait', '--service']))).toEqual([
      'unknown option "--clutser". See ecs-ship --help for the options.',
      '--no-cluster: only true/false options can be negated.',
      '--wait: given more than once.',
      '--service: expected a value after it.',
    ]);
  });
});

describe('--help', () => {
  const lines = helpText('1.2.3').split('\n');
  const optionLines = lines.filter((line) => /^ {2}-/.test(line));

  test('aligns the descriptions of every option, -h and -v included, in one column', () => {
    const column = (line: string) => /^ {2}\S+(?: \S+)* {2,}/.exec(line)?.[0].length;
    expect(new Set(optionLines.map(column)).size).toBe(1);
    expect(optionLines.some((line) => line.startsWith('  -h, --help'))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  test('says each default once', () => {
    for (const spec of INPUTS) {
      const text = helpOf(lines, spec.name);
      expect(text.match(/\bdefault\b/gi)?.length ?? 0).toBeLessThanOrEqual(1);
      if (spec.default) expect(text).toMatch(/Default: /);
    }
  });

  test('lists every exit code, 130 and 143 included, and ends with an example', () => {
    const codes = lines.slice(lines.indexOf('Exit codes:') + 1).filter((line) => /^ {2}\d+ /.test(line)).map((line) => line.trim().split(' ')[0]);
    expect(codes).toEqual(['0', '1', '2', '130', '143']);
    const example = lines.slice(lines.indexOf('Example:') + 1).join('\n');
    expect(lines.indexOf('Example:')).toBeGreaterThan(lines.indexOf('Exit codes:'));
    expect(example).toMatch(/^ {2}ecs-ship deploy --cluster \S+ --service \S+ --image \S+/);
  });
});

/** An option's description in the help, its continuation lines joined. */
function helpOf(lines: string[], name: string): string {
  const start = lines.findIndex((line) => line.startsWith(`  --${name} <`));
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !/^ {4,}\S/.test(line));
  return [lines[start], ...rest.slice(0, end)].join(' ');
}
