/** What the core needs from a front end. The core never knows which front end called it. */
export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** A titled phase of the run (a collapsible group on GitHub). */
  phase<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** Never print this value again (masking on GitHub; a redaction filter elsewhere). */
  secret(value: string): void;
}
