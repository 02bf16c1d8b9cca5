// Text forms of the image inputs, for the front ends: multi-line inputs arrive as one string.

/** Non-empty trimmed lines; `#` starts a comment line. For values that may contain commas (cache-from). */
export function parseLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Lines or comma-separated items (tags). */
export function parseList(text: string | undefined): string[] {
  return parseLines(text).flatMap((line) => line.split(',').map((item) => item.trim()).filter((item) => item !== ''));
}

/**
 * KEY=VALUE lines (build-args, labels); the value is everything after the first `=`. A bad line is
 * named by its number, never quoted: build args often carry tokens.
 */
export function parseKeyValueLines(text: string | undefined, inputName: string): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  (text ?? '').split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (key === '') problems.push(`${inputName}: line ${index + 1} is not KEY=VALUE (${eq === 0 ? 'no KEY before the =' : 'no ='}).`);
    else values[key] = line.slice(eq + 1);
  });
  return { values, problems };
}
