import type { HandlerTable } from '../handler';
import type { SimState } from '../state';
import { clusterHandlers } from './clusters';
import { advanceTask } from './taskLifecycle';
import { reconcileService } from './scheduler';
import { serviceDeploymentHandlers } from './serviceDeploymentApi';
import { serviceHandlers } from './services';
import { taskDefinitionHandlers } from './taskDefinitions';
import { taskHandlers } from './tasks';

export const ecsHandlers: HandlerTable = {
  ...clusterHandlers,
  ...taskDefinitionHandlers,
  ...taskHandlers,
  ...serviceHandlers,
  ...serviceDeploymentHandlers,
};

/** Moves every task along its lifecycle, then lets each service scheduler react. */
export function advanceEcs(state: SimState, now: number): void {
  for (const task of state.tasks.values()) advanceTask(state, task, now);
  for (const service of state.services.values()) reconcileService(state, service, now);
}
