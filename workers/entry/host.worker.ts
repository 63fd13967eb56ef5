/**
 * Web Worker entry: one migration host (its guest, OVMF, KVM, VMM and PSP) per worker,
 * exposed with comlink. The engine worker spawns one per host of a `sev-migration`
 * scenario (host-platform.ts) and is the only one that calls it; stream chunks go
 * directly to the peer host's worker over the MessagePort given in `init`.
 */
import { expose } from 'comlink';
import { HostService } from '../hosts/host-service.js';

expose(new HostService());
