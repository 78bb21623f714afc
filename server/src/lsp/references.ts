/**
 * Find references over LSP. The answers on codes are the largest the server gives (thousands of
 * locations on a study's most used codes), so they are built straight from the core's groups by
 * document (one client URI per document, no intermediate list), in slices that a cancellation
 * stops, and the last few are kept per study snapshot: asking again about the same code in an
 * unchanged study costs only the sending.
 */
import type { CancellationToken, Location as LspLocation } from 'vscode-languageserver/node';
import { referenceGroups } from '../core/features/navigation';
import type { Study } from '../core/study';
import type { Position } from '../core/text';
import type { OutUri } from './convert';
import { Slices, throwIfCancelled } from './scheduler';

/** Locations kept per study snapshot at most (about 100 bytes of memory each). */
const KEPT_LOCATIONS = 100_000;

export class ReferenceAnswers {
  /**
   * Answers on codes by study snapshot: a snapshot never changes, and one replaced by an edit is
   * dropped with its answers. The client URIs in them cannot go stale either: a document opened or
   * closed under another URI always makes a new snapshot.
   */
  private readonly kept = new WeakMap<Study, { locations: number; answers: Map<string, LspLocation[]> }>();

  async find(study: Study, key: string, position: Position, includeDeclaration: boolean, out: OutUri, token: CancellationToken): Promise<LspLocation[]> {
    const answer = referenceGroups(study, key, position, includeDeclaration);
    if (!answer) return [];
    const kept = answer.key !== undefined ? this.kept.get(study)?.answers.get(answer.key) : undefined;
    if (kept) {
      throwIfCancelled(token);
      return kept;
    }
    const slices = new Slices(token);
    // Other messages, a cancellation among them, are read before any work is done.
    await slices.pause();
    const locations: LspLocation[] = [];
    for (const { doc, ranges } of answer.groups) {
      const uri = out(doc.uri);
      for (const range of ranges) locations.push({ uri, range });
      if (slices.due()) await slices.pause();
    }
    if (answer.key !== undefined) this.keep(study, answer.key, locations);
    return locations;
  }

  private keep(study: Study, key: string, locations: LspLocation[]): void {
    if (locations.length > KEPT_LOCATIONS) return;
    let entry = this.kept.get(study);
    if (!entry) {
      entry = { locations: 0, answers: new Map() };
      this.kept.set(study, entry);
    }
    // The oldest answers make room (a Map iterates in insertion order).
    for (const [k, v] of entry.answers) {
      if (entry.locations + locations.length <= KEPT_LOCATIONS) break;
      entry.answers.delete(k);
      entry.locations -= v.length;
    }
    entry.answers.set(key, locations);
    entry.locations += locations.length;
  }
}
