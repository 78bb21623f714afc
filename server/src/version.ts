/**
 * The product's version, as package.json gives it. esbuild writes it into every bundle
 * (`TRANSCRIPT_CODER_VERSION`); run from the sources (tests), package.json is read instead, so
 * that both say the same.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

declare const TRANSCRIPT_CODER_VERSION: string | undefined;

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export const VERSION: string = typeof TRANSCRIPT_CODER_VERSION === 'string' ? TRANSCRIPT_CODER_VERSION : packageVersion();

/** Who wrote a file, for the `origin` of exported files: the same from the CLI and the language server. */
export const ORIGIN = `Transcript Coder ${VERSION}`;
