#!/usr/bin/env node
// The import commands as a researcher runs them from the Command Palette: their file dialogs and pickers
// driven in the real UI (code-server + headless Chromium), then the files they wrote checked on disk.
//
//   node test/vscode/pickers.mjs            (part of npm run test:vscode; --vsix FILE tests a packaged extension)
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer, launchChromium, root, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { buildAll, unpackVsix } from './run.mjs';

const { values: opts } = parseArgs({ options: { vsix: { type: 'string' } } });

const VTT = `WEBVTT

00:00:01.000 --> 00:00:04.000
<v Interviewer>What is your job title?</v>

00:00:05.000 --> 00:00:08.000
<v Sam>Team manager, for six years.</v>
`;

const GUIDE_MD = `# Parents' views

## The meeting

- [P1] Who came to the meeting?
- [P2] How did it feel?
`;

async function main() {
  ensureCodeServer();
  const tmp = mkdtempSync(join(tmpdir(), 'transcript-coder-pickers-'));
  const extensionPath = opts.vsix ? unpackVsix(opts.vsix, tmp) : (await buildAll(), root);
  const folder = join(tmp, 'study');
  cpSync(join(root, 'test', 'vscode', 'fixture-study'), folder, { recursive: true });
  writeFileSync(join(folder, 'sw40.vtt'), VTT);
  writeFileSync(join(folder, 'parents.md'), GUIDE_MD);
  const server = await startCodeServer({ folder, userDataDir: join(tmp, 'user-data'), extensionsDir: join(tmp, 'extensions') });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let ok = false;
  try {
    await page.goto(workbenchUrl(server.port, folder, { extensionPath }));
    await page.locator('.monaco-workbench').waitFor();
    const input = page.locator('.quick-input-widget input');
    const title = page.locator('.quick-input-widget .quick-input-title');
    // The palette lists an extension's commands once the extension is loaded: until then, try again.
    const command = async (name) => {
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('F1');
        await input.waitFor();
        await input.fill(`>${name}`);
        try {
          await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 3000 });
          break;
        } catch (err) {
          if (attempt === 10) throw err;
          await page.keyboard.press('Escape');
        }
      }
      await page.keyboard.press('Enter');
    };
    /** Answers the editor's own file dialog (in a browser, a path typed into a quick input). */
    const answerDialog = async (step, path) => {
      await title.filter({ hasText: step }).waitFor();
      await input.fill(path);
      // The dialog completes a typed path as it is typed; Enter before it has caught up would accept the old value.
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
    };
    const pick = async (step, label) => {
      await title.filter({ hasText: step }).waitFor();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
    };

    // Import Interviews…: the file, the study folder, the role, and question markers placed.
    await command('Transcript Coder: Import Interviews');
    await answerDialog('(1/4)', join(folder, 'sw40.vtt'));
    await answerDialog('(2/4)', `${folder}/`);
    await pick('(4/4)', 'Team manager');
    await pick('question markers', 'Place question markers');
    await page.locator('.tab', { hasText: 'sw40.transcript' }).waitFor();
    const written = readFileSync(join(folder, 'sw40.transcript'), 'utf8');
    assert.match(written, /^role: tm$/m);
    assert.match(written, /^Interviewer: @job-title \[00:00:01\] What is your job title\?$/m);
    assert.ok(existsSync(join(folder, 'sw40.vtt')), 'the interview file is left where it was');

    // Import Interview Guide…: the document, then where to save the guide.
    await command('Transcript Coder: Import Interview Guide');
    await answerDialog('choose the document', join(folder, 'parents.md'));
    await answerDialog('Save the imported guide', join(folder, 'parents.guide.yaml'));
    await page.locator('.tab', { hasText: 'parents.guide.yaml' }).waitFor();
    const guide = readFileSync(join(folder, 'parents.guide.yaml'), 'utf8');
    assert.match(guide, /- id: P1\n\s+text: Who came to the meeting\?/);
    ok = true;
    console.log('test:vscode:pickers: Import Interviews and Import Interview Guide run through their dialogs and pickers, and wrote what they were asked to.');
  } catch (err) {
    const failure = join(root, 'test', '.generated', 'pickers-failure.png');
    await page.screenshot({ path: failure }).catch(() => undefined);
    console.error(`test:vscode:pickers: ${err.message}\n(the page at that moment: ${failure})`);
    process.exitCode = 1;
  } finally {
    await browser.close();
    await server.stop();
    if (ok) rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
