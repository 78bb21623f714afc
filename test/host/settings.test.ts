/**
 * Settings, read and checked once whatever they come from: nested or dotted, from an editor, its
 * start-up options or a folder's .vscode/settings.json, merged field by field, and each problem
 * said in plain words.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MemoryStudyHost } from '../../server/src/host/memoryHost';
import { NodeStudyHost } from '../../server/src/host/nodeHost';
import { DEFAULT_SETTINGS, mergeSettings, readSettingsFile, settingsFrom, settingsProblems } from '../../server/src/host/settings';
import { removeWrittenStudies, writeStudy } from './helpers';

after(removeWrittenStudies);

const SEVERITY = { 'unknown-code': 'error', 'unasked-question': 'off' } as const;
const EXCLUDE = ['drafts/**'];

describe('settings from any source', () => {
  const forms: [string, unknown][] = [
    ['nested, as an editor\'s configuration of everything', { transcriptCoder: { exclude: EXCLUDE, diagnostics: { severity: SEVERITY } } }],
    ['dotted, as VS Code writes settings.json', { 'transcriptCoder.exclude': EXCLUDE, 'transcriptCoder.diagnostics.severity': SEVERITY }],
    ['the transcriptCoder section alone, as workspace/configuration answers', { exclude: EXCLUDE, diagnostics: { severity: SEVERITY } }],
    ['the section with a dotted key inside', { exclude: EXCLUDE, 'diagnostics.severity': SEVERITY }],
    ['dotted and nested mixed', { 'transcriptCoder.exclude': EXCLUDE, transcriptCoder: { diagnostics: { severity: SEVERITY } } }],
  ];
  for (const [what, value] of forms) {
    it(`reads both settings ${what}`, () => {
      assert.deepEqual(settingsFrom(value), { severity: SEVERITY, exclude: EXCLUDE });
      assert.deepEqual(settingsProblems(value, 'here'), []);
    });
  }

  it('sets nothing from nothing, and leaves out what cannot be used', () => {
    for (const v of [undefined, null, 'text', 3, [], {}]) assert.deepEqual(settingsFrom(v), {});
    assert.deepEqual(settingsFrom({ 'transcriptCoder.exclude': 'drafts', 'transcriptCoder.diagnostics.severity': ['error'] }), {});
    assert.deepEqual(settingsFrom({ 'transcriptCoder.exclude': ['a/**', 3, 'b'] }), { exclude: ['a/**', 'b'] });
  });

  it('merges sources field by field, the first that sets a field winning', () => {
    const fromEditor = { severity: { 'empty-span': 'off' as const } };
    const fromStartUp = { exclude: ['old/**'], severity: { 'unknown-code': 'hint' as const } };
    const fromFolder = { exclude: ['drafts/**'] };
    assert.deepEqual(mergeSettings(fromEditor, fromStartUp, fromFolder), { severity: { 'empty-span': 'off' }, exclude: ['old/**'] });
    assert.deepEqual(mergeSettings(fromEditor, fromFolder), { severity: { 'empty-span': 'off' }, exclude: ['drafts/**'] });
    assert.deepEqual(mergeSettings({}, {}), DEFAULT_SETTINGS);
  });

  it('reads the interviewer\'s speaker labels, nested or dotted, and says when they are not a list of labels', () => {
    assert.deepEqual(settingsFrom({ 'transcriptCoder.interviewerLabels': ['PO', 3, 'Int'] }), { interviewerLabels: ['PO', 'Int'] });
    assert.deepEqual(settingsFrom({ transcriptCoder: { interviewerLabels: ['PO'] } }), { interviewerLabels: ['PO'] });
    assert.deepEqual(mergeSettings({}, { interviewerLabels: ['PO'] }, { interviewerLabels: ['AB'] }), { ...DEFAULT_SETTINGS, interviewerLabels: ['PO'] });
    assert.deepEqual(settingsProblems({ 'transcriptCoder.interviewerLabels': 'PO' }, '.vscode/settings.json'), [
      'transcriptCoder.interviewerLabels in .vscode/settings.json must be a list of speaker labels, such as ["PO", "Int"]',
    ]);
  });

  it('lets settings given to a host win, field by field, over the folder\'s own', () => {
    const file = JSON.stringify({ 'transcriptCoder.exclude': ['drafts/**'], 'transcriptCoder.diagnostics.severity': { 'unknown-code': 'error' } });
    const given = { severity: { 'unknown-code': 'hint' as const } };
    const expected = { severity: { 'unknown-code': 'hint' }, exclude: ['drafts/**'] };
    assert.deepEqual(new NodeStudyHost(writeStudy({ '.vscode/settings.json': file }), given).settings(), expected);
    assert.deepEqual(new MemoryStudyHost({ '.vscode/settings.json': file }, given).settings(), expected);
  });
});

describe('settings problems in plain words', () => {
  it('names each setting that cannot be used, where it was read and what to write instead', () => {
    const value = {
      'transcriptCoder.diagnostics.severity': { 'unknown-code': 'loud', 'no-such-code': 'off', 'empty-span': 'hint' },
      'transcriptCoder.exclude': 'drafts',
    };
    assert.deepEqual(settingsProblems(value, '.vscode/settings.json'), [
      'transcriptCoder.diagnostics.severity in .vscode/settings.json sets \'unknown-code\' to "loud"; use error, warning, information, hint or off',
      'transcriptCoder.diagnostics.severity in .vscode/settings.json names \'no-such-code\', which is no problem code (see check\'s output for the codes)',
      'transcriptCoder.exclude in .vscode/settings.json must be a list of patterns, such as ["drafts/**"]',
    ]);
    assert.deepEqual(settingsProblems({ transcriptCoder: { diagnostics: { severity: 'error' } } }, 'the editor\'s settings'), [
      'transcriptCoder.diagnostics.severity in the editor\'s settings must map problem codes to a severity, such as { "unasked-question": "information" }',
    ]);
  });

  it('says on which line a settings file stops being JSON, and still reads what comes before', () => {
    const text = '{\n  "transcriptCoder.exclude": ["drafts/**"],\n  "editor.fontSize": 14 14\n}\n';
    const file = readSettingsFile(text);
    assert.deepEqual(file.problems, ['.vscode/settings.json is not valid JSON (line 3), so some of its settings may not be read']);
    assert.deepEqual(file.settings, { exclude: ['drafts/**'] });
  });

  it('takes comments, trailing commas and a byte-order mark as VS Code does', () => {
    const file = readSettingsFile('\ufeff{\n  // mine\n  "transcriptCoder.exclude": ["a/**",],\n}\n');
    assert.deepEqual(file, { settings: { exclude: ['a/**'] }, problems: [] });
  });

  it('are the same from a folder on disk and from memory', () => {
    const text = '{ "transcriptCoder.exclude": [1], "transcriptCoder.diagnostics.severity": { "schema": "never" } }';
    const disk = new NodeStudyHost(writeStudy({ '.vscode/settings.json': text })).settingsProblems();
    assert.equal(disk.length, 2);
    assert.deepEqual(new MemoryStudyHost({ '.vscode/settings.json': text }).settingsProblems(), disk);
  });
});
