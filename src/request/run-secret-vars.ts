// secret-vars name secrets of the whole run: a var one service marks secret is masked in every service
// that has it, whichever services the run deploys.
import type { AppConfig } from '../config/config-types';
import { serviceSettings } from '../config/settings';
import { parseList } from '../image/lines';

/** The names in secret-vars of every service of the file in the environment, and of the input. */
export function runSecretVars(config: AppConfig, environment: string | undefined, given: string): string[] {
  const lists = [given, ...config.services.map((service) => serviceSettings(config, environment, service.name)['secret-vars'] ?? '')];
  return [...new Set(lists.flatMap((list) => parseList(list)))];
}
