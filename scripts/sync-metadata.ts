import { readFileSync, writeFileSync } from 'node:fs';
import { actionYml, pipeYml, readmeWithTables } from './metadata.ts';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
writeFileSync('action.yml', actionYml());
writeFileSync('pipe.yml', pipeYml(version));
writeFileSync('README.md', readmeWithTables(readFileSync('README.md', 'utf8')));
console.log('action.yml, pipe.yml and the README tables now match src/inputs/schema.ts');
