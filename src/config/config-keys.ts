// Which keys the config file takes where: all derived from the input schema, so a new input is a key too.
import { INPUTS } from '../inputs/schema';

/** An image's build settings: the single-service inputs of the same names. */
export const IMAGE_KEYS = ['image', 'build', 'context', 'dockerfile', 'build-args', 'target', 'labels', 'platform', 'cache-from', 'cache-to', 'tags', 'tag', 'force-build'];
/** An image's own settings, which a front end cannot give for all the images of a config at once (build, force-build, platform and the release tag it can). */
export const PER_IMAGE_KEYS = IMAGE_KEYS.filter((name) => !['build', 'force-build', 'platform', 'tag'].includes(name));
/** What only a service has (its `image` names an images key). */
const SERVICE_ONLY = ['service', 'task-definition', 'container-name', 'task-definition-arn'];
/** The `migration` section's keys and the inputs they mean. */
export const MIGRATION_KEYS: Record<string, string> = {
  command: 'migration-command',
  container: 'migration-container',
  'timeout-minutes': 'migration-timeout-minutes',
  'stop-on-cancel': 'stop-migration-on-cancel',
};
/** Choices of one run, never of the file. */
const RUN_ONLY = ['config', 'environment', 'services', 'redeploy', 'dry-run', 'report-file', 'task-command', 'env-vars', 'task-cpu', 'task-memory', 'count'];
/** Settings of the whole run, which a service cannot have on its own. */
const RUN_WIDE = ['cluster', 'aws-region', 'rollback-scope', 'keep-images'];

/** The top level and each environment: every other input. */
export const SHARED_KEYS = INPUTS.map((s) => s.name).filter((name) => ![...IMAGE_KEYS, ...SERVICE_ONLY, ...Object.values(MIGRATION_KEYS), ...RUN_ONLY].includes(name));
export const SERVICE_KEYS = [...SERVICE_ONLY, 'image', ...SHARED_KEYS.filter((name) => !RUN_WIDE.includes(name))];
export const SECTIONS = ['images', 'services', 'migration', 'environments'];

/** Inputs of KEY=VALUE lines, which the file also takes as a map. */
export const KEY_VALUE_INPUTS = ['build-args', 'labels', 'vars'];
/** Inputs of several values, which the file also takes as a list. */
export const LIST_INPUTS = INPUTS.filter((s) => s.type === 'list').map((s) => s.name);

export const NAME = /^[a-z][a-z0-9-]*$/;
