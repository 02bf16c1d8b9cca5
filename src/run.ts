import { createClients } from './aws/clients';
import { deploy } from './core/deploy';
import { DeployError, InputError } from './core/errors';
import type { FrontEnd } from './frontends/frontend';
import { parseInputs } from './inputs/parse';

/** Runs one deploy through a front end; resolves to the exit code: 0 deployed, 1 failed, 2 bad input. */
export async function run(frontEnd: FrontEnd, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<number> {
  try {
    const inputs = parseInputs(frontEnd.raw, env);
    const aws = createClients(inputs.awsRegion);
    const record = await deploy(inputs, { reporter: frontEnd.reporter, aws, env, signal });
    await frontEnd.succeed(record);
    return 0;
  } catch (error) {
    await frontEnd.fail(describe(error));
    frontEnd.reporter.debug((error as Error)?.stack ?? String(error));
    return error instanceof InputError ? 2 : 1;
  }
}

function describe(error: unknown): string {
  if (error instanceof InputError || error instanceof DeployError) return error.message;
  const e = error as { name?: string; message?: string };
  return `AWS or runtime error ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}
