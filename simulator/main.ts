// bundles/simulator.js: the simulator's front door outside the package (the benchmarks and development).
import { runSimulatorCommand } from './front-door';

runSimulatorCommand(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
