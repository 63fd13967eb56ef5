/**
 * The vGIC-v3 redistributor layout editor, end to end: building a layout by dragging,
 * the kernel's errno on invalid layouts, the script player, keyboard editing, URL state,
 * save / open, and axe in both themes. Pixel positions come from the SVG's data
 * attributes (plot offset and visible address range), so drags aim at addresses.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import type { VgicLayout } from '../workers/api/types';
import { expect, test, type LabHelper } from './fixtures';

const SHOTS = 'test-results/screenshots';

/** The page x of a guest-physical address in the drawing. */
async function xOf(page: Page, addr: number): Promise<number> {
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
async function dragAddr(page: Page, target: Locator, from: number, to: number): Promise<void> {
  const box = (await target.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(await xOf(page, from), y);
  await page.mouse.down();
  await page.mouse.move(await xOf(page, to), y, { steps: 8 });
  await page.mouse.up();
}

const block = (page: Page, id: string) => page.locator(`[data-block-id="${id}"]`);
const layoutOf = (page: Page) => page.evaluate(() => window.kvmLab!.vgic.layout());
const idle = (page: Page) => page.evaluate(() => window.kvmLab!.vgic.idle());
/** vCPUs whose frame is drawn with Last = 1. */
const lastVcpus = (page: Page) =>
  page
    .locator('.vgic-frame[data-last="true"]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-vcpu'))).sort((a, b) => a - b));

async function openEditor(lab: LabHelper, hash = '#view=vgic'): Promise<void> {
  await lab.open(hash);
  await lab.page.evaluate(() => window.kvmLab!.vgic.idle());
}

async function setLayout(page: Page, layout: VgicLayout): Promise<void> {
  await page.evaluate((l) => window.kvmLab!.vgic.setLayout(l), layout);
  await idle(page);
}

test.describe('the vGIC layout editor', () => {
  test('builds a valid two-region layout for 8 vCPUs by dragging, with the Last bits live', async ({ page, lab }) => {
    await openEditor(lab);
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.getByLabel('vCPUs').fill('8');
    await page.getByRole('button', { name: '+ Distributor' }).click();
    await page.getByRole('button', { name: '+ Region' }).click();
    await idle(page);
    expect(await layoutOf(page)).toMatchObject({
      vcpus: 8,
      dist: { base: '0x8000000' },
      regions: [{ index: 0, base: '0x8010000', count: 8 }],
    });
    await page.evaluate(() => window.kvmLab!.vgic.zoomTo(0x7f80000, 0x8380000));

    // Drag region #0 from 0x8010000 to QEMU's 0x080a0000, then shrink it to 4 frames by its handle.
    await dragAddr(page, block(page, 'region:0').locator('rect.body'), 0x8030000, 0x80c0000);
    await idle(page);
    expect((await layoutOf(page)).regions![0].base).toBe('0x80a0000');
    await dragAddr(page, page.locator('[data-handle-for="region:0"]'), 0x81a0000, 0x8120000);
    await idle(page);
    expect((await layoutOf(page)).regions![0].count).toBe(4);
    await expect(page.getByTestId('vgic-verdict')).toContainText('-ENXIO (6)');
    await expect(page.getByTestId('vgic-verdict')).toContainText('the first KVM_RUN');

    // A second region lands right after the first: vCPU 3's frame is not the last one.
    await page.getByRole('button', { name: '+ Region' }).click();
    await idle(page);
    expect((await layoutOf(page)).regions![1]).toEqual({ index: 1, base: '0x8120000', count: 4 });
    await expect(page.getByTestId('vgic-verdict')).toHaveAttribute('data-ok', 'true');
    expect(await lastVcpus(page)).toEqual([7]);

    // Dragged away from it, both regions end a run of frames: Last on vCPU 3 and 7.
    await dragAddr(page, block(page, 'region:1').locator('rect.body'), 0x8130000, 0x8210000);
    await idle(page);
    expect((await layoutOf(page)).regions![1].base).toBe('0x8200000');
    expect(await lastVcpus(page)).toEqual([3, 7]);
    await expect(page.getByTestId('vgic-verdict')).toContainText('every ioctl succeeds');
    await page.getByRole('tab', { name: 'Frames' }).click();
    const rows = page.getByTestId('vgic-frames').locator('tbody tr');
    await expect(rows).toHaveCount(8);
    await expect(rows.filter({ hasText: '0x8100000' })).toContainText('0x300000310');
    await expect(rows.filter({ hasText: '0x8260000' })).toContainText('0x700000710');
    await expect(page.getByTestId('vgic-summary')).toContainText(
      'Region idx 1 at 0x08200000–0x0827ffff, 4 frames serving vCPU 4–7; Last set for vCPU 7.',
    );

    // The frame's inspector explains Last.
    await page.getByRole('button', { name: 'Inspect vCPU 3' }).click();
    await expect(page.getByTestId('vgic-last')).toHaveText('1');
    await expect(page.getByRole('region', { name: 'Inspector of the layout' })).toContainText(
      'no region with vCPUs starts right after it',
    );
    await expect(page).toHaveURL(/layout=k13_v8_d8000000_r0\.80a0000\.4_r1\.8200000\.4/);
    await page.screenshot({ path: `${SHOTS}/vgic-two-regions.png` });
  });

  test('an invalid layout shows the errno, the ioctl and the rule, and marks the block', async ({ page, lab }) => {
    await openEditor(lab);
    await setLayout(page, {
      profile: '5.13',
      vcpus: 8,
      dist: { base: '0x8000000' },
      regions: [
        { index: 0, base: '0x80a0000', count: 4 },
        { index: 1, base: '0x8200000', count: 4 },
      ],
    });
    await page.evaluate(() => window.kvmLab!.vgic.zoomTo(0x7f80000, 0x8300000));
    await expect(page.getByTestId('vgic-verdict')).toHaveAttribute('data-ok', 'true');

    // Drag region #0 onto the distributor.
    await dragAddr(page, block(page, 'region:0').locator('rect.body'), 0x80b0000, 0x8010000);
    await idle(page);
    expect((await layoutOf(page)).regions![0].base).toBe('0x8000000');
    const verdict = page.getByTestId('vgic-verdict');
    await expect(verdict).toContainText('-EINVAL (22)');
    await expect(verdict).toContainText('KVM_SET_DEVICE_ATTR (set_attr)');
    await expect(verdict).toContainText('overlaps the distributor');
    await expect(block(page, 'region:0')).toHaveAttribute('data-invalid', 'true');
    await expect(block(page, 'dist')).toHaveAttribute('data-invalid', 'true');
    await expect(block(page, 'region:0')).toHaveAttribute('aria-label', /problem: -EINVAL \(22\)/);
    await expect(page.getByRole('tab', { name: /Problems \(\d+\)/ })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/vgic-invalid.png` });

    // Index out of order, typed in the inspector.
    await setLayout(page, {
      profile: '5.13',
      vcpus: 8,
      dist: { base: '0x8000000' },
      regions: [
        { index: 0, base: '0x80a0000', count: 4 },
        { index: 1, base: '0x8200000', count: 4 },
      ],
    });
    await block(page, 'region:1').focus();
    await page.getByLabel('Index', { exact: true }).fill('2');
    await idle(page);
    await expect(verdict).toContainText('-EINVAL (22)');
    await expect(verdict).toContainText(/index/);
    await expect(block(page, 'region:1')).toHaveAttribute('data-invalid', 'true');

    // Too few frames: found at the first KVM_RUN.
    await setLayout(page, {
      profile: '5.13',
      vcpus: 8,
      dist: { base: '0x8000000' },
      regions: [
        { index: 0, base: '0x80a0000', count: 4 },
        { index: 1, base: '0x8200000', count: 4 },
      ],
    });
    await page.getByLabel('vCPUs').fill('9');
    await idle(page);
    await expect(verdict).toContainText(/-ENXIO \(6\) at the first KVM_RUN/);
    // Beyond the IPA size, and legacy REDIST mixed with REDIST_REGION.
    await setLayout(page, {
      profile: '5.13',
      vcpus: 1,
      dist: { base: '0x10000000000' },
      regions: [{ index: 0, base: '0x20000', count: 1 }],
    });
    await expect(verdict).toContainText(/-E2BIG \(7\) at KVM_SET_DEVICE_ATTR/);
    await setLayout(page, {
      profile: '5.13',
      vcpus: 2,
      dist: { base: '0x0' },
      redist: { base: '0x100000' },
      regions: [{ index: 0, base: '0x200000', count: 2 }],
    });
    await expect(verdict).toContainText('-EINVAL (22)');
    await expect(block(page, 'region:0')).toHaveAttribute('data-invalid', 'true');

    // A malformed layout from automation is refused with its path; the layout stays.
    const kept = await layoutOf(page);
    const refused = page.evaluate(() =>
      window.kvmLab!.vgic.setLayout({ profile: '5.13', vcpus: 2, regions: [{ index: 0, base: 'here', count: 1 }] }),
    );
    await expect(refused).rejects.toThrow(/regions\[0\]\.base: expected an address/);
    expect(await layoutOf(page)).toEqual(kept);
    await expect(page.getByTestId('vgic-notice')).toContainText('The layout was refused: regions[0].base');

    // The profiles differ: a region straddling the IPA top is refused only by 5.16.
    await setLayout(page, {
      profile: '5.13',
      vcpus: 2,
      dist: { base: '0x0' },
      regions: [{ index: 0, base: '0xfffffe0000', count: 2 }],
    });
    await expect(verdict).toHaveAttribute('data-ok', 'true');
    await page.getByRole('tab', { name: 'Kernel profiles' }).click();
    await idle(page);
    const profiles = page.getByTestId('vgic-profiles');
    await expect(profiles.locator('[data-profile="5.16"]')).toContainText('-E2BIG (7)');
    await expect(profiles.locator('[data-profile="5.13"]')).toContainText('runs');
    await profiles.getByRole('button', { name: 'Use 5.16' }).click();
    await idle(page);
    await expect(verdict).toContainText('-E2BIG (7)');
    await expect(block(page, 'region:0')).toHaveAttribute('data-invalid', 'true');
  });

  test('plays a preset script step by step with each step’s result; a bad script is refused and the layout kept', async ({
    page,
    lab,
  }) => {
    await openEditor(lab);
    const before = await layoutOf(page);
    await page.getByRole('tab', { name: 'Script player' }).click();
    await page.getByLabel('Load a built-in script').selectOption('5.13/06-test_last_bit_redist_regions');
    await idle(page);
    const position = page.getByTestId('vgic-player-position');
    await expect(position).toHaveText(/^step 0 of 26/);
    const stepButton = page.getByRole('button', { name: 'Step', exact: true });
    for (let i = 0; i < 16; i++) await stepButton.click();
    await idle(page);
    await expect(position).toHaveText(/^step 16 of 26/);
    const rows = page.getByTestId('vgic-player-steps').locator('tbody tr');
    await expect(rows.nth(15)).toHaveAttribute('aria-current', 'step');
    await expect(rows.nth(15).getByTestId('vgic-step-result')).toHaveText('0');
    await expect(rows.nth(16).getByTestId('vgic-step-result')).toHaveText('');
    const regions = page.locator('.vgic-block[data-kind="region"]');
    await expect(regions).toHaveCount(1);
    await stepButton.click();
    await idle(page);
    await expect(regions).toHaveCount(2);
    await stepButton.click();
    await idle(page);
    await expect(regions).toHaveCount(3);
    for (let i = 0; i < 4; i++) await stepButton.click();
    await idle(page);
    await expect(position).toHaveText(/^step 22 of 26/);
    await expect(rows.nth(20).getByTestId('vgic-step-result')).toHaveText('0 → 0x200');
    await expect(rows.nth(20)).toContainText('✓');
    await expect(rows.nth(21).getByTestId('vgic-step-result')).toHaveText('0 → 0x310');
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await idle(page);
    await expect(position).toHaveText(/^step 21 of 26/);
    await expect(rows.nth(21).getByTestId('vgic-step-result')).toHaveText('');
    await expect(page.getByRole('note')).toContainText('after 21 of 26 steps');
    await page.screenshot({ path: `${SHOTS}/vgic-script-player.png` });
    await page.getByRole('button', { name: 'Run all' }).click();
    await idle(page);
    await expect(position).toHaveText(/^step 26 of 26$/);
    await expect(rows.nth(21).getByTestId('vgic-step-result')).toHaveText('0 → 0x310');
    await page.getByRole('button', { name: 'Reset' }).click();
    await idle(page);
    await expect(position).toHaveText(/^step 0 of 26/);
    await page.getByRole('button', { name: 'Close script' }).click();
    expect(await layoutOf(page)).toEqual(before);

    // Malformed: not JSON, then a step with an unknown handle.
    const paste = page.getByLabel('Or paste a vgic-script (JSON)');
    await paste.fill('{"format": "kvm-lab/vgic-script", "version": 1, "steps": [');
    await page.getByRole('button', { name: 'Load pasted script' }).click();
    await expect(page.getByTestId('vgic-notice')).toContainText('not valid JSON');
    await paste.fill(
      JSON.stringify({
        format: 'kvm-lab/vgic-script',
        version: 1,
        steps: [
          { op: 'create_vm', vm: 'vm' },
          { op: 'set_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_ADDR', attr: 2, value: '0x0' },
        ],
      }),
    );
    await page.getByRole('button', { name: 'Load pasted script' }).click();
    await idle(page);
    await expect(page.getByTestId('vgic-notice')).toContainText(
      'Step 1 (set_attr) cannot run: steps[1].dev: unknown or closed device handle "gic"',
    );
    await page.getByRole('button', { name: 'Run all' }).click();
    await idle(page);
    await expect(rows.nth(1).getByTestId('vgic-step-result')).toContainText('error: steps[1].dev');
    await page.getByRole('button', { name: 'Close script' }).click();
    await paste.fill(JSON.stringify({ format: 'kvm-lab/vgic-script', version: 1, kernel: '6.1', steps: [] }));
    await page.getByRole('button', { name: 'Load pasted script' }).click();
    await expect(page.getByTestId('vgic-notice')).toContainText('kernel: expected "5.12", "5.13" or "5.16"');
    expect(await layoutOf(page)).toEqual(before);
  });

  test('is keyboard operable: arrows move, +/− resize, PageUp reorders, Delete removes', async ({ page, lab }) => {
    await openEditor(lab);
    await setLayout(page, {
      profile: '5.13',
      vcpus: 8,
      dist: { base: '0x8000000' },
      regions: [
        { index: 0, base: '0x80a0000', count: 4 },
        { index: 1, base: '0x8200000', count: 4 },
      ],
    });
    const cursor = (await lab.state())!.cursor;
    await block(page, 'dist').focus();
    await page.keyboard.press('Tab');
    await expect(block(page, 'region:0')).toBeFocused();
    await expect(block(page, 'region:0')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('-');
    await idle(page);
    expect((await layoutOf(page)).regions![0]).toEqual({ index: 0, base: '0x81a0000', count: 5 });
    await page.keyboard.press('Tab');
    await expect(block(page, 'region:1')).toBeFocused();
    await page.keyboard.press('PageUp');
    await idle(page);
    await expect(block(page, 'region:0')).toBeFocused();
    expect((await layoutOf(page)).regions).toEqual([
      { index: 0, base: '0x8200000', count: 4 },
      { index: 1, base: '0x81a0000', count: 5 },
    ]);
    await page.keyboard.press('Delete');
    await idle(page);
    expect((await layoutOf(page)).regions).toEqual([{ index: 1, base: '0x81a0000', count: 5 }]);
    await expect(page.getByTestId('vgic-verdict')).toContainText('-EINVAL (22)');
    await page.keyboard.press(' ');
    await page.keyboard.press('Enter');
    // The keys stayed in the editor: the SEV transport did not step or play.
    expect(await lab.call('ui')).toMatchObject({ playing: false });
    expect((await lab.state())!.cursor).toBe(cursor);
  });

  test('keeps the layout in the URL, saves it and opens it back, refusing a bad file with its path', async ({
    page,
    lab,
  }) => {
    await openEditor(lab, '#view=vgic&layout=k16_v6_c0.3.5.4.1.2_d0_r0.100000.2_r1.240000.2_r2.200000.2');
    expect(await layoutOf(page)).toEqual({
      profile: '5.16',
      vcpus: 6,
      vcpuIds: [0, 3, 5, 4, 1, 2],
      dist: { base: '0x0' },
      regions: [
        { index: 0, base: '0x100000', count: 2 },
        { index: 1, base: '0x240000', count: 2 },
        { index: 2, base: '0x200000', count: 2 },
      ],
    });
    expect(await lastVcpus(page)).toEqual([3, 4]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save…' }).click();
    const file = await download;
    const saved = JSON.parse(await readFile(await file.path(), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ format: 'kvm-lab/vgic-layout', version: 1, profile: '5.16', vcpus: 6 });

    const chooser = page.getByTestId('vgic-open-layout');
    const bad = {
      ...saved,
      regions: [
        { index: 0, base: '0x100000', count: 2 },
        { index: 1, base: 'nowhere', count: 2 },
      ],
    };
    await chooser.setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad)),
    });
    await expect(page.getByTestId('vgic-notice')).toContainText(
      'Could not open bad.json: regions[1].base: expected an address',
    );
    expect((await layoutOf(page)).profile).toBe('5.16');

    await page.getByRole('button', { name: 'New', exact: true }).click();
    await idle(page);
    expect((await layoutOf(page)).regions).toBeUndefined();
    await chooser.setInputFiles({
      name: 'good.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(saved)),
    });
    await idle(page);
    expect((await layoutOf(page)).regions).toHaveLength(3);
    await expect(page).toHaveURL(/layout=k16_v6_c0\.3\.5\.4\.1\.2_d0_r0\.100000\.2/);
    await page.reload();
    await page.evaluate(() => window.kvmLab!.ready());
    expect((await layoutOf(page)).vcpuIds).toEqual([0, 3, 5, 4, 1, 2]);
  });

  test('copies the ioctls as a vgic-script and as KVM_SET_DEVICE_ATTR calls', async ({ page, lab, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openEditor(lab);
    await page.getByRole('tab', { name: 'ioctls' }).click();
    await expect(page.getByTestId('vgic-calls')).toContainText(
      'KVM_SET_DEVICE_ATTR(group=KVM_DEV_ARM_VGIC_GRP_ADDR, attr=KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, addr=0x00400000080a0000)',
    );
    const json = await page.getByTestId('vgic-script-json').textContent();
    expect(JSON.parse(json!)).toMatchObject({ format: 'kvm-lab/vgic-script', version: 1, kernel: '5.13' });
    await page.getByRole('button', { name: 'Copy' }).nth(1).click();
    await expect(page.getByText(/Copied to the clipboard|the text is selected/)).toBeVisible();
    const copied = await page.evaluate(() =>
      navigator.clipboard.readText().catch(() => window.getSelection()?.toString() ?? ''),
    );
    expect(JSON.parse(copied)).toEqual(JSON.parse(json!));
    await page.getByRole('button', { name: 'Play step by step' }).click();
    await page.getByRole('button', { name: 'Run all' }).click();
    await idle(page);
    await expect(page.getByTestId('vgic-player-steps').locator('.vgic-match-bad')).toHaveCount(0);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`passes axe in the ${theme} theme`, async ({ page, lab }) => {
      await page.emulateMedia({ colorScheme: theme });
      await openEditor(lab);
      await page.evaluate(() => window.kvmLab!.vgic.loadPreset('selftest-dist-rdist-overlap'));
      await idle(page);
      await block(page, 'redist').focus();
      await page.screenshot({ path: `${SHOTS}/vgic-${theme}.png` });
      for (const tab of ['Problems', 'Frames', 'Kernel profiles', 'ioctls', 'Script player']) {
        await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
        await idle(page);
        const axe = await new AxeBuilder({ page }).include('.vgic-editor').analyze();
        expect(
          axe.violations.map((v) => `${tab}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        ).toEqual([]);
      }
    });
  }
});
