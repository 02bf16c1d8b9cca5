// A run asks AWS each question once: the services of an app often share an image, a role or a log group,
// and every one of them would otherwise look it up again (IAM's limits are lower than ECS's).

const answers = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * The answer to `question` asked through `client`: the first caller's, shared by every later one (a
 * failure too: the same question would fail the same way within a run). A new client asks afresh.
 */
export function askOnce<T>(client: object, question: string, ask: () => Promise<T>): Promise<T> {
  const asked = answers.get(client) ?? new Map<string, Promise<unknown>>();
  answers.set(client, asked);
  let answer = asked.get(question) as Promise<T> | undefined;
  if (!answer) {
    answer = ask();
    asked.set(question, answer);
  }
  return answer;
}
