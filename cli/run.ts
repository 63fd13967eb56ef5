/** Entry point: `tsx cli/run.ts <command> ...`. */
import { runCli } from './main.js';
import { nodeIo } from './node-io.js';

const code = await runCli(process.argv.slice(2), nodeIo);
process.stdout.write('', () => process.exit(code));
