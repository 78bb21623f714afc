/**
 * Quick fixes (SPEC §5–6). The diagnostics are the core's own (`diagnose`),
 * passed back as a client would; each action is shown as
 * `diagnostic-code: title`, and applying one as the text of the file it changes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, type Diagnostic } from '../../../server/src/core/diagnostics';
import { getCodeActions } from '../../../server/src/core/languageService';
import type { CodeAction } from '../../../server/src/core/features/types';
import { applyWorkspaceEdit, fixture, type Fixture } from '../../support/fixture';
import { study } from './base';

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } };

function actionsFor(f: Fixture, uri: string): { actions: CodeAction[]; diagnostics: Diagnostic[] } {
  const diagnostics = diagnose(f.study, uri);
  return { actions: getCodeActions(f.study, uri, f.texts.get(uri)!, WHOLE, diagnostics), diagnostics };
}

/** Every action for the file's diagnostics, as `code: title`, `(preferred)` when marked so. */
function titles(f: Fixture, uri: string): string[] {
  const { actions, diagnostics } = actionsFor(f, uri);
  return actions.map((a) => `${a.diagnostic === undefined ? '?' : diagnostics[a.diagnostic].code}: ${a.title}${a.isPreferred ? ' (preferred)' : ''}`);
}

/** The text of `file` after applying the action titled `title` (from the diagnostics of `uri`). */
function applied(f: Fixture, uri: string, title: string, file = uri): string {
  const { actions } = actionsFor(f, uri);
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no action '${title}'; there are: ${actions.map((a) => a.title).join(' | ')}`);
  return applyWorkspaceEdit(f.texts, action.edit).get(file)!;
}

/** Asserts that `text` holds `lines` one after the other. */
function contains(text: string, lines: string[]): void {
  assert.ok(text.includes(lines.join('\n')), `expected these lines:\n${lines.join('\n')}\nin:\n${text}`);
}

const T = (front: string, body: string): string => `//- /sw01.transcript\n${front}${body}`;
const FM = '---\nguide: ppp\nrole: swr\n---\n';

describe('did-you-mean replacements', () => {
  it('replace an unknown code\'s path, keeping the # and what follows', () => {
    const f = study(T(FM, '@job-title @experience @reasons @benefits {Yes}#benefit/famly.\n'));
    assert.deepEqual(titles(f, 'sw01.transcript'), [
      "unknown-code: Change to '#benefit/family' (preferred)",
      "unknown-code: Add code 'benefit/famly' to the codebook",
    ]);
    assert.match(applied(f, 'sw01.transcript', "Change to '#benefit/family'"), /\{Yes\}#benefit\/family\.\n$/);
  });

  it('replace a marker that names a section by one of the section\'s questions', () => {
    const f = study(T(FM, '@job-title @experience @the-meeting @benefits\n'));
    assert.deepEqual(titles(f, 'sw01.transcript').filter((t) => t.startsWith('section-marker')), [
      "section-marker: Change to '@reasons'",
      "section-marker: Change to '@benefits'",
    ]);
    assert.equal(applied(f, 'sw01.transcript', "Change to '@reasons'").split('\n')[4], '@job-title @experience @reasons @benefits');
  });

  it('replace a code or marker written in the wrong case', () => {
    const f = study(T(FM, '@job-title @experience @Reasons @benefits #Benefit\n'));
    assert.deepEqual(titles(f, 'sw01.transcript'), [
      "unasked-question: Mark question 'reasons' as skipped",
      "case-mismatch: Change to '@reasons' (preferred)",
      "case-mismatch: Change to '#benefit' (preferred)",
    ]);
    assert.match(applied(f, 'sw01.transcript', "Change to '@reasons'"), /@experience @reasons @benefits #Benefit\n$/);
  });

  it('replace an unknown question in a marker and in skipped, an unknown guide and an unknown role', () => {
    const f = study(T('---\nguide: ppp\nrole: sw\nskipped: [oversigt]\n---\n', '@job-title @experience @reason @benefits\n'));
    assert.deepEqual(titles(f, 'sw01.transcript'), [
      "unasked-question: Mark question 'reasons' as skipped",
      "unknown-role: Change to 'swr' (preferred)",
      "unknown-question: Change to 'oversight' (preferred)",
      "unknown-question: Change to '@reasons' (preferred)",
    ]);
    assert.match(applied(f, 'sw01.transcript', "Change to 'oversight'"), /skipped: \[oversight\]/);
    assert.match(applied(f, 'sw01.transcript', "Change to 'swr'"), /role: swr\n/);
    const g = study(T('---\nguide: "pp"\n---\n', ''));
    assert.deepEqual(titles(g, 'sw01.transcript'), ["unknown-guide: Change to 'ppp' (preferred)"]);
    assert.equal(applied(g, 'sw01.transcript', "Change to 'ppp'"), '---\nguide: "ppp"\n---\n');
  });

  it('replace an unknown question reference and an unknown replacement in a codebook', () => {
    const f = study('//- /more.codebook.yaml\ncodes:\n  - id: x\n    label: X\n    questions: [reason]\n    replacedBy: role/la-lawyr\n');
    assert.deepEqual(titles(f, 'more.codebook.yaml'), [
      "unknown-question-ref: Change to 'reasons' (preferred)",
      "unknown-replacement: Change to 'role/la-lawyer' (preferred)",
    ]);
    assert.equal(applied(f, 'more.codebook.yaml', "Change to 'role/la-lawyer'"),
      'codes:\n  - id: x\n    label: X\n    questions: [reason]\n    replacedBy: role/la-lawyer\n');
  });

  it('are all left out when the text no longer says what the diagnostic saw', () => {
    const f = study(T(FM, '@job-title @experience @reasons @benefits #benefit/famly\n'));
    const diagnostics = diagnose(f.study, 'sw01.transcript');
    const edited = f.texts.get('sw01.transcript')!.replace('#benefit/famly', '#benefit/fam  ');
    const actions = getCodeActions(f.study, 'sw01.transcript', edited, WHOLE, diagnostics);
    assert.deepEqual(actions.map((a) => a.title), []);
  });

  it('point at the diagnostic they fix', () => {
    const f = study(T(FM, '@job-title @experience @reasons @benefits #lawyer-role #benfit\n'));
    const { actions, diagnostics } = actionsFor(f, 'sw01.transcript');
    assert.deepEqual(actions.map((a) => [a.title, diagnostics[a.diagnostic!].message]), [
      ["Replace deprecated code with '#role/la-lawyer'", "The code '#lawyer-role' is deprecated: use '#role/la-lawyer' instead."],
      ["Change to '#benefit'", "The code '#benfit' is not in any codebook. Did you mean `#benefit`?"],
      ["Add code 'benfit' to the codebook", "The code '#benfit' is not in any codebook. Did you mean `#benefit`?"],
    ]);
  });
});

describe('replacing a deprecated code', () => {
  it('writes the replacement\'s path in place of the old one', () => {
    const f = study(T(FM, '@job-title @experience @reasons @benefits\n{A lawyer came}#lawyer-role #aim\n'));
    assert.deepEqual(titles(f, 'sw01.transcript'), ["deprecated-code: Replace deprecated code with '#role/la-lawyer' (preferred)"]);
    assert.match(applied(f, 'sw01.transcript', "Replace deprecated code with '#role/la-lawyer'"), /\{A lawyer came\}#role\/la-lawyer #aim\n$/);
  });
});

describe('adding an unknown code to the codebook', () => {
  const add = (path: string, files = ''): string => {
    const f = study(`${files}${T(FM, `@job-title @experience @reasons @benefits #${path}\n`)}`);
    const title = titles(f, 'sw01.transcript').find((t) => t.includes('Add code'))!.replace(/^unknown-code: /, '');
    return applied(f, 'sw01.transcript', title, f.texts.has('more.codebook.yaml') && !title.includes('themes') ? 'more.codebook.yaml' : 'themes.codebook.yaml');
  };

  it('puts a child code after its parent\'s last child, labelled from its last segment', () => {
    contains(add('benefit/support-person'), [
      '      - id: child',
      '        label: Benefits for the child',
      '      - id: support-person',
      '        label: Support person',
      '  - id: aim',
    ]);
  });

  it('gives a parent without children a children list', () => {
    contains(add('aim/warning/last_chance'), [
      '      - id: warning',
      '        label: A warning',
      '        children:',
      '          - id: last_chance',
      '            label: Last chance',
      '  - id: role',
    ]);
  });

  it('creates the missing codes between the nearest defined ancestor and the new code', () => {
    contains(add('role/court/judge'), [
      '        label: The local-authority lawyer',
      '      - id: court',
      '        label: Court',
      '        children:',
      '          - id: judge',
      '            label: Judge',
      '  - id: lawyer-role',
    ]);
  });

  it('adds a top-level code at the end of the first codebook', () => {
    // The fixture's codebook has no final line break; the new entry keeps it that way.
    assert.ok(add('timing').endsWith(['    replacedBy: role/la-lawyer', '  - id: timing', '    label: Timing'].join('\n')));
  });

  it('uses the codebook that defines the parent, and names the file when there are several', () => {
    const f = study(`//- /more.codebook.yaml\ncodes:\n- id: extra\n  label: Extra\n  children:\n  - id: one\n    label: One\n${T(FM, '@job-title @experience @reasons @benefits #extra/two #extra/one/sub #new\n')}`);
    assert.deepEqual(titles(f, 'sw01.transcript').filter((t) => t.includes('Add')), [
      "unknown-code: Add code 'extra/two' to the codebook (more.codebook.yaml)",
      "unknown-code: Add code 'extra/one/sub' to the codebook (more.codebook.yaml)",
      "unknown-code: Add code 'new' to the codebook (more.codebook.yaml)",
    ]);
    // This file puts a list's `-` right below its key; new entries do the same.
    assert.equal(applied(f, 'sw01.transcript', "Add code 'extra/two' to the codebook (more.codebook.yaml)", 'more.codebook.yaml'),
      'codes:\n- id: extra\n  label: Extra\n  children:\n  - id: one\n    label: One\n  - id: two\n    label: Two');
    assert.equal(applied(f, 'sw01.transcript', "Add code 'extra/one/sub' to the codebook (more.codebook.yaml)", 'more.codebook.yaml'),
      'codes:\n- id: extra\n  label: Extra\n  children:\n  - id: one\n    label: One\n    children:\n    - id: sub\n      label: Sub');
    // "The first codebook by path": more.codebook.yaml sorts before themes.codebook.yaml.
    assert.equal(applied(f, 'sw01.transcript', "Add code 'new' to the codebook (more.codebook.yaml)", 'more.codebook.yaml'),
      'codes:\n- id: extra\n  label: Extra\n  children:\n  - id: one\n    label: One\n- id: new\n  label: New');
  });

  it('keeps CRLF line endings and a file without a final line break valid', () => {
    const f = fixture(`//- /c.codebook.yaml\ncodes:\r\n  - id: a\r\n    label: A\n//- /t.transcript\n#a/b #c\n`);
    const addB = getCodeActions(f.study, 't.transcript', f.texts.get('t.transcript')!, WHOLE, diagnose(f.study, 't.transcript'));
    const text = (title: string): string => applyWorkspaceEdit(f.texts, addB.find((a) => a.title === title)!.edit).get('c.codebook.yaml')!;
    assert.equal(text("Add code 'a/b' to the codebook"), 'codes:\r\n  - id: a\r\n    label: A\r\n    children:\r\n      - id: b\r\n        label: B');
    assert.equal(text("Add code 'c' to the codebook"), 'codes:\r\n  - id: a\r\n    label: A\r\n  - id: c\r\n    label: C');
  });

  it('writes into an empty codebook file, and offers nothing when there is no codebook', () => {
    const f = fixture('//- /c.codebook.yaml\n//- /t.transcript\n#new-code\n');
    const actions = getCodeActions(f.study, 't.transcript', f.texts.get('t.transcript')!, WHOLE, diagnose(f.study, 't.transcript'));
    assert.equal(applyWorkspaceEdit(f.texts, actions[0].edit).get('c.codebook.yaml'), 'codes:\n  - id: new-code\n    label: New code\n');
    const g = fixture('//- /t.transcript\n#new-code\n');
    assert.deepEqual(getCodeActions(g.study, 't.transcript', g.texts.get('t.transcript')!, WHOLE, diagnose(g.study, 't.transcript')), []);
  });
});

describe('marking a question as skipped', () => {
  const skip = (front: string, body = '@job-title @reasons @benefits\n'): string =>
    applied(study(T(front, body)), 'sw01.transcript', "Mark question 'experience' as skipped");

  it('offers one action per unasked question', () => {
    const f = study(T(FM, '@job-title @reasons\n'));
    assert.deepEqual(titles(f, 'sw01.transcript'), [
      "unasked-question: Mark question 'experience' as skipped",
      "unasked-question: Mark question 'benefits' as skipped",
    ]);
  });

  it('adds a map entry with a placeholder reason to a skipped map', () => {
    assert.equal(skip('---\nguide: ppp\nrole: swr\nskipped:\n  oversight: not a manager\n---\n'),
      '---\nguide: ppp\nrole: swr\nskipped:\n  oversight: not a manager\n  experience: reason not recorded\n---\n@job-title @reasons @benefits\n');
  });

  it('adds the entry after a reason that runs over several lines', () => {
    assert.equal(skip('---\nguide: ppp\nskipped:\n    "oversight": >-\n      not a\n      manager\nrole: swr\n---\n'),
      '---\nguide: ppp\nskipped:\n    "oversight": >-\n      not a\n      manager\n    experience: reason not recorded\nrole: swr\n---\n@job-title @reasons @benefits\n');
  });

  it('adds an ID to a skipped list, block or flow, empty or not', () => {
    assert.equal(skip('---\nguide: ppp\nrole: swr\nskipped:\n- oversight\n---\n'),
      '---\nguide: ppp\nrole: swr\nskipped:\n- oversight\n- experience\n---\n@job-title @reasons @benefits\n');
    assert.equal(skip('---\nguide: ppp\nrole: swr\nskipped: [ oversight ] # why\n---\n'),
      '---\nguide: ppp\nrole: swr\nskipped: [ oversight , experience] # why\n---\n@job-title @reasons @benefits\n');
    assert.equal(skip('---\nguide: ppp\nrole: swr\nskipped: []\n---\n'),
      '---\nguide: ppp\nrole: swr\nskipped: [experience]\n---\n@job-title @reasons @benefits\n');
    assert.equal(skip('---\nguide: ppp\nrole: swr\nskipped: {oversight: "n/a"}\n---\n'),
      '---\nguide: ppp\nrole: swr\nskipped: {oversight: "n/a", experience: reason not recorded}\n---\n@job-title @reasons @benefits\n');
  });

  it('turns a single skipped ID into a list', () => {
    assert.equal(skip("---\nguide: ppp\nrole: swr\nskipped: 'oversight'\n---\n"),
      "---\nguide: ppp\nrole: swr\nskipped: ['oversight', experience]\n---\n@job-title @reasons @benefits\n");
  });

  it('fills an empty skipped, or adds skipped to the front matter, as a map', () => {
    assert.equal(skip('---\nguide: ppp\nskipped:\nrole: swr\n---\n'),
      '---\nguide: ppp\nskipped:\n  experience: reason not recorded\nrole: swr\n---\n@job-title @reasons @benefits\n');
    assert.equal(skip('---\nguide: ppp\nskipped: ~\nrole: swr\n---\n'),
      '---\nguide: ppp\nskipped:\n  experience: reason not recorded\nrole: swr\n---\n@job-title @reasons @benefits\n');
    assert.equal(skip('---\nguide: ppp\nrole: swr\n---\n'),
      '---\nguide: ppp\nrole: swr\nskipped:\n  experience: reason not recorded\n---\n@job-title @reasons @benefits\n');
  });

  it('creates the front matter when the transcript has none', () => {
    assert.equal(skip('', 'I: @job-title @reasons @benefits\n'),
      '---\nskipped:\n  experience: reason not recorded\n---\nI: @job-title @reasons @benefits\n');
  });

  it('keeps CRLF line endings', () => {
    assert.equal(skip('---\r\nguide: ppp\r\nrole: swr\r\nskipped:\r\n  - oversight\r\n---\r\n', '@job-title @reasons @benefits\r\n'),
      '---\r\nguide: ppp\r\nrole: swr\r\nskipped:\r\n  - oversight\r\n  - experience\r\n---\r\n@job-title @reasons @benefits\r\n');
  });

  it('offers each question of a missing section, and the whole section at once', () => {
    const f = study(T(FM, '@job-title @experience\n'));
    assert.deepEqual(titles(f, 'sw01.transcript'), [
      "missing-section: Mark question 'reasons' as skipped",
      "missing-section: Mark question 'benefits' as skipped",
      "missing-section: Mark every question of section 'the-meeting' as skipped (2 questions)",
    ]);
    assert.equal(applied(f, 'sw01.transcript', "Mark every question of section 'the-meeting' as skipped (2 questions)"),
      '---\nguide: ppp\nrole: swr\nskipped:\n  reasons: reason not recorded\n  benefits: reason not recorded\n---\n@job-title @experience\n');
  });
});

describe('completing the front matter', () => {
  it('offers each of the guide\'s roles when role: is missing, and each guide when guide: is', () => {
    const f = study(T('---\nguide: ppp\n---\n', '@job-title @experience @reasons @benefits\n'));
    assert.deepEqual(titles(f, 'sw01.transcript'), [
      "unknown-role: Add 'role: swr' (Social worker) to the front matter",
      "unknown-role: Add 'role: tm' (Team manager) to the front matter",
    ]);
    assert.equal(applied(f, 'sw01.transcript', "Add 'role: tm' (Team manager) to the front matter"),
      '---\nguide: ppp\nrole: tm\n---\n@job-title @experience @reasons @benefits\n');
    const g = study(`//- /other.guide.yaml\nid: other\ntitle: O\nsections: []\n${T('', '@job-title\n')}`);
    assert.deepEqual(titles(g, 'sw01.transcript'), ["missing-guide: Add 'guide: other' to the front matter", "missing-guide: Add 'guide: ppp' to the front matter"]);
    assert.equal(applied(g, 'sw01.transcript', "Add 'guide: ppp' to the front matter"), '---\nguide: ppp\n---\n@job-title\n');
  });
});

describe('quick fixes on a text the study has not parsed', () => {
  it('work from the text given, even when the stored text has the same length', () => {
    // The stored transcript, and the editor's text of the same length with a `site:` line added.
    const stored = T(FM, '@job-title @reasons @benefits Hello there, my friend.\n');
    const edited = '---\nguide: ppp\nrole: swr\nsite: a\n---\n@job-title @reasons @benefits Hey, my friend.\n';
    const f = study(stored);
    const g = study(`//- /sw01.transcript\n${edited}`);
    assert.equal(edited.length, f.texts.get('sw01.transcript')!.length);
    // The diagnostics are those of the edited text, as a client would send them back.
    const diagnostics = diagnose(g.study, 'sw01.transcript');
    const actions = getCodeActions(f.study, 'sw01.transcript', edited, WHOLE, diagnostics);
    const skip = actions.find((a) => a.title === "Mark question 'experience' as skipped");
    assert.ok(skip, `no action to skip 'experience'; there are: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(applyWorkspaceEdit(new Map([['sw01.transcript', edited]]), skip.edit).get('sw01.transcript'),
      '---\nguide: ppp\nrole: swr\nsite: a\nskipped:\n  experience: reason not recorded\n---\n@job-title @reasons @benefits Hey, my friend.\n');
  });
});
