// `npm run audit:bundled -- audit.json bundles/dist-packages.json`, after `npm audit --json > audit.json`
// and `npm run build`: fails on a high or critical advisory in a package dist/ bundles.
import { readFileSync } from 'node:fs';
import { bundledAdvisories } from './bundled-advisories.ts';

const [reportFile, bundledFile] = process.argv.slice(2);
const result = bundledAdvisories(JSON.parse(readFileSync(reportFile, 'utf8') || '{}'), JSON.parse(readFileSync(bundledFile, 'utf8')));
if ('unchecked' in result) {
  console.error(`npm audit could not check the bundled packages: ${result.unchecked}`);
  process.exit(process.env.ECS_SHIP_REQUIRE_AUDIT === 'true' ? 1 : 0);
}
for (const line of result.other) console.error(`not bundled into dist/, not failing: ${line}`);
for (const line of result.failing) console.error(line);
if (result.failing.length > 0) {
  console.error('npm audit: high or critical advisories in packages dist/ bundles (npm audit for details).');
  process.exit(1);
}
console.log('npm audit: no high or critical advisory in the packages dist/ bundles.');
