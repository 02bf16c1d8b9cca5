// What the whole-app config file says, once read and checked.

export interface ImageConfig {
  name: string;
  settings: Record<string, string>;
  /** Names of the images whose ${IMAGE_<NAME>} its settings use. */
  uses: string[];
}
export interface ServiceConfig {
  name: string;
  /** The images key of its own image. */
  image?: string;
  settings: Record<string, string>;
}
/** settings by input name: migration-command, migration-container, migration-timeout-minutes, stop-migration-on-cancel. */
export interface MigrationConfig {
  service: string;
  settings: Record<string, string>;
}
export interface EnvironmentConfig {
  name: string;
  settings: Record<string, string>;
  services: Record<string, Record<string, string>>;
}
export interface AppConfig {
  file: string;
  shared: Record<string, string>;
  /** In dependency order: an image after the images it uses. */
  images: ImageConfig[];
  services: ServiceConfig[];
  migration?: MigrationConfig;
  environments: EnvironmentConfig[];
  /** The line of each setting, by its key path (services.web.wait, migration.command). */
  keyLines: Record<string, number>;
}
