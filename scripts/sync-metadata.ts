import { readFileSync, writeFileSync } from 'node:fs';
import { actionYml, readmeWithTables } from './metadata.ts';

writeFileSync('action.yml', actionYml());
writeFileSync('README.md', readmeWithTables(readFileSync('README.md', 'utf8')));
console.log('action.yml and the README tables now match src/inputs/schema.ts');
