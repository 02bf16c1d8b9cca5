/** Runs the jobs, at most `concurrency` at a time, in the order given; resolves to their results in that order. */
export async function runPool<T>(jobs: Array<() => Promise<T>>, concurrency: number, onDone?: (done: number, total: number) => void): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
      onDone?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return results;
}
