#!/usr/bin/env node
// The package's `kvm-lab` bin: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';
register();
await import('../cli/run.ts');
