import { readFileSync, writeFileSync } from 'node:fs';
import { actionYml, pipeDocWithTables, pipeYml, readmeWithTables } from './metadata.ts';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
writeFileSync('action.yml', actionYml());
writeFileSync('pipe.yml', pipeYml(version));
writeFileSync('README.md', readmeWithTables(readFileSync('README.md', 'utf8')));
writeFileSync('docs/bitbucket-pipe.md', pipeDocWithTables(readFileSync('docs/bitbucket-pipe.md', 'utf8')));
console.log('action.yml, pipe.yml, the README tables and docs/bitbucket-pipe.md now match src/inputs/schema.ts');
