// Questions of one kind asked in the same turn of the event loop go to AWS together, as many in one call
// as the API takes (DescribeImages: many image IDs of a repository; DescribeParameters: many names).

type Waiting<K, V> = { key: K; resolve: (value: V) => void; reject: (error: unknown) => void };

export class Batch<K, V> {
  private waiting: Array<Waiting<K, V>> = [];

  /** `askMany` answers its keys in their order; it is given at most `size` keys a call. */
  constructor(
    private readonly size: number,
    private readonly askMany: (keys: K[]) => Promise<V[]>,
  ) {}

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.send());
    });
  }

  private send(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (let i = 0; i < waiting.length; i += this.size) {
      const part = waiting.slice(i, i + this.size);
      this.askMany(part.map((w) => w.key)).then(
        (values) => part.forEach((w, j) => w.resolve(values[j])),
        (error: unknown) => part.forEach((w) => w.reject(error)),
      );
    }
  }
}

const batches = new WeakMap<object, Map<string, Batch<any, any>>>();

/** The batch of `kind` (a repository's images, parameters) for `client`: one per client and kind. */
export function batchOf<K, V>(client: object, kind: string, size: number, askMany: (keys: K[]) => Promise<V[]>): Batch<K, V> {
  const ofClient = batches.get(client) ?? new Map<string, Batch<any, any>>();
  batches.set(client, ofClient);
  let batch = ofClient.get(kind) as Batch<K, V> | undefined;
  if (!batch) {
    batch = new Batch(size, askMany);
    ofClient.set(kind, batch);
  }
  return batch;
}
