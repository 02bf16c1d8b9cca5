/** Which AWS call an error came from, noted by a middleware of every client (the SDK's errors do not say). */
interface FailedCall {
  /** ECS, ECR, CloudWatch Logs. */
  service: string;
  /** The API action, such as RunTask. */
  action: string;
}

const calls = new WeakMap<object, FailedCall>();

function failedCallOf(error: unknown): FailedCall | undefined {
  return error && typeof error === 'object' ? calls.get(error) : undefined;
}

/** A middleware for `client.middlewareStack.add`: notes the action of every call that fails. */
export function noteFailedCalls(service: string) {
  return <A, R>(next: (args: A) => Promise<R>, context: { commandName?: string }) =>
    async (args: A): Promise<R> => {
      try {
        return await next(args);
      } catch (error) {
        if (error && typeof error === 'object' && !calls.has(error)) calls.set(error, { service, action: (context.commandName ?? 'a call').replace(/Command$/, '') });
        throw error;
      }
    };
}

export const NOTE_FAILED_CALLS = { step: 'initialize', priority: 'high', name: 'ecsShipNoteFailedCalls' } as const;

/** True when AWS answered (with an error status); false when no answer came (a dropped or refused connection, a timeout). */
export function awsAnswered(error: unknown): boolean {
  return typeof (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 'number';
}

/** What AWS said, or why it said nothing, in one clause: "ECS answered RunTask with AccessDeniedException: …". */
export function awsSaid(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string };
  const what = unreadableAnswer(error) ?? `${e?.name ?? 'Error'}: ${(e?.message ?? String(error)).trim().replace(/\.+$/, '')}`;
  const code = e?.code && !what.includes(e.code) ? ` (${e.code})` : '';
  const call = failedCallOf(error);
  if (!call) return `${what}${code}`;
  return awsAnswered(error) ? `${call.service} answered ${call.action} with ${what}` : `${call.service} did not answer ${call.action} (${what}${code})`;
}

/** An answer the SDK could not read as AWS's (an HTML error page, say): its status, not the parser's complaint. */
function unreadableAnswer(error: unknown): string | undefined {
  const e = error as { message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  if (!status || !/Deserialization error/.test(e.message ?? '')) return undefined;
  return `HTTP ${status} and a body that is not an AWS answer`;
}
