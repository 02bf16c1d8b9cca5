import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CLOUDWATCH_QUERY_CODES } from './cloudwatch';
import { AwsError } from './errors';
import type { HandlerTable } from './handler';
import { newUuid } from './ids';
import { checkMemberTypes } from './shapes';
import { JSON_SIGNATURE_ERRORS, QUERY_SIGNATURE_ERRORS, verifySignature } from './sigv4';
import { iamErrorXml } from './iam';
import { iamActions } from './iamRoles';
import { assumeRoleWithWebIdentity, errorXml } from './sts';
import { isSchedulerPath, schedulerRequest } from './scheduler';
import type { SimState } from './state';
import type { AwsServiceName, RecordedCall, Scenario } from './types';

/** The services of the AWS query protocol (form-encoded body, XML answer); the others speak JSON 1.1. */
type QueryService = 'sts' | 'iam';

const TARGET_PREFIXES: Record<string, Exclude<AwsServiceName, QueryService | 'scheduler'>> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  Logs_20140328: 'logs',
  AmazonSSM: 'ssm',
  secretsmanager: 'secretsmanager',
  // CloudWatch speaks AWS JSON 1.0 (signing name `monitoring`); the rest JSON 1.1.
  GraniteServiceVersion20100801: 'cloudwatch',
  AWSEvents: 'events',
};

/** What a call was answered with, instead of the simulated service, when a fault is injected. */
const DROPPED_CONNECTION = 'ConnectionDropped';

export interface AwsServerOptions {
  state: SimState;
  handlers: Record<Exclude<AwsServiceName, QueryService>, HandlerTable>;
  /** Brings simulated time up to `now` before a call is answered. */
  advance: (now: number) => void;
}

type Fault = 'drop' | 'throttle' | 'serverError';

function pickFault(state: SimState, action: string): Fault | undefined {
  const { scenario } = state;
  if (scenario.faultActions && !scenario.faultActions.includes(action)) return undefined;
  const roll = state.faultRoll();
  if (roll() < (scenario.dropRate ?? 0)) return 'drop';
  if (roll() < (scenario.throttleRate ?? 0)) return 'throttle';
  if (roll() < (scenario.serverErrorRate ?? 0)) return 'serverError';
  return undefined;
}

function pickFaultWithinStreak(state: SimState, action: string): Fault | undefined {
  const streak = state.faultStreaks.get(action) ?? 0;
  const limit = state.scenario.maxFaultsInARow;
  const fault = limit !== undefined && streak >= limit ? undefined : pickFault(state, action);
  state.faultStreaks.set(action, fault ? streak + 1 : 0);
  return fault;
}

const FAULT_ERRORS: Record<Exclude<Fault, 'drop'>, () => AwsError> = {
  throttle: () => new AwsError('ThrottlingException', 'Rate exceeded'),
  serverError: () => new AwsError('ServerException', 'An internal error occurred.', 500),
};

const latencyApplies = (scenario: Scenario, action: string) =>
  (scenario.latencyMs ?? 0) > 0 && (!scenario.faultActions || scenario.faultActions.includes(action));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseJson(body: string): any {
  try {
    return body.trim() ? JSON.parse(body) : {};
  } catch {
    return undefined;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}, jsonVersion = '1.1'): void {
  const body = JSON.stringify(payload ?? {});
  response.writeHead(status, {
    'Content-Type': `application/x-amz-json-${jsonVersion}`,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': newUuid(),
    ...headers,
  });
  response.end(body);
}

function sendError(response: ServerResponse, error: AwsError, service?: AwsServiceName): void {
  const headers: Record<string, string> = { 'x-amzn-ErrorType': error.type };
  const queryCode = service === 'cloudwatch' ? CLOUDWATCH_QUERY_CODES[error.type] : undefined;
  if (queryCode) headers['x-amzn-query-error'] = `${queryCode};Sender`;
  send(response, error.status, { __type: error.type, message: error.message }, headers, jsonVersionOf(service));
}

const jsonVersionOf = (service?: AwsServiceName) => (service === 'cloudwatch' ? '1.0' : '1.1');

function asAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  console.error('ecs-ship simulator: unexpected error', error);
  return new AwsError('ServerException', `Simulator failure: ${(error as Error)?.message ?? String(error)}`, 500);
}

function answerIam(state: SimState, action: string, params: URLSearchParams, now: number): { status: number; xml: string } {
  if (state.scenario.deniedActions?.includes(action)) {
    const principal = `arn:aws:sts::${state.config.accountId}:assumed-role/deploy/ecs-ship`;
    return { status: 403, xml: iamErrorXml('AccessDenied', `User: ${principal} is not authorized to perform: iam:${action} on resource: role ${params.get('RoleName') ?? ''} because no identity-based policy allows the iam:${action} action`) };
  }
  return iamActions[action](state, params, now);
}

/**
 * POST / with X-Amz-Target `<ServicePrefix>.<Operation>` and a JSON 1.1 body, as the AWS SDK sends it;
 * the query protocol (STS, IAM); and EventBridge Scheduler's REST-JSON paths (/schedules, /schedule-groups).
 */
export function createAwsServer({ state, handlers, advance }: AwsServerOptions): Server {
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (isSchedulerPath(new URL(request.url ?? '/', 'http://localhost').pathname)) return handleRest(request, response, body);
    if (request.method !== 'POST') {
      send(response, request.url === '/health' ? 200 : 404, request.url === '/health' ? { status: 'ok' } : {});
      return;
    }
    const secretOf = (accessKeyId: string) => state.credentials.get(accessKeyId);
    if (!request.headers['x-amz-target'] && String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      const iam = Object.hasOwn(iamActions, action);
      const call: RecordedCall = { service: iam ? 'iam' : 'sts', action, input: Object.fromEntries(params), time: Date.now() };
      state.calls.push(call);
      let answer: { status: number; xml: string };
      try {
        // AssumeRoleWithWebIdentity is the one STS call made without credentials.
        if (request.headers.authorization || action !== 'AssumeRoleWithWebIdentity') call.accessKeyId = verifySignature(request, body, secretOf, QUERY_SIGNATURE_ERRORS);
        answer =
          action === 'AssumeRoleWithWebIdentity'
            ? assumeRoleWithWebIdentity(params, Date.now(), (id, secret) => state.credentials.set(id, secret))
            : iam
              ? answerIam(state, action, params, Date.now())
              : { status: 400, xml: errorXml('InvalidAction', `Unknown action ${action}`) };
      } catch (error) {
        const denied = asAwsError(error);
        answer = { status: denied.status, xml: errorXml(denied.type, denied.message) };
      }
      if (answer.status !== 200) call.error = /<Code>([^<]+)/.exec(answer.xml)?.[1];
      response.writeHead(answer.status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(answer.xml) });
      response.end(answer.xml);
      return;
    }
    const [prefix, action = ''] = String(request.headers['x-amz-target'] ?? '').split('.');
    const service = TARGET_PREFIXES[prefix];
    if (!service) {
      sendError(response, new AwsError('UnknownOperationException', `Unknown operation ${request.headers['x-amz-target'] ?? ''}`));
      return;
    }
    const input = parseJson(body);
    await answerJson({ request, response, body, service, action, input, typed: input });
  }

  /** A REST-JSON call (EventBridge Scheduler): the operation is the method and path; the input is the path, the query and the body. */
  async function handleRest(request: IncomingMessage, response: ServerResponse, body: string): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const parsed = parseJson(body);
    const found = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? schedulerRequest(request.method ?? '', url, parsed) : undefined;
    const action = found?.action ?? `${request.method} ${url.pathname}`;
    await answerJson({ request, response, body, service: 'scheduler', action, input: found?.input ?? parsed, typed: parsed, known: Boolean(found), rest: true });
  }

  interface JsonCall {
    request: IncomingMessage;
    response: ServerResponse;
    body: string;
    service: Exclude<AwsServiceName, QueryService>;
    action: string;
    /** What the handler gets; `typed`: the body members whose JSON types are checked. */
    input: any;
    typed: any;
    /** REST-JSON: false when no route matched. */
    known?: boolean;
    rest?: boolean;
  }

  /** Records, authenticates, authorises and answers a JSON call, faults included, the same way for every JSON protocol. */
  async function answerJson({ request, response, body, service, action, input, typed, known = true, rest = false }: JsonCall): Promise<void> {
    const secretOf = (accessKeyId: string) => state.credentials.get(accessKeyId);
    const call: RecordedCall = { service, action, input: input ?? body, time: Date.now() };
    state.calls.push(call);
    const fail = (error: AwsError) => {
      call.error = error.type;
      sendError(response, error, service);
    };
    try {
      call.accessKeyId = verifySignature(request, body, secretOf, JSON_SIGNATURE_ERRORS);
    } catch (error) {
      return fail(asAwsError(error));
    }
    if (state.expiredKeys.has(call.accessKeyId)) return fail(new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400));

    const handler = known && Object.hasOwn(handlers[service], action) ? handlers[service][action] : undefined;
    if (!handler) return fail(new AwsError('UnknownOperationException', `Unknown operation ${action}`, rest ? 404 : 400));
    if (input === undefined || typeof input !== 'object' || Array.isArray(input)) return fail(new AwsError('SerializationException', 'Malformed JSON request body.'));
    try {
      checkMemberTypes(service, action, typed);
    } catch (error) {
      return fail(asAwsError(error));
    }

    const scenario = state.scenario;
    if (latencyApplies(scenario, action)) await sleep(scenario.latencyMs!);
    if (scenario.unsupportedActions?.includes(action)) return fail(new AwsError('UnknownOperationException', `Unknown operation ${action}`));
    if (scenario.brokenActions?.includes(action)) {
      call.error = 'InternalServerError';
      response.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body><h1>500 Internal Server Error</h1></body></html>');
      return;
    }
    if (scenario.deniedActions?.includes(action)) {
      const principal = `arn:aws:sts::${state.config.accountId}:assumed-role/deploy/ecs-ship`;
      // The JSON 1.1 services answer a denial with 400; REST APIs with 403.
      return fail(new AwsError('AccessDeniedException', `User: ${principal} is not authorized to perform: ${service}:${action} because no identity-based policy allows the ${service}:${action} action`, rest ? 403 : 400));
    }
    const fault = pickFaultWithinStreak(state, action);
    if (fault) {
      state.faultedCalls.add(call);
      if (fault === 'drop') {
        call.error = DROPPED_CONNECTION;
        request.socket.destroy();
        return;
      }
      const error = FAULT_ERRORS[fault]();
      return fail(rest && fault === 'throttle' ? new AwsError(error.type, error.message, 429) : error);
    }

    try {
      const now = Date.now();
      advance(now);
      send(response, 200, await handler(state, input, now), rest ? { 'Content-Type': 'application/json' } : {}, jsonVersionOf(service));
    } catch (error) {
      fail(asAwsError(error));
    }
  }

  return createServer((request, response) => {
    handle(request, response).catch((error) => {
      console.error('ecs-ship simulator: request failed', error);
      if (!response.headersSent) sendError(response, asAwsError(error));
    });
  });
}
