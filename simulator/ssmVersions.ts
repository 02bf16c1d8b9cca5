import { AwsError } from './errors';
import type { ParameterRecord, ParameterVersionRecord, SimState } from './state';

// Parameter versions and labels (SSM API reference: GetParameters, LabelParameterVersion). GetParameters
// selects one with "name:version" or "name:label"; a label is on at most one version of a parameter, moves
// when attached to another, can't begin with a number, "aws" or "ssm", and a version has at most 10.

const MAX_LABELS_PER_VERSION = 10;
const LABEL = /^(?![0-9])(?!aws)(?!ssm)[a-zA-Z0-9_.-]{1,100}$/i;

/** `/prod/db:3` → name `/prod/db`, selector `:3`; a name without one has no selector (names hold no colon). */
export function splitSelector(reference: string): { name: string; selector?: string } {
  const colon = reference.lastIndexOf(':');
  return colon < 0 ? { name: reference } : { name: reference.slice(0, colon), selector: reference.slice(colon) };
}

/** The version a selector names: `:N` the version N, `:label` the version carrying that label; none: the latest. */
export function selectVersion(parameter: ParameterRecord, selector: string | undefined): ParameterVersionRecord | undefined {
  if (selector === undefined) return parameter.history.at(-1);
  const wanted = selector.slice(1);
  if (/^\d+$/.test(wanted)) return parameter.history.find((version) => version.version === Number(wanted));
  return parameter.history.find((version) => version.labels.includes(wanted));
}

export function labelParameterVersion(state: SimState, input: any) {
  const parameter = state.parameters.get(String(input.Name ?? ''));
  if (!parameter) throw new AwsError('ParameterNotFound', `Parameter ${String(input.Name)} not found.`);
  const target = input.ParameterVersion === undefined ? parameter.history.at(-1)! : parameter.history.find((version) => version.version === input.ParameterVersion);
  if (!target) throw new AwsError('ParameterVersionNotFound', `Systems Manager could not find version ${input.ParameterVersion} of ${parameter.name}. Verify the version and try again.`);
  const labels: string[] = Array.isArray(input.Labels) ? input.Labels : [];
  const valid = labels.filter((label) => LABEL.test(label));
  const added = valid.filter((label) => !target.labels.includes(label));
  if (target.labels.length + added.length > MAX_LABELS_PER_VERSION) {
    throw new AwsError('ParameterVersionLabelLimitExceeded', `A parameter version can have maximum ${MAX_LABELS_PER_VERSION} labels.`);
  }
  for (const version of parameter.history) version.labels = version.labels.filter((label) => !added.includes(label));
  target.labels.push(...added);
  return { InvalidLabels: labels.filter((label) => !LABEL.test(label)), ParameterVersion: target.version };
}
