/** Helpers shared by the vGIC editor e2e specs. */
import type { Locator, Page } from '@playwright/test';
import type { VgicLayout } from '../workers/api/types';
import type { LabHelper } from './fixtures';

export const SHOTS = 'test-results/screenshots';

/** The page x of a guest-physical address in the drawing. */
export async function xOf(page: Page, addr: number): Promise<number> {
  const svg = page.getByTestId('vgic-svg');
  const box = (await svg.boundingBox())!;
  const a = await svg.evaluate((el) => ({
    plotX: Number(el.getAttribute('data-plot-x')),
    width: Number(el.getAttribute('data-plot-width')),
    d0: Number(el.getAttribute('data-domain-start')),
    d1: Number(el.getAttribute('data-domain-end')),
  }));
  return box.x + a.plotX + ((addr - a.d0) / (a.d1 - a.d0)) * a.width;
}

/** Presses at address `from` on `target` and releases at address `to`, with the mouse. */
export async function dragAddr(page: Page, target: Locator, from: number, to: number): Promise<void> {
  const box = (await target.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(await xOf(page, from), y);
  await page.mouse.down();
  await page.mouse.move(await xOf(page, to), y, { steps: 8 });
  await page.mouse.up();
}

export const block = (page: Page, id: string) => page.locator(`[data-block-id="${id}"]`);
export const layoutOf = (page: Page) => page.evaluate(() => window.kvmLab!.vgic.layout());
export const idle = (page: Page) => page.evaluate(() => window.kvmLab!.vgic.idle());
/** vCPUs whose frame is drawn with Last = 1. */
export const lastVcpus = (page: Page) =>
  page
    .locator('.vgic-frame[data-last="true"]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-vcpu'))).sort((a, b) => a - b));

export async function openEditor(lab: LabHelper, hash = '#view=vgic'): Promise<void> {
  await lab.open(hash);
  await lab.page.evaluate(() => window.kvmLab!.vgic.idle());
}

export { TWO_REGIONS_8_VCPUS } from '../workers/vgic/test-support/layouts';

export async function setLayout(page: Page, layout: VgicLayout): Promise<void> {
  await page.evaluate((l) => window.kvmLab!.vgic.setLayout(l), layout);
  await idle(page);
}
