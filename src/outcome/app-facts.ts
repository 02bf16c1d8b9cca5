// The account of a whole app's run: a line (or a table row) per service, the images, and a timeline.
import type { AppLedger, Ledger } from '../execute/ledger';
import { duration, endpointNote, escape, reportFacts, serviceSummaryLines, statusFacts, titleOf } from './service-facts';
import { imagesPrunedText } from './service-facts';

type Entry = AppLedger['services'][number];

export function appSummaryLines(record: Ledger): string[] {
  const app = record.app!;
  const lines = [`App: ${appTitle(app)}, ${record.outcome}`];
  for (const image of app.images) lines.push(`Image ${image.name}: ${imageText(image)}`);
  for (const entry of app.services) {
    lines.push(`Service ${entry.name}: ${entry.outcome}`);
    for (const line of serviceSummaryLines({ ...entry.record, endpoint: undefined })) lines.push(`  ${line}`);
  }
  if (record.imagesPruned) lines.push(`Images kept: ${imagesPrunedText(record.imagesPruned)}`);
  if (app.phases.length > 0) lines.push(`Timeline: ${app.phases.map((p) => `${p.title}${duration(elapsed(p))}${p.failed ? ' (failed)' : ''}`).join('; ')}`);
  return record.endpoint ? [...lines, endpointNote(record.endpoint)] : lines;
}

export function appSummaryMarkdown(record: Ledger): string {
  const app = record.app!;
  const parts = [`## ecs-ship: ${titleOf(record)}: ${appTitle(app)}`, record.verb === 'status' ? statusTable(app.services) : servicesTable(app.services)];
  if (app.images.length > 0) parts.push(['| Image | Reference |', '|---|---|', ...app.images.map((i) => `| ${i.name} | ${escape(imageText(i))} |`)].join('\n'));
  const migration = app.services.find((s) => s.record.migration);
  if (migration) parts.push(`Migration (with ${migration.name}'s revision): ${fact(migration.record, 'Migration')}`);
  if (app.phases.some((p) => p.endedAt)) parts.push(timeline(app.phases));
  if (record.endpoint) parts.push(escape(endpointNote(record.endpoint)));
  if (record.message && record.outcome !== 'deployed') parts.push(`\`\`\`\n${record.message}\n\`\`\``);
  return `${parts.join('\n\n')}\n`;
}

function appTitle(app: AppLedger): string {
  const names = app.services.map((s) => s.name).join(', ');
  return `${app.services.length} service${app.services.length === 1 ? '' : 's'} (${names}) of ${app.file}${app.environment ? `, environment ${app.environment}` : ''}`;
}

function servicesTable(entries: Entry[]): string {
  const rows = entries.map(({ name, record, outcome }) => {
    const cells = [`${name} (${record.service} in ${record.cluster})`, outcome, fact(record, 'Task definition'), fact(record, 'Image'), fact(record, 'Rollout')];
    return `| ${cells.map(escape).join(' | ')} |`;
  });
  return ['| Service | Outcome | Task definition | Image | Rollout |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** `ecs-ship status` of an app: a row per service. */
function statusTable(entries: Entry[]): string {
  const labels = ['Runs', 'Tasks', 'Images', 'In progress', 'Last failure'];
  const rows = entries.map(({ name, record }) => {
    const facts = record.status ? statusFacts(record.status) : [];
    const cells = [`${name} (${record.service} in ${record.cluster})`, ...labels.map((label) => facts.find((f) => f.label === label)?.value ?? '')];
    return `| ${cells.map(escape).join(' | ')} |`;
  });
  return [`| Service | ${labels.join(' | ')} |`, `|---|${labels.map(() => '---').join('|')}|`, ...rows].join('\n');
}

function fact(record: Ledger, label: string): string {
  return reportFacts(record).find((f) => f.label === label)?.value ?? '';
}

function imageText(image: AppLedger['images'][number]): string {
  return `${image.reference ?? ''}${image.built === false ? ' (existing image reused, no build)' : image.built ? ' (built and pushed)' : ''}`;
}

/** A Mermaid gantt chart of the phases (GitHub draws it): each phase from its start to its end. */
function timeline(phases: AppLedger['phases']): string {
  const rows = phases.map((p, i) => {
    const status = p.failed ? 'crit, ' : 'done, ';
    return `    ${p.title.replace(/[:;#]/g, ' ')} :${status}p${i}, ${p.startedAt}, ${p.endedAt ?? p.startedAt}`;
  });
  return ['```mermaid', 'gantt', '    title Phases of the run', '    dateFormat x', '    axisFormat %M:%S', ...rows, '```'].join('\n');
}

function elapsed(phase: AppLedger['phases'][number]): number | undefined {
  return phase.endedAt === undefined ? undefined : phase.endedAt - phase.startedAt;
}
