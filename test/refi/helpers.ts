/**
 * Shared by the REFI-QDA tests: loading a study folder as the CLI does,
 * validating XML against the REFI-QDA schemas with libxml2 (xmllint-wasm),
 * reading a project back with a real XML parser, and running the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import type { Study } from '../../server/src/core/study';
import { loadStudy } from '../../server/src/host/loadStudy';
import { NodeStudyHost } from '../../server/src/host/nodeHost';

export const repo = path.resolve(__dirname, '../..');
export const fixtures = path.join(repo, 'test', 'fixtures', 'refi');
export const exampleStudy = path.join(repo, 'examples', 'ppp-study');
export const cli = path.join(repo, 'dist', 'cli.js');

/** The schemas: the copy in the repository, else the shared copy beside it. */
export const schemaFolder = [path.join(repo, 'test', 'fixtures', 'refi-qda'), path.resolve(__dirname, '../../../shared/refi-qda')]
  .find((dir) => existsSync(path.join(dir, 'Project.xsd')))!;

export interface LoadedFolder {
  study: Study;
  texts: Map<string, string>;
}

export function loadFolder(folder: string): LoadedFolder {
  const { study, texts } = loadStudy(new NodeStudyHost(folder));
  return { study, texts };
}

/** libxml2's verdict on `xml` against one of the REFI-QDA schemas: [] when valid, else its messages. */
export async function schemaErrors(xml: string, schema: 'Project.xsd' | 'Codebook.xsd'): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: schema === 'Project.xsd' ? 'project.qde' : 'codebook.qdc', contents: xml }],
    schema: [{ fileName: schema, contents: readFileSync(path.join(schemaFolder, schema), 'utf8') }],
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

export type Node = Record<string, unknown>;

/** Parses XML into plain objects; repeated REFI elements always come as arrays. */
export function parseXml(xml: string): Node {
  const repeated = new Set(['Code', 'TextSource', 'PlainTextSelection', 'Coding', 'NoteRef', 'Note', 'Case', 'Variable', 'VariableValue', 'SourceRef', 'User']);
  return new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false,
    trimValues: false, isArray: (tag) => repeated.has(tag),
  }).parse(xml) as Node;
}

export const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v as Node[] : v === undefined ? [] : [v as Node]);
export const at = (n: Node, name: string): string => String(n[`@${name}`]);

/** Every code of a parsed CodeBook as path → code, the path made of `name`s. */
export function codesByPath(codebook: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const walk = (list: Node[], prefix: string): void => {
    for (const c of list) {
      const p = prefix + at(c, 'name');
      out.set(p, c);
      walk(nodes(c.Code), `${p}/`);
    }
  };
  walk(nodes((codebook.Codes as Node).Code), '');
  return out;
}

/** The text of an element that holds text only (`<Description>…</Description>`). */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Node)['#text'] === 'string') return (v as Node)['#text'] as string;
  return '';
}

/** Slices a string by code points, as REFI-QDA positions count. */
export function sliceCodePoints(s: string, start: number, end: number): string {
  return Array.from(s).slice(start, end).join('');
}

/** The text normalisation excerpts get (SPEC §4.2): lines trimmed, spaces folded, blank lines dropped. */
export function asExcerpt(s: string): string {
  return s.split(/\r\n|\r|\n/).map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim()).filter((l) => l !== '').join('\n');
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds it first). */
export function run(args: string[], cwd = repo): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
