/**
 * The warning for outputs a front end could not write: the deploy's outcome stands, but later steps that
 * read these outputs will not find them, so the warning names them.
 */
export function unwrittenOutputsWarning(what: string, outputs: Record<string, string>, where: string, error: unknown): string | undefined {
  const names = Object.keys(outputs).filter((name) => outputs[name] !== '');
  if (names.length === 0) return undefined;
  return `Could not write the ${what} (${names.join(', ')}) to ${where}: ${(error as Error)?.message ?? error}. Later steps that read them will not get them.`;
}
