import { newLedger, type Ledger } from './ledger';
import type { App } from '../request/read-request';

/** The app's record, with a record per service; calls in flight are one list for the whole run (what a cancel reports). */
export function appLedger(app: App, env: NodeJS.ProcessEnv): Ledger {
  const { cluster, awsRegion } = app.shared;
  const record = newLedger(cluster, app.services.map((s) => s.inputs.service).join(', '), awsRegion, env);
  const services = app.services.map((service) => ({
    name: service.name,
    record: { ...newLedger(service.inputs.cluster, service.inputs.service, service.inputs.awsRegion, env), unanswered: record.unanswered },
    outcome: 'not started' as const,
  }));
  record.app = { file: app.file!, environment: app.environment, services, images: [], phases: [] };
  return record;
}
