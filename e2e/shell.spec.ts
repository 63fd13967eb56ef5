import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { HELLO, expect, test } from './fixtures';

/** The rows of the event log (not the options of the selects). */
const rows = (page: Page) => page.getByRole('listbox', { name: /^Event log/ }).getByRole('option');

test.describe('the app shell', () => {
  test('opens on the default scenario, the SEV migration', async ({ page, lab }) => {
    await lab.open();
    await expect(page.getByLabel('Scenario')).toHaveValue('default');
    await expect(page.getByTestId('position')).toHaveText(/^step 0 · 0 events/);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByTestId('position')).toHaveText(/^step 1 · [1-9]\d* events/);
  });

  test('renders every pane, passes axe, and is screenshotted', async ({ page, lab }) => {
    await lab.open(HELLO);
    await expect(page.getByRole('heading', { name: 'kvm-lab' })).toBeVisible();
    await expect(page.getByRole('toolbar', { name: 'Transport controls' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Guest memory' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Inspector' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByLabel('Scenario')).toHaveValue('hello');
    await expect(page.getByTestId('position')).toHaveText(/step 0 · 0 events/);
    await page.screenshot({ path: 'test-results/screenshots/shell-light.png' });
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  test('steps, steps back, resets and plays to the end through the transport bar', async ({ page, lab }) => {
    await lab.open(HELLO);
    const step = page.getByRole('button', { name: 'Step', exact: true });
    await step.click();
    await step.click();
    await step.click();
    await expect(page.getByTestId('position')).toHaveText(/^step 3 · 4 events/);
    await expect(rows(page)).toHaveCount(4);
    await expect(rows(page).nth(3)).toContainText('hello.send');
    await page.getByRole('button', { name: 'Step back' }).click();
    await expect(page.getByTestId('position')).toHaveText(/^step 2 · 3 events/);
    await expect(rows(page)).toHaveCount(3);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page.getByTestId('position')).toHaveText(/^step 0 · 0 events/);
    await page.getByLabel('Speed (actions per second)').selectOption('240');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(page.getByTestId('position')).toHaveText(/done/);
    await expect(rows(page).last()).toContainText('hello.halt');
    await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  });

  test('selecting an event shows it in the inspector; Enter jumps there', async ({ page, lab }) => {
    await lab.open(HELLO);
    await lab.call('step', 6);
    await rows(page).filter({ hasText: 'hello.receive' }).first().click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await expect(inspector).toContainText('vmm@dst');
    await expect(inspector).toContainText('"nonce"');
    await page.getByRole('listbox').press('Enter');
    await expect(page.getByTestId('position')).toHaveText(/^step 4 · 5 events/);
  });

  test('keyboard shortcuts drive the transport and the ? overlay lists them', async ({ page, lab }) => {
    await lab.open(HELLO);
    await page.locator('body').press('ArrowRight');
    await page.locator('body').press('ArrowRight');
    await expect(page.getByTestId('position')).toHaveText(/^step 2/);
    await page.locator('body').press('ArrowLeft');
    await expect(page.getByTestId('position')).toHaveText(/^step 1/);
    await page.locator('body').press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Step forward');
    await expect(dialog).toContainText('Play / pause');
    await page.screenshot({ path: 'test-results/screenshots/shortcuts.png' });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.locator('body').press('Home');
    await expect(page.getByTestId('position')).toHaveText(/^step 0/);
  });

  test('keeps scenario, seed, view and position in the URL and restores them', async ({ page, lab }) => {
    await lab.open('#scenario=hello&seed=7&at=4&tab=timeline');
    await expect(page.getByTestId('position')).toHaveText(/^step 4/);
    await expect(page.getByLabel('Seed')).toHaveValue('7');
    await lab.call('step', 1);
    await expect(page).toHaveURL(/seed=7/);
    await expect(page).toHaveURL(/at=5/);
    const nonceBefore = await rows(page).nth(2).textContent();
    await page.reload();
    await page.evaluate(() => window.kvmLab!.ready());
    await expect(page.getByTestId('position')).toHaveText(/^step 5/);
    expect(await rows(page).nth(2).textContent()).toBe(nonceBefore);
  });

  test('a new seed changes the run; a bad seed is refused with a message', async ({ page, lab }) => {
    await lab.open(HELLO);
    await lab.call('step', 3);
    const before = await rows(page).nth(2).textContent();
    const seed = page.getByLabel('Seed');
    await seed.fill('12x');
    await expect(page.getByText('a whole number')).toBeVisible();
    await seed.fill('42');
    await seed.press('Enter');
    await expect(page.getByTestId('position')).toHaveText(/^step 0/);
    await lab.call('step', 3);
    await expect(rows(page).nth(2)).not.toHaveText(before!);
  });

  test('follows the OS colour scheme and lets the user pick a theme', async ({ page, lab }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await lab.open(HELLO);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await bg()).toBe('rgb(20, 23, 28)');
    await page.screenshot({ path: 'test-results/screenshots/shell-dark.png' });
    await page.getByLabel('Theme').selectOption('light');
    expect(await bg()).toBe('rgb(246, 247, 249)');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
  });

  test('panes resize by keyboard on their separators', async ({ page, lab }) => {
    await lab.open(HELLO);
    const sep = page.getByRole('separator', { name: 'Resize the timeline' });
    const before = Number(await sep.getAttribute('aria-valuenow'));
    await sep.focus();
    await sep.press('ArrowUp');
    await expect(sep).toHaveAttribute('aria-valuenow', String(before + 16));
    await sep.press('Home');
    await expect(sep).toHaveAttribute('aria-valuenow', '120');
  });

  test('the vGIC view is reachable from the top bar and by URL', async ({ page, lab }) => {
    await lab.open(HELLO);
    await page.getByRole('button', { name: 'vGIC layout' }).click();
    await expect(page.getByRole('heading', { name: 'vGIC-v3 redistributor layout' })).toBeVisible();
    await expect(page).toHaveURL(/view=vgic/);
    await lab.open('#view=vgic');
    await expect(page.getByRole('heading', { name: 'vGIC-v3 redistributor layout' })).toBeVisible();
  });
});
