import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Ledger } from '../execute/ledger';
import { successLine, summaryLines } from '../outcome/summary';
import type { RawInputs } from '../inputs/parse';
import { toUpperSnake } from '../inputs/schema';
import type { FrontEnd } from './frontend';
import { plainLog } from './plain-log';
import { unwrittenOutputsWarning } from './unwritten-outputs';

/** Bitbucket Pipe: UPPER_SNAKE variables, `INFO:` lines, ✔/✖, outputs as JSON in the shared storage dir. */
export function bitbucketFrontEnd(env: NodeJS.ProcessEnv): FrontEnd {
  const log = plainLog({ write: (line) => process.stdout.write(`${line}\n`), debug: /^true$/i.test(env.DEBUG ?? ''), colour: true, levelPrefixes: true });
  if (env.BITBUCKET_STEP_OIDC_TOKEN) log.reporter.secret(env.BITBUCKET_STEP_OIDC_TOKEN);
  useStepOidc(env);
  /** Shared storage that cannot be written is a warning: the deploy's outcome decides the exit code. */
  const saveOutputs = (outputs: Record<string, string>) => {
    const dir = env.BITBUCKET_PIPE_SHARED_STORAGE_DIR;
    if (!dir) return;
    const file = join(dir, 'ecs-ship', 'outputs.json');
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(outputs, null, 2)}\n`);
    } catch (error) {
      const warning = unwrittenOutputsWarning('pipe outputs', outputs, file, error);
      if (warning) log.reporter.warn(warning);
    }
  };
  return {
    spelling: 'pipe',
    raw: bitbucketVariables(env),
    defaultReportFile: env.BITBUCKET_PIPE_SHARED_STORAGE_DIR ? join(env.BITBUCKET_PIPE_SHARED_STORAGE_DIR, 'ecs-ship', 'report.json') : undefined,
    reporter: log.reporter,
    async succeed(record, outputs) {
      log.summary(summaryLines(record));
      saveOutputs(outputs);
      log.success(successLine(record, deployedLine(record)));
    },
    async fail(message, record, outputs) {
      log.summary(record ? summaryLines(record) : []);
      saveOutputs(outputs);
      log.failure(message);
    },
  };
}

/** Plain variables, the aliases of Atlassian's pipes, and YAML lists sent as NAME_COUNT, NAME_0, NAME_1… */
function bitbucketVariables(env: NodeJS.ProcessEnv): RawInputs {
  return (spec) => {
    for (const name of [toUpperSnake(spec.name), ...(spec.bitbucketAliases ?? [])]) {
      const count = Number(env[`${name}_COUNT`]);
      if (Number.isInteger(count) && count > 0) {
        return Array.from({ length: count }, (_, i) => env[`${name}_${i}`] ?? '').join('\n');
      }
      if (env[name] !== undefined) return env[name];
    }
    return undefined;
  };
}

/** OIDC: the step's token becomes a web-identity token file, which the SDK's default chain assumes the role with. */
function useStepOidc(env: NodeJS.ProcessEnv): void {
  if (!env.AWS_OIDC_ROLE_ARN || !env.BITBUCKET_STEP_OIDC_TOKEN) return;
  const file = join(tmpdir(), `ecs-ship-oidc-${process.pid}`);
  writeFileSync(file, env.BITBUCKET_STEP_OIDC_TOKEN, { mode: 0o600 });
  process.once('exit', () => rmSync(file, { force: true }));
  env.AWS_WEB_IDENTITY_TOKEN_FILE = file;
  env.AWS_ROLE_ARN = env.AWS_OIDC_ROLE_ARN;
  env.AWS_ROLE_SESSION_NAME ??= `ecs-ship-${env.BITBUCKET_BUILD_NUMBER ?? 'pipe'}`;
}

/** The ✔ line: one service's image and name, or an app's services by their names in the config file. */
function deployedLine(record: Ledger): string {
  if (!record.app) return `Deployed ${record.image} to ${record.service}.`;
  const names = record.app.services.map((s) => s.name);
  return `Deployed ${names.length === 1 ? 'service' : `${names.length} services`} ${names.join(', ')} of ${record.app.file}.`;
}
