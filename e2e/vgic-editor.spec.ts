/**
 * The vGIC-v3 redistributor layout editor, end to end: building a layout by dragging,
 * the kernel's errno on invalid layouts, the script player, keyboard editing, URL state,
 * save / open, and axe in both themes. Pixel positions come from the SVG's data
 * attributes (plot offset and visible address range), so drags aim at addresses.
 */
import { expect, test } from './fixtures';
import {
  SHOTS,
  dragAddr,
  block,
  layoutOf,
  idle,
  lastVcpus,
  openEditor,
  setLayout,
  TWO_REGIONS_8_VCPUS,
} from './vgic-helpers';

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
    await setLayout(page, TWO_REGIONS_8_VCPUS);
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
    await setLayout(page, TWO_REGIONS_8_VCPUS);
    await block(page, 'region:1').focus();
    await page.getByLabel('Index', { exact: true }).fill('2');
    await idle(page);
    await expect(verdict).toContainText('-EINVAL (22)');
    await expect(verdict).toContainText(/index/);
    await expect(block(page, 'region:1')).toHaveAttribute('data-invalid', 'true');

    // Too few frames: found at the first KVM_RUN.
    await setLayout(page, TWO_REGIONS_8_VCPUS);
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
});
