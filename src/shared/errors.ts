/** Bad input: reported before any side effect. Each problem names the input and what was expected. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(InputError.format(problems));
    this.name = 'InputError';
  }

  static format(problems: string[]): string {
    return problems.length === 1 ? problems[0] : `${problems.length} problems with the inputs:\n- ${problems.join('\n- ')}`;
  }
}

/** The deploy could not go on; `message` says why and where the service is now. */
export class DeployError extends Error {
  constructor(message: string, readonly details: string[] = []) {
    super(message);
    this.name = 'DeployError';
  }
}

/** The run was cancelled by a signal (the runner's cancel, Ctrl-C): exit 130 for SIGINT, 143 for SIGTERM. */
export class Cancelled extends Error {
  constructor(readonly signalName: NodeJS.Signals) {
    super(`Cancelled by ${signalName}.`);
  }
}
