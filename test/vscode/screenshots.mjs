#!/usr/bin/env node
// Screenshots of the real VS Code UI for the documentation (docs/images/), taken in code-server
// with headless Chromium on a copy of the example study. Each step waits for what it shows.
//
//   npm run screenshots
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, launchChromium, root, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { buildAll } from './run.mjs';

const out = join(root, 'docs', 'images');
const TRANSCRIPT = 'sw01-borough-a.transcript';

async function main() {
  ensureCodeServer();
  await buildAll();
  const tmp = mkdtempSync(join(tmpdir(), 'transcript-coder-shots-'));
  const folder = join(tmp, 'ppp-study');
  cpSync(join(root, 'examples', 'ppp-study'), folder, { recursive: true });
  secondCoder(folder);
  mkdirSync(out, { recursive: true });
  const server = await startCodeServer({
    folder, userDataDir: join(tmp, 'user-data'), extensionsDir: join(tmp, 'extensions'),
    settings: {
      'workbench.colorTheme': 'Default Light Modern',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'chat.commandCenter.enabled': false,
      'extensions.ignoreRecommendations': true,
      'editor.minimap.enabled': false,
      'window.commandCenter': false,
      'breadcrumbs.enabled': false,
    },
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 880 } });
  try {
    await page.goto(workbenchUrl(server.port, folder));
    await page.locator('.monaco-workbench').waitFor();
    const text = readFileSync(join(folder, TRANSCRIPT), 'utf8').split('\n');

    const command = async (title) => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
      await page.keyboard.press('Enter');
    };
    const goToLine = async (line) => {
      await page.keyboard.press('Control+G');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`:${line}`);
      await page.keyboard.press('Enter');
    };
    // The tints of coded passages (the extension's text decorations) drawn in the visible lines.
    const tinted = () => page.locator('.monaco-editor .view-overlays .cdr[class*="TextEditorDecorationType"]').first().waitFor({ state: 'attached' });
    // Hovers fade in: wait until their animations have finished, so the picture is not half transparent.
    const settled = (locator) => locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
    const shot = async (name) => {
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(out, name) });
      console.log(`docs/images/${name}`);
    };

    // The transcript, opened through Quick Open as a user would.
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(TRANSCRIPT);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: TRANSCRIPT }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'guide: ppp-general' }).waitFor();
    await page.locator('.statusbar-item', { hasText: /Guide \d+\/\d+/ }).waitFor();

    // 1. The Codes view with counts, a parent expanded to its sub-codes.
    await page.locator('.activitybar .action-item a[aria-label^="Transcript Coder"], .activitybar .action-item[aria-label^="Transcript Coder"]').first().click();
    const codes = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Codes' }) });
    const benefit = codes.locator('.monaco-list-row', { hasText: /^benefit/ }).first();
    await benefit.waitFor();
    await benefit.click();
    await codes.locator('.monaco-list-row', { hasText: /^family/ }).first().click();
    await codes.locator('.monaco-list-row', { hasText: 'SW01' }).first().click();
    await codes.locator('.monaco-list-row .codicon-quote').first().waitFor();
    const coverage = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Coverage' }) });
    await coverage.locator('.monaco-list-row', { hasText: 'SW01' }).first().locator('.monaco-tl-twistie').click();
    await coverage.locator('.monaco-list-row', { hasText: 'venue' }).first().waitFor();
    const line = text.findIndex((l) => l.includes('#benefit/family')) + 1;
    await goToLine(line);
    // Coded passages are tinted once typing or scrolling pauses, for the lines in view.
    await tinted();
    await shot('codes-view.png');

    // 2. A hover on a code: label, definition, linked questions, usage.
    const token = page.locator('.monaco-editor .view-line span', { hasText: /^#?benefit\/family$/ }).first();
    await token.waitFor();
    await token.hover();
    const codeHover = page.locator('.monaco-hover:visible', { hasText: 'segments' });
    await codeHover.waitFor();
    await settled(codeHover);
    await page.screenshot({ path: join(out, 'hover-code.png') });
    console.log('docs/images/hover-code.png');

    // 3. A diagnostic: the unasked question on the guide: line, and the Problems panel.
    await page.keyboard.press('Escape');
    await goToLine(2);
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'venue' }).first().waitFor();
    const guideValue = page.locator('.monaco-editor .view-line span', { hasText: /^ppp-general$/ }).first();
    await guideValue.hover();
    const problemHover = page.locator('.monaco-hover:visible', { hasText: 'venue' });
    await problemHover.waitFor();
    await settled(problemHover);
    await page.screenshot({ path: join(out, 'diagnostics.png') });
    console.log('docs/images/diagnostics.png');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');

    // 4. The coverage report webview.
    await command('Transcript Coder: Show Coverage Report');
    // A webview is an iframe holding the page's own iframe.
    await page.frameLocator('iframe.webview').frameLocator('iframe#active-frame').locator('table.matrix').first().waitFor();
    await shot('coverage-report.png');

    // 5. Compare Coders against the second coder's branch: the agreement page, then a disagreement clicked.
    await command('Transcript Coder: Compare Coders…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'coder-b' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Characters' }).first().click();
    const agreement = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await agreement.locator('table.codes').waitFor();
    await shot('agreement.png');
    await agreement.locator('button.open').first().click();
    await page.locator('.monaco-diff-editor').first().waitFor();
    await page.locator('.monaco-diff-editor .selected-text').first().waitFor({ state: 'attached' });
    await shot('agreement-diff.png');
    // 6. The Analysis page: codes by role, a cell clicked, its passages listed under the table.
    // Alone on screen, so that the one webview on the page is the Analysis page.
    await command('View: Close All Editors');
    await page.locator('iframe.webview').waitFor({ state: 'detached' });
    await command('Transcript Coder: Show Analysis');
    const analysis = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await analysis.locator('select#by').waitFor();
    await analysis.locator('select#by').selectOption('role');
    // The page is drawn again for the new table: wait for its group columns.
    await analysis.locator('thead th', { hasText: 'tm' }).first().waitFor();
    const row = analysis.locator('tbody tr', { has: analysis.locator('th code', { hasText: /^benefit$/ }) });
    await row.locator('td').nth(1).click();
    await analysis.locator('#passages li').first().waitFor();
    await shot('analysis.png');
  } catch (err) {
    const failure = join(tmp, 'failure.png');
    await page.screenshot({ path: failure }).catch(() => undefined);
    throw new Error(`${err.message}\n(the page at that moment: ${failure})`);
  } finally {
    await browser.close();
    await server.stop();
  }
  // The editor logs problems with the extension's manifest or activation; show any.
  for (const line of logLines(join(tmp, 'user-data', 'logs'))) {
    if (/transcript-coder|transcriptCoder/i.test(line) && /\b(warn|error)\b/i.test(line)) console.log(`log: ${line}`);
  }
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * Makes the study copy a git repository with two branches: `coder-a` (the example study, checked out) and
 * `coder-b`, where a second coder chose other codes for a few passages and left one paragraph uncoded.
 */
function secondCoder(folder) {
  const git = (...args) => execFileSync('git', args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'coder-a');
  git('config', 'user.email', 'coder-a@example.org');
  git('config', 'user.name', 'Coder A');
  git('add', '-A');
  git('commit', '-q', '-m', 'Coding by coder A');
  git('checkout', '-q', '-b', 'coder-b');
  // Each replaces the first use of a code (not of its sub-codes) by another: the text stays the same.
  const changes = [
    ['sw01-borough-a.transcript', [['benefit/family', 'benefit/child'], ['aim/precursor', 'aim/warning']]],
    ['sw02-northshire.transcript', [['child/voice', 'child/absent'], ['role/la-lawyer', 'role/parents-lawyer']]],
    ['tm01-borough-a.transcript', [['disadvantage/delay', 'process/timing'], ['improvement', 'benefit']]],
  ];
  for (const [file, edits] of changes) {
    let text = readFileSync(join(folder, file), 'utf8');
    for (const [from, to] of edits) text = text.replace(new RegExp(`\\}#${from}(?![\\p{L}\\p{N}_/-])`, 'u'), `}#${to}`);
    writeFileSync(join(folder, file), text);
  }
  git('commit', '-q', '-am', 'Coding by coder B');
  git('checkout', '-q', 'coder-a');
}

function logLines(dir) {
  const lines = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.log')) lines.push(...readFileSync(join(e.parentPath ?? e.path, e.name), 'utf8').split('\n'));
  }
  return lines;
}

main().catch((err) => {
  console.error(`screenshots: ${err.stack ?? err}`);
  process.exit(1);
});
