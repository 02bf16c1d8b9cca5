// The request as the report file keeps it: what the run was asked, without the values of vars and build
// args (a var may be secret; the report names them, and the task definition has what ECS was given).
import { parseKeyValueLines } from '../image/lines';
import type { Inputs } from '../inputs/parse';
import type { App } from './read-request';

export function requestSummary(app: App): Record<string, unknown> {
  return {
    config: app.file,
    environment: app.environment,
    migration: app.migration,
    images: app.images.map(({ name, request }) => ({ name, image: request.image, build: request.build, tags: request.tags, buildArgs: Object.keys(request.buildArgs).filter((name) => NAME.test(name)) })),
    services: app.services.map(({ name, image, inputs }) => ({ name, image, inputs: withoutValues(inputs) })),
  };
}

function withoutValues(inputs: Inputs): Record<string, unknown> {
  const { vars, buildArgs, envVars, runSecretVars: _all, ...rest } = inputs;
  return { ...rest, vars: namesOf(vars, 'vars'), buildArgs: namesOf(buildArgs, 'build-args'), envVars: namesOf(envVars, 'env-vars') };
}

/**
 * Only what is a name: a line inside a multi-line value (a PEM key's, say) would parse as a "key" too, and
 * is part of a secret. Lines between -----BEGIN and -----END are skipped, and names are short identifiers.
 */
function namesOf(lines: string, input: string): string[] {
  const names = new Set(Object.keys(parseKeyValueLines(lines, input).values));
  const kept: string[] = [];
  let inBlock = false;
  for (const line of lines.split(/\r?\n/)) {
    const name = line.slice(0, Math.max(0, line.indexOf('='))).trim();
    if (!inBlock && names.has(name) && NAME.test(name)) kept.push(name);
    if (/-----BEGIN /.test(line)) inBlock = true;
    if (/-----END /.test(line)) inBlock = false;
  }
  return [...new Set(kept)];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;
