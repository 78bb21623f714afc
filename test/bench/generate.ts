/**
 * Writes a synthetic study for the benchmark: the example guide and codebook, and
 * N transcripts of about 60 KB coded at a realistic density (a question marker every
 * ~2 KB, a code every ~400 characters, a third of them on spans). Deterministic: the
 * same seed and N give the same bytes, and the first K transcripts of a larger study
 * are those of the smaller one, so sizes can be compared file for file.
 *
 *   node --import tsx test/bench/generate.ts --n 1000 --out bench-study/n1000
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';

/** Bump when the output changes, so that cached studies are rebuilt. */
export const GENERATOR_VERSION = 3;
export const DEFAULT_SEED = 20110512;
/** The code made common enough to rename (used about ten times per transcript). */
export const COMMON_CODE = 'engagement/non-engagement';
/** The transcript of ~200 KB that the didChange measurement edits. */
export const LONG_TRANSCRIPT = 'transcripts/long-interview.transcript';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'ppp-study');

// ---------------------------------------------------------------- PRNG

/** mulberry32: small, fast and good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

/** One stream per transcript, so transcript i does not depend on how many came before. */
function fileSeed(seed: number, i: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (i + 1), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------- guide and codebook

interface Question {
  id: string;
  text: string;
  roles: string[];
  optional: boolean;
}

interface Code {
  path: string;
  questions: string[];
  deprecated: boolean;
}

interface RawQuestion { id: string; text?: string; roles?: string[]; optional?: boolean; followups?: RawQuestion[] }
interface RawSection { id: string; roles?: string[]; questions: RawQuestion[] }
interface RawCode { id: string; questions?: string[]; deprecated?: boolean; children?: RawCode[] }

function readGuide(text: string): Question[] {
  const doc = parseYaml(text) as { sections: RawSection[] };
  const out: Question[] = [];
  const walk = (q: RawQuestion, sectionRoles: string[], followup: boolean): void => {
    out.push({ id: q.id, text: (q.text ?? '').replace(/\s+/g, ' '), roles: q.roles ?? sectionRoles, optional: q.optional ?? followup });
    for (const f of q.followups ?? []) walk(f, sectionRoles, true);
  };
  for (const s of doc.sections) for (const q of s.questions) walk(q, s.roles ?? [], false);
  return out;
}

function readCodebook(text: string): Code[] {
  const doc = parseYaml(text) as { codes: RawCode[] };
  const out: Code[] = [];
  const walk = (c: RawCode, parent: string | null, inherited: string[]): void => {
    const p = parent === null ? c.id : `${parent}/${c.id}`;
    const questions = c.questions?.length ? c.questions : inherited;
    out.push({ path: p, questions, deprecated: c.deprecated ?? false });
    for (const k of c.children ?? []) walk(k, p, questions);
  };
  for (const c of doc.codes) walk(c, null, []);
  return out;
}

// ---------------------------------------------------------------- text material

const NAMES = ['Zoë', 'Siân', 'Łukasz', 'Niamh', 'Søren', 'José', 'Aoife', 'Chloé', 'Gareth', 'Amber', 'Kai', 'Dafydd', 'Małgorzata', 'Renée'];
const SITES = [
  { slug: 'borough-a', name: 'Borough A' },
  { slug: 'northshire', name: 'Northshire' },
  { slug: 'borough-b', name: 'Borough B' },
  { slug: 'ynys-mon', name: 'Ynys Môn' },
  { slug: 'eastvale', name: 'Eastvale' },
];
const INTERVIEWERS = ['RB', 'JM', 'KH', 'ÅL'];

const ANSWERS = [
  'Mum kept missing appointments, and the health visitor had been saying for months that the baby was not gaining weight.',
  'We took it to the legal gateway meeting, which is where the decision gets made here, and the lawyer agreed we were close to threshold.',
  'I drafted the letter from the template and legal amended it – they took out quite a lot of my wording and made it more formal.',
  'Honestly? I hoped she would see that we meant it this time, that it was not another core group where she could nod and agree.',
  'The solicitor picked holes in every line of the letter, which was fair enough, some of it was written in a hurry.',
  'Her nan spoke up for the children, which was quite moving, and I think mum heard it from her in a way she never heard it from me.',
  'It was nine pages long. Half my families would struggle to read a one-page letter, never mind that.',
  'The chair was my team manager, which is usual here, although in the other borough it is the service manager.',
  'We met half an hour before and agreed she would do the introduction and explain the legal position.',
  'Dad was around but not living there; he was on and off, and there was some history of domestic abuse between them.',
  'So a long time on plans, and the core group was going round in circles, every six weeks the same actions.',
  'It takes the weight off you a bit, it is not just you saying it, the lawyer is there saying the same thing.',
  'It gave mum a real wake-up call. She said afterwards she had not realised how close it was.',
  'To be honest we were always going to issue, it was ticking the box before we went to court.',
  'The child is not really in the room, is the honest answer. We talk about her, but nobody is there for her.',
  'There is a twelve-week wait for the drug service, so the plan was set up to fail from the start.',
  'It can feel like a formality. Sometimes the decision is already made, and parents pick up on that straight away.',
  'We had to rearrange once, because her solicitor could not make it, so in the end it was nearer four weeks.',
  'I had some sympathy with the health visitor, to be honest, she had been worried for a long time.',
  'Agency staff come and go, and every new worker means the family tells their story again from the beginning.',
  'The family group conference was supposed to come before the letter, but in this case it came after.',
  'She sends me a text now and then, with a 😀 at the end, just to say the children are doing well.',
  'The paperwork is the worst part of it all: minutes, the letter, the authorisation form, the gateway form, the plan.',
  'He did a lot of the talking, and in hindsight I am not sure having them in the same meeting was right.',
  'They can negotiate contact, or timescales, but not the main thing. The bottom line is the bottom line.',
  'Shorter letters, in plain English, with an easy-read version for parents with learning disabilities.',
  'It got us to the same outcome we would have got in court, without a year of proceedings.',
  'Mum agreed to the children staying with the auntie, and to a family group conference to plan contact.',
  'I think mum felt ganged up on. Seven people in a small room, and only one of them on her side.',
  'The lawyer explained things really simply, and then set out the alternative to proceedings.',
];
const FILLERS = [
  'Yeah.', 'I mean –', 'You know.', 'Mm.', 'Right.', '[laughs]', '[inaudible]', '[pause]', 'Sort of.',
  'That kind of thing.', 'If that makes sense.', '[crosstalk]',
];
const PROBES = [
  'Can you say more about that?', 'How did that feel at the time?', 'Was that usual?', 'And what happened next?',
  'Who decided that?', 'Mm. Go on.', 'Why do you think that was?', 'Was that the same in other cases?',
];
const MEMOS = [
  'Compare with the Northshire interviews on who writes the letter.',
  'Same aim as "a last chance" – check against the team managers.',
  'Possible new code: informal pre-meetings before the PPM.',
  'Tone changes here; the interviewee sounds uneasy about the lawyer’s role.',
];

// ---------------------------------------------------------------- one transcript

export interface TranscriptStats {
  bytes: number;
  markers: number;
  codes: number;
  spanCodes: number;
  codeUses: Map<string, number>;
}

interface Deliberate {
  unknownCode: boolean;
  caseMismatch: boolean;
  unknownQuestion: boolean;
  unclosedSpan: boolean;
}

/** Which deliberate errors transcript `i` carries: a handful per thousand. */
function deliberate(i: number): Deliberate {
  return {
    unknownCode: i % 200 === 7,
    caseMismatch: i % 400 === 42,
    unknownQuestion: i % 250 === 11,
    unclosedSpan: i % 333 === 5,
  };
}

class TranscriptWriter {
  private readonly out: string[] = [];
  private size = 0;
  private sinceCode = 0;
  readonly stats: TranscriptStats = { bytes: 0, markers: 0, codes: 0, spanCodes: 0, codeUses: new Map() };
  private pendingError: Deliberate;

  constructor(private readonly rng: Rng, private readonly codes: Code[], errors: Deliberate) {
    this.pendingError = { ...errors };
  }

  get length(): number {
    return this.size;
  }

  write(s: string): void {
    this.out.push(s);
    this.size += s.length;
  }

  text(): string {
    return this.out.join('');
  }

  private use(p: string, span: boolean): string {
    this.stats.codes++;
    if (span) this.stats.spanCodes++;
    this.stats.codeUses.set(p, (this.stats.codeUses.get(p) ?? 0) + 1);
    return `#${p}`;
  }

  /** A code for an answer to `question`: its linked codes most often, the common code about one time in fifteen. */
  private codeFor(question: string): string {
    const r = this.rng.float();
    if (r < 0.07) return COMMON_CODE;
    if (this.pendingError.unknownCode && r < 0.1) { this.pendingError.unknownCode = false; return 'benefit/famly'; }
    if (this.pendingError.caseMismatch && r < 0.1) { this.pendingError.caseMismatch = false; return 'Benefit/family'; }
    if (r < 0.6) {
      const linked = this.codes.filter((c) => c.questions.includes(question));
      if (linked.length) return this.rng.pick(linked).path;
    }
    return this.rng.pick(this.codes).path;
  }

  private sentence(): string {
    let s = this.rng.pick(ANSWERS);
    if (this.rng.chance(0.08)) s = s.replace(/\b(mum|she|her nan|the lawyer)\b/, this.rng.pick(NAMES));
    if (this.rng.chance(0.15)) s = `${this.rng.pick(FILLERS)} ${s}`;
    return s;
  }

  /** A span-coded stretch: sometimes two codes, sometimes nested, sometimes across a line break. */
  private span(question: string): string {
    const shape = this.rng.float();
    if (shape < 0.12) {
      const inner = `{${this.sentence()}}${this.use(this.codeFor(question), true)}`;
      return `{${this.sentence()} ${inner} ${this.sentence()}}${this.use(this.codeFor(question), true)}`;
    }
    const body = shape < 0.27 ? `${this.sentence()}\n${this.sentence()}` : this.sentence();
    let codes = this.use(this.codeFor(question), true);
    if (this.rng.chance(0.2)) codes += ` ${this.use(this.codeFor(question), true)}`;
    return `{${body}}${codes}`;
  }

  /** A respondent's turn of about `target` characters, with a code every ~400. */
  respondentTurn(question: string, target: number): void {
    const parts: string[] = ['R: '];
    let len = 3;
    const paragraphCodes: string[] = [];
    while (len < target) {
      let piece: string;
      if (this.sinceCode >= 260 && this.rng.chance(0.6)) {
        // A third of the codes are on spans, the rest code the paragraph.
        if (this.rng.chance(1 / 3)) {
          if (this.pendingError.unclosedSpan && this.rng.chance(0.5)) {
            this.pendingError.unclosedSpan = false;
            piece = `{${this.sentence()}`;
          } else piece = this.span(question);
        } else if (this.rng.chance(0.5)) {
          piece = `${this.sentence()} ${this.use(this.codeFor(question), false)}`;
        } else {
          paragraphCodes.push(this.use(this.codeFor(question), false));
          piece = this.sentence();
        }
        this.sinceCode = 0;
      } else {
        piece = this.sentence();
        if (this.rng.chance(0.03)) piece += ` [${this.timestamp()}]`;
      }
      parts.push(piece, this.rng.chance(0.06) ? '\n' : ' ');
      len += piece.length + 1;
      this.sinceCode += piece.length + 1;
    }
    let turn = parts.join('').trimEnd();
    // Paragraph codes sometimes stand on a line of their own below the paragraph.
    if (paragraphCodes.length) turn += (this.rng.chance(0.5) ? '\n' : ' ') + paragraphCodes.join(' ');
    this.write(`${turn}\n`);
    if (this.rng.chance(0.08)) {
      const memo = this.rng.pick(MEMOS);
      this.write(this.rng.chance(0.3) ? `%% ${memo}\nSee also the site notes. %%\n` : `%% ${memo} %%\n`);
    }
    this.write('\n');
  }

  timestamp(): string {
    const s = this.rng.int(0, 5400);
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
  }

  marker(q: Question): void {
    this.stats.markers++;
    let id = q.id;
    if (this.pendingError.unknownQuestion) { this.pendingError.unknownQuestion = false; id = `${q.id}-x`; }
    const text = q.text.length > 160 ? `${q.text.slice(0, 157)}…` : q.text;
    this.write(`I: @${id} ${text || 'Can you tell me about that?'}\n`);
  }

  probe(): void {
    this.write(`I: ${this.rng.pick(PROBES)}\n`);
  }
}

/** The text of transcript `i`, about `target` characters long. */
export function transcriptText(i: number, seed: number, target: number, guide: Question[], codes: Code[], everyQuestion = false): { text: string; stats: TranscriptStats } {
  const rng = new Rng(fileSeed(seed, i));
  const role = rng.chance(0.3) ? 'tm' : 'swr';
  const site = SITES[i % SITES.length];
  const errors = deliberate(i);
  const w = new TranscriptWriter(rng, codes.filter((c) => !c.deprecated), errors);

  // Walk the guide in order, skipping some questions, with about one marker per 2 KB.
  const eligible = guide.filter((q) => q.roles.length === 0 || q.roles.includes(role) || rng.chance(0.05));
  const wanted = Math.max(1, Math.round(target / 2000));
  const keep = everyQuestion ? 1 : Math.min(1, wanted / eligible.length);
  const asked = eligible.filter((q) => rng.chance(q.optional ? keep * 0.8 : Math.min(1, keep * 1.1)));
  const notAsked = guide.filter((q) => !q.optional && !asked.includes(q) && (q.roles.length === 0 || q.roles.includes(role)));

  w.write('---\n');
  w.write('guide: ppp-general\n');
  w.write(`participant: ${role.toUpperCase()}${String(i + 1).padStart(4, '0')}\n`);
  w.write(`role: ${role}\n`);
  w.write(`date: 20${10 + (i % 3)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}\n`);
  w.write(`site: ${site.name}\n`);
  w.write(`interviewer: ${rng.pick(INTERVIEWERS)}\n`);
  w.write(`pseudonym: ${rng.pick(NAMES)}\n`);
  w.write(`years-qualified: ${rng.int(1, 30)}\n`);
  if (notAsked.length && rng.chance(0.4)) {
    const skipped = notAsked.slice(0, rng.int(1, Math.min(3, notAsked.length)));
    w.write('skipped:\n');
    for (const q of skipped) w.write(`  ${q.id}: ran out of time\n`);
  }
  w.write('---\n\n');
  w.write(`[${w.timestamp()}]\n`);

  const perQuestion = Math.max(400, (target - w.length) / Math.max(1, asked.length));
  for (const q of asked) {
    if (w.length >= target) break;
    w.marker(q);
    const start = w.length;
    while (w.length - start < perQuestion - 200) {
      w.respondentTurn(q.id, Math.min(1400, perQuestion - (w.length - start)) * (0.6 + 0.6 * rng.float()));
      if (w.length - start < perQuestion - 300 && rng.chance(0.5)) w.probe();
    }
  }
  const text = w.text();
  w.stats.bytes = Buffer.byteLength(text);
  return { text, stats: w.stats };
}

// ---------------------------------------------------------------- a study

export interface StudySummary {
  version: number;
  seed: number;
  transcripts: number;
  files: number;
  bytes: number;
  markers: number;
  codes: number;
  spanCodes: number;
  commonCode: string;
  commonCodeUses: number;
  longTranscript: string;
  longTranscriptBytes: number;
}

/** Writes the study to `out` (emptied first) and returns what it holds. */
export function generateStudy(out: string, n: number, seed = DEFAULT_SEED, transcriptBytes = 60_000, longBytes = 200_000): StudySummary {
  const guideText = readFileSync(path.join(EXAMPLE, 'ppp-general.guide.yaml'), 'utf8');
  const codebookText = readFileSync(path.join(EXAMPLE, 'themes.codebook.yaml'), 'utf8');
  const guide = readGuide(guideText);
  const codes = readCodebook(codebookText);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'ppp-general.guide.yaml'), guideText);
  writeFileSync(path.join(out, 'themes.codebook.yaml'), codebookText);
  const summary: StudySummary = {
    version: GENERATOR_VERSION, seed, transcripts: n, files: 2 + n, bytes: Buffer.byteLength(guideText) + Buffer.byteLength(codebookText),
    markers: 0, codes: 0, spanCodes: 0, commonCode: COMMON_CODE, commonCodeUses: 0, longTranscript: LONG_TRANSCRIPT, longTranscriptBytes: 0,
  };
  const made = new Set<string>();
  for (let i = 0; i < n; i++) {
    // The last transcript is the long one; the others vary ±10% around the target size.
    const long = i === n - 1;
    const target = long ? longBytes : Math.round(transcriptBytes * (0.9 + 0.2 * new Rng(fileSeed(seed, i) ^ 1).float()));
    const { text, stats } = transcriptText(i, seed, target, guide, codes, long);
    const site = SITES[i % SITES.length];
    const rel = long ? LONG_TRANSCRIPT : `transcripts/${site.slug}/${text.includes('role: tm') ? 'tm' : 'sw'}${String(i + 1).padStart(4, '0')}.transcript`;
    const dir = path.dirname(path.join(out, rel));
    if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
    writeFileSync(path.join(out, rel), text);
    summary.bytes += stats.bytes;
    summary.markers += stats.markers;
    summary.codes += stats.codes;
    summary.spanCodes += stats.spanCodes;
    summary.commonCodeUses += stats.codeUses.get(COMMON_CODE) ?? 0;
    if (long) summary.longTranscriptBytes = stats.bytes;
  }
  return summary;
}

/** Generates the study unless `out` already holds the one these parameters give. */
export function ensureStudy(out: string, n: number, seed = DEFAULT_SEED): StudySummary {
  const stamp = `${out.replace(/\/+$/, '')}.study.json`;
  try {
    const old = JSON.parse(readFileSync(stamp, 'utf8')) as StudySummary;
    if (old.version === GENERATOR_VERSION && old.seed === seed && old.transcripts === n) return old;
  } catch {
    // No stamp yet: generate.
  }
  const summary = generateStudy(out, n, seed);
  writeFileSync(stamp, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

// ---------------------------------------------------------------- a second coder's copy

/** Bump when the second coder's changes change, so that cached copies are rebuilt. */
export const SECOND_CODER_VERSION = 1;

/**
 * A second coder's copy of one transcript: the same interview text, about one code in ten handled
 * differently (dropped, renamed to another code, or its span moved to start a word later), and a few
 * codes added that the first coder did not apply. Deterministic for a given seed and file.
 */
export function secondCoderText(text: string, i: number, seed: number, codes: readonly Code[]): string {
  const rng = new Rng(fileSeed(seed ^ 0x5eed, i));
  const usable = codes.filter((c) => !c.deprecated).map((c) => c.path);
  const bodyStart = text.indexOf('\n---\n', 4) + 5;
  const head = text.slice(0, bodyStart);
  let body = text.slice(bodyStart);
  // Spans first (innermost: no brace inside), then codes written alone after a blank.
  body = body.replace(/\{([^{}]*)\}#([a-z][\w/-]*)/g, (whole, inner: string, code: string) => {
    const roll = rng.float();
    if (roll < 0.03) return inner;
    if (roll < 0.06) return `{${inner}}#${rng.pick(usable)}`;
    if (roll < 0.1) {
      const cut = inner.indexOf(' ');
      if (cut > 0 && cut < inner.length - 1) return `${inner.slice(0, cut + 1)}{${inner.slice(cut + 1)}}#${code}`;
    }
    return whole;
  });
  body = body.replace(/(^|[ \t])#([a-z][\w/-]*)/gm, (whole, before: string) => {
    const roll = rng.float();
    // Dropped with the blank before it, so that the plain text stays the same; a code alone on its line is
    // renamed instead (its empty line would otherwise change the plain text).
    if (roll < 0.04 && before !== '') return '';
    if (roll < 0.08) return `${before}#${rng.pick(usable)}`;
    return whole;
  });
  body = body.replace(/^(R: .*)$/gm, (line: string) => (rng.chance(0.05) ? `${line} #${rng.pick(usable)}` : line));
  return head + body;
}

/** Writes the second coder's copy of the study in `from` to `out` (emptied first). */
export function generateSecondCoder(from: string, out: string, seed = DEFAULT_SEED): void {
  const codebookText = readFileSync(path.join(from, 'themes.codebook.yaml'), 'utf8');
  const codes = readCodebook(codebookText);
  rmSync(out, { recursive: true, force: true });
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(from, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  walk('');
  files.sort();
  let i = 0;
  for (const rel of files) {
    mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    const text = readFileSync(path.join(from, rel), 'utf8');
    writeFileSync(path.join(out, rel), rel.endsWith('.transcript') ? secondCoderText(text, i++, seed, codes) : text);
  }
}

/** The second coder's copy of the study `from` at `out`, unless `out` already holds it. */
export function ensureSecondCoder(from: string, out: string, summary: StudySummary): void {
  const stamp = `${out.replace(/\/+$/, '')}.study.json`;
  const want = { version: SECOND_CODER_VERSION, of: summary };
  try {
    if (readFileSync(stamp, 'utf8') === `${JSON.stringify(want, null, 2)}\n`) return;
  } catch {
    // No stamp yet: generate.
  }
  generateSecondCoder(from, out, summary.seed);
  writeFileSync(stamp, `${JSON.stringify(want, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  const { values } = parseArgs({ options: { n: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } } });
  const n = Number(values.n ?? 1000);
  const out = values.out ?? `bench-study/n${n}`;
  const t0 = performance.now();
  const summary = generateStudy(out, n, values.seed ? Number(values.seed) : DEFAULT_SEED);
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\nwritten to ${out} in ${Math.round(performance.now() - t0)} ms\n`);
}
