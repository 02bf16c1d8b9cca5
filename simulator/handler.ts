import type { SimState } from './state';

/** One AWS operation: JSON input in, JSON output (or a thrown AwsError) out. `now` is the request's clock reading. */
export type Handler = (state: SimState, input: any, now: number) => unknown;

export type HandlerTable = Record<string, Handler>;
