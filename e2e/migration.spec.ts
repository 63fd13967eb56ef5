import type { EngineEvent, EngineState, GuestMemoryDigest, InputResult } from '../workers/api/types';
import { expect, test } from './fixtures';

// The default scenario (EFI, upstream ABI, 256 MiB, busy guest) migrates in real Chromium
// with the source and the target host each in a Web Worker of its own, and the target
// resumes holding exactly what the source held when it stopped.
test.describe('SEV live migration in Chromium', () => {
  test('the default scenario migrates host to host in two workers; the target resumes with the source’s memory', async ({ page, lab }) => {
    test.setTimeout(300_000);
    await lab.open();
    expect(await lab.call('hostNames')).toEqual(['src', 'dst']);
    // One worker per host, started by the engine worker (Playwright lists only the engine's).
    expect(((await lab.state()) as EngineState).summary).toMatchObject({ hostsIn: 'workers' });

    const done = (await lab.call('runUntil', { kind: 'migration.done', host: 'dst' })) as EngineEvent;
    expect(done.payload).toMatchObject({ side: 'target', status: 'completed' });
    const [src, dst] = (await Promise.all([lab.call('guestMemoryDigest', 'src'), lab.call('guestMemoryDigest', 'dst')])) as GuestMemoryDigest[];
    expect(src.pages).toBe(65536);
    expect(src.touched).toBeGreaterThan(1000);
    expect(dst.sha256).toBe(src.sha256);

    const hosts = ((await lab.state()) as EngineState).summary as { hosts: Record<string, { runstate: string; outgoing: string; incoming: string; migratedPages: number }> };
    expect(hosts.hosts.src).toMatchObject({ runstate: 'postmigrate', outgoing: 'completed' });
    expect(hosts.hosts.dst).toMatchObject({ runstate: 'running', incoming: 'completed' });
    expect(hosts.hosts.dst.migratedPages).toBeGreaterThan(0);
    // The page map's bytes arrive as a Uint8Array, one per page; the target marks what it received.
    const migrated = await page.evaluate(async () => (await window.kvmLab!.pageStates('dst')).filter((b) => b & 0x40).length);
    expect(migrated).toBe(hosts.hosts.dst.migratedPages);

    // Step back: fresh host workers replay the run to the step before (the transport says
    // so meanwhile), and stepping on gives the very same event again.
    const before = (await lab.state()) as EngineState;
    await page.getByRole('button', { name: 'Step back' }).click();
    await expect(page.getByTestId('position')).toContainText('Replaying to the step before…');
    await expect(page.getByTestId('position')).toHaveText(new RegExp(`^step ${before.cursor - 1} ·`), { timeout: 180_000 });
    expect(await lab.call('runUntil', { kind: 'migration.done', host: 'dst' })).toEqual(done);
    expect(((await lab.state()) as EngineState).cursor).toBe(before.cursor);

    // The source is SENT: QEMU refuses to continue it.
    const cont = (await lab.call('input', { monitor: 'cont', host: 'src' })) as InputResult;
    expect(cont.ok).toBe(false);
    await expect(lab.call('guestMemoryDigest', 'hop2')).rejects.toThrow('no host "hop2"');
  });
});
