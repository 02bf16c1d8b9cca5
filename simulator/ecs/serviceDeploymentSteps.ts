import type { ServiceDeploymentRecord, ServiceRecord, SimState } from '../state';
import { rollBackBlueGreen } from './blueGreen';
import { addServiceEvent, rollBackService } from './deployments';
import {
  currentServiceDeployment,
  isFinished,
  linkDeployment,
  minStatusMs,
  rollbackRevisionOf,
  setStatus,
  startRollback,
  USER_ABORT_REASON,
  USER_ROLLBACK_REASON,
} from './serviceDeployments';

// The steps of a service deployment that are not the scheduler's doing: PENDING → IN_PROGRESS, and the
// stops StopServiceDeployment asked for (ROLLBACK_REQUESTED → ROLLBACK_IN_PROGRESS, STOP_REQUESTED → STOPPED).

const stageOver = (state: SimState, sd: ServiceDeploymentRecord, now: number) => now - sd.stageSince >= minStatusMs(state);

/** Returns the service to the source revision through a new PRIMARY deployment, within the same service deployment. */
export function rollBackServiceDeployment(state: SimState, service: ServiceRecord, sd: ServiceDeploymentRecord, reason: string, statusReason: string, now: number): boolean {
  const revisionArn = rollbackRevisionOf(service, sd);
  const revision = revisionArn ? state.serviceRevisions.get(revisionArn) : undefined;
  if (!revision) {
    setStatus(state, sd, 'ROLLBACK_FAILED', now, `${statusReason} No service revision to roll back to.`);
    return false;
  }
  const rollback = rollBackService(service, revision, now);
  linkDeployment(state, rollback, sd, revision.arn);
  startRollback(state, sd, revision.arn, reason, statusReason, now);
  addServiceEvent(service, now, `rolling back to service revision ${revision.arn}.`);
  return true;
}

export function advanceServiceDeployment(state: SimState, service: ServiceRecord, now: number): void {
  const sd = currentServiceDeployment(state, service);
  if (!sd || isFinished(sd) || !stageOver(state, sd, now)) return;
  if (sd.status === 'PENDING') {
    if (sd.strategy === 'ROLLING') sd.lifecycleStage = undefined;
    setStatus(state, sd, 'IN_PROGRESS', now);
  } else if (sd.status === 'ROLLBACK_REQUESTED' && sd.strategy !== 'ROLLING') {
    rollBackBlueGreen(state, service, sd, USER_ROLLBACK_REASON, USER_ROLLBACK_REASON, now);
  } else if (sd.status === 'ROLLBACK_REQUESTED') {
    rollBackServiceDeployment(state, service, sd, USER_ROLLBACK_REASON, USER_ROLLBACK_REASON, now);
  } else if (sd.status === 'STOP_REQUESTED') {
    setStatus(state, sd, 'STOPPED', now, USER_ABORT_REASON);
  }
}
