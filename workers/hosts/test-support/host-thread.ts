/** A host worker in Node's worker_threads (tests): HostService exposed with comlink. */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import { nodeEndpoint } from './node-endpoint.js';
import { HostService } from '../host-service.js';

expose(new HostService(), nodeEndpoint(parentPort!));
