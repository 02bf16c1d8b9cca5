import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { actionYml, pipeDocWithTables, pipeYml, readmeWithTables, SUB_ACTIONS, subActionYml } from './metadata.ts';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
writeFileSync('action.yml', actionYml());
for (const command of SUB_ACTIONS) {
  mkdirSync(command, { recursive: true });
  writeFileSync(`${command}/action.yml`, subActionYml(command));
}
writeFileSync('pipe.yml', pipeYml(version));
writeFileSync('README.md', readmeWithTables(readFileSync('README.md', 'utf8')));
writeFileSync('docs/bitbucket-pipe.md', pipeDocWithTables(readFileSync('docs/bitbucket-pipe.md', 'utf8')));
console.log('action.yml, the sub-actions, pipe.yml, the README tables and docs/bitbucket-pipe.md now match src/inputs/schema.ts');
