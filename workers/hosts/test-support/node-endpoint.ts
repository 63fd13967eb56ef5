/** comlink's Endpoint over a Node worker_threads port or Worker (their `on`/`off` events carry the data itself). */
import type { Endpoint } from 'comlink';

interface NodePort {
  postMessage(message: unknown, transfer?: readonly Transferable[]): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  off(event: 'message', listener: (data: unknown) => void): unknown;
}

/** Wraps `port` as a comlink Endpoint. */
export function nodeEndpoint(port: NodePort): Endpoint {
  const listeners = new Map<unknown, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer),
    addEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => {
      const l = (data: unknown): void => {
        const event = { data } as MessageEvent;
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      listeners.set(listener, l);
      port.on('message', l);
    },
    removeEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => {
      const l = listeners.get(listener);
      if (l) port.off('message', l);
      listeners.delete(listener);
    },
  };
}
