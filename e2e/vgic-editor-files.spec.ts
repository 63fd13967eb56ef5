/** The vGIC layout editor, part 2: keyboard editing, URL / save / open, copying the ioctls. */
import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { SHOTS, block, layoutOf, idle, lastVcpus, openEditor, setLayout, TWO_REGIONS_8_VCPUS } from './vgic-helpers';

test.describe('the vGIC layout editor (files and keys)', () => {
  test('is keyboard operable: arrows move, +/− resize, PageUp reorders, Delete removes', async ({ page, lab }) => {
    await openEditor(lab);
    await setLayout(page, TWO_REGIONS_8_VCPUS);
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
