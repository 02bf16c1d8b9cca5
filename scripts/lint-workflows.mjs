// Validates every workflow against GitHub's schema (action-validator checks one file per run).
// action.yml is checked by test/unit/metadata.test.ts: this validator's schema predates node24.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const files = [...readdirSync('.github/workflows').map((f) => `.github/workflows/${f}`), 'examples/github/deploy.yml', 'examples/github/blue-green-gate.yml'];
let failed = 0;
for (const file of files) {
  const result = spawnSync('npx', ['--no-install', 'action-validator', file], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
  else console.log(`valid: ${file}`);
}
process.exitCode = failed ? 1 : 0;
