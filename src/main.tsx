/**
 * Boots the UI: starts the engine worker, wires the controller, the URL and the
 * automation API (`window.kvmLab`), then renders the shell.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createKvmLabApi } from './automation/kvm-lab-api';
import { App } from './components/App';
import { startEngineWorker } from './engine/engine-client';
import { LabController } from './state/controller';
import { labStore } from './state/store';
import { parseUrlState, syncUrlWithStore } from './state/url-state';
import './styles/app.css';

const worker = startEngineWorker();
const controller = new LabController(labStore, worker.engine);
void worker.died.then((msg) => {
  controller.pause();
  labStore.getState().setError(`The engine stopped: ${msg}. Your session is kept in the URL; reload the page to continue.`);
});

const url = parseUrlState(location.hash);
if (url.view) labStore.getState().setView(url.view);
if (url.tab) labStore.getState().setBottomTab(url.tab);

const ready = (async () => {
  await Promise.all([controller.init(url.scenario, url.seed), controller.vgic.init(url.vgic)]);
  if (url.at) await controller.step(url.at);
  syncUrlWithStore(labStore);
})();

window.kvmLab = createKvmLabApi(labStore, controller, __LAB_VERSION__, ready);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App controller={controller} />
  </StrictMode>,
);
