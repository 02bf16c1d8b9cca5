// One service of a run while the plan is carried out: its plan, its entry in the ledger, what it works
// with, and the revision the register phase settled on.
import type { ServicePlan } from '../plan/deploy-plan';
import type { AppLedger } from './ledger';
import type { DeployDeps } from './run-deps';
import type { ServiceWatcher } from './deployment/service-watcher';
import type { RolloutRequest } from './deployment/rollout-request';
import type { Inputs } from '../inputs/parse';

/** The revision a service will run, as the register phase settled it. */
export interface Registration {
  arn: string;
  /** false when the latest ACTIVE revision already equals the rendered definition and was reused. */
  registered: boolean;
  /** The image of each container, as ECS has the revision: what the service will really run. */
  images: Record<string, string | undefined>;
}

export type LedgerEntry = AppLedger['services'][number];

export interface ServiceRun {
  plan: ServicePlan;
  entry: LedgerEntry;
  /** The service's reporter (prefixed in a whole app) and its ledger. */
  deps: DeployDeps;
  watcher: ServiceWatcher;
  registration?: Registration;
}

/** A titled phase of the run; failures say which step failed and where the services are. */
export type Phase = <T>(title: string, work: () => Promise<T>) => Promise<T>;

export const MINUTE = 60_000;
/** How long to wait for someone else's deployment, or for a rollback, to settle. */
const SETTLE_LIMIT_MINUTES = 10;

export function settleTimeoutMs(inputs: Inputs): number {
  return Math.min(inputs.waitTimeoutMinutes, SETTLE_LIMIT_MINUTES) * MINUTE;
}

/** What the rollout of a service is asked to do: `update` is the plan's decision. */
export function rolloutRequest(inputs: Inputs, taskDefinitionArn: string, update = true): RolloutRequest {
  return {
    taskDefinitionArn,
    update,
    forceNewDeployment: inputs.forceNewDeployment || inputs.redeploy,
    wait: inputs.wait,
    waitUntil: inputs.waitUntil,
    timeoutMs: inputs.waitTimeoutMinutes * MINUTE,
    maxTaskFailures: inputs.maxTaskFailures,
    rollback: inputs.rollback,
    bakeMs: inputs.bakeMinutes * MINUTE,
    settleTimeoutMs: settleTimeoutMs(inputs),
  };
}

export function rolloutDeps(run: ServiceRun) {
  const { deps, watcher } = run;
  return { ecs: deps.aws.ecs, cloudWatch: deps.aws.cloudWatch, logs: deps.aws.logs, reporter: deps.reporter, record: deps.record, watcher, signal: deps.signal };
}
