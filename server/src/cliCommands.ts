/**
 * Commands of the CLI that live beside the core ones (`export`, `import`),
 * kept apart so that cli.ts stays a small dispatcher.
 */
import type { Command } from './cli';

export const extraCommands: Record<string, Command> = {};
