import { HELLO, expect, test } from './fixtures';

test.describe('window.kvmLab', () => {
  test('loads, runs until an event, answers inputs and round-trips a session', async ({ page, lab }) => {
    await lab.open(HELLO);
    expect(await page.evaluate(() => window.kvmLab!.version)).toMatch(/^\d+\.\d+\.\d+$/);
    const names = await page.evaluate(() => window.kvmLab!.scenarios().map((s) => s.name));
    expect(names).toContain('hello');
    const hit = await page.evaluate(() => window.kvmLab!.runUntil({ kind: 'hello.receive' }));
    expect(hit).toMatchObject({ kind: 'hello.receive', host: 'dst', component: 'vmm@dst' });
    await expect(page.getByTestId('position')).toHaveText(/^step 4/);
    const answer = await page.evaluate(() => window.kvmLab!.input({ monitor: 'info status' }));
    expect(answer).toEqual({ ok: true, text: 'VM status: running' });
    const docText = await page.evaluate(async () => JSON.stringify(await window.kvmLab!.exportSession()));
    expect(JSON.parse(docText)).toMatchObject({ format: 'kvm-lab/session', version: 1, cursor: 5 });
    await lab.call('reset');
    await page.evaluate((text) => window.kvmLab!.importSession(JSON.parse(text) as never), docText);
    await expect(page.getByTestId('position')).toHaveText(/^step 5/);
    const events = await page.evaluate(() => window.kvmLab!.events().map((e) => e.kind));
    expect(events.at(-1)).toBe('console.line');
  });

  test('subscribers see each event once, in order', async ({ page, lab }) => {
    await lab.open(HELLO);
    const seqs = await page.evaluate(async () => {
      const seen: number[] = [];
      const off = window.kvmLab!.subscribe((e) => seen.push(e.seq));
      await window.kvmLab!.step(3);
      await window.kvmLab!.step(2);
      off();
      await window.kvmLab!.step(1);
      return seen;
    });
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('a bad scenario document is reported and the current run is kept', async ({ page, lab }) => {
    await lab.open(HELLO);
    await lab.call('step', 2);
    await page.evaluate(() =>
      window.kvmLab!.load({ format: 'kvm-lab/scenario', version: 9, name: 'x', title: 'x', machine: 'hello' }),
    );
    await expect(page.getByRole('alert')).toContainText('version 9 is newer than this lab understands');
    await expect(page.getByTestId('position')).toHaveText(/^step 2/);
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});
