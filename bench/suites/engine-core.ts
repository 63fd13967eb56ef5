/** Figures for the engine core: RNG throughput and session replay speed. */
import { Engine } from '../../workers/api/index.js';
import { SeededRng } from '../../workers/core/rng.js';
import { ratePerSecond, type BenchSuite } from '../suite.js';

export const engineCoreBench: BenchSuite = {
  name: 'engine core',
  browser: true,
  run({ where }) {
    const rng = SeededRng.fromSeed(1);
    const rngRate = ratePerSecond(() => void rng.bytes(65536));
    const replay = ratePerSecond(() => {
      const e = new Engine();
      e.step(10);
      e.back(9);
    }, 300);
    return Promise.resolve([
      { name: 'seeded RNG bytes', where, value: (rngRate * 65536) / 1e6, unit: 'MB/s' },
      { name: 'hello: 10 steps + back 9 (replay)', where, value: replay, unit: 'runs/s' },
    ]);
  },
};
