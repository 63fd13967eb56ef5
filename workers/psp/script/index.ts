/** psp-script v1 (reference §17): run a script document, get a result document. */
export {
  runPspScript,
  checkExpectations,
  PSP_SCRIPT_FORMAT,
  PSP_RESULT_FORMAT,
  type PspResult,
  type PspRun,
  type Mismatch,
  type RunOptions,
} from './runner.js';
export { type StepResult } from './expect.js';
