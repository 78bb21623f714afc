// The core must stay editor- and IO-agnostic: it is shared by the language server,
// the CLI and the tests, and every file it reads comes through the workspace layer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test/.generated/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', 'fs', 'node:fs', 'path', 'node:path', 'fs/promises', 'node:fs/promises'].map((name) => ({
          name, message: 'The core is pure: IO and editor APIs belong to the server, CLI or client layers.',
        })),
        patterns: [{ group: ['vscode-languageserver*', 'vscode-languageclient*'], message: 'The core does not know about LSP.' }],
      }],
    },
  },
  {
    // The extension asks the language server for everything it shows or writes, through the typed
    // protocol; code of the server bundled into the client would read the study a second time, could
    // disagree with the server, and would carry its parsers (YAML, zip, XML) into the extension.
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['yaml', 'fflate', 'fast-xml-parser'].map((name) => ({
          name, message: 'The extension parses no study file: ask the language server through server/src/protocol.ts.',
        })),
        patterns: [{
          regex: '(^|/)server/src/(?!protocol(\\.[jt]s)?$)',
          message: 'The extension imports only server/src/protocol.ts from the server: add a request or command to the protocol and ask the language server, so the editor shows what the server reads and the client stays small.',
        }],
      }],
    },
  },
);
