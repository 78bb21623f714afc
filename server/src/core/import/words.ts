/**
 * The words the question-marker matcher compares: a text becomes the stems of its content words.
 * Stems come from the Porter2 (Snowball English) stemmer; stop words and the fillers of spoken
 * questions ("so", "just", "sort of") are left out; a few irregular plurals and everyday synonyms
 * of interview speech ("why" and "reasons", "solicitor" and "lawyer") share one stem, so that an
 * interviewer's own words meet the guide's. The lists are about English as interviewers speak it,
 * not about any one study.
 */
import porter2 from 'wink-porter2-stemmer';

/**
 * Words that say nothing about which question is asked. `where`, `when`, `who`, `whose` and `why` stay:
 * they tell "Where was it held?" from "Why was it held?".
 */
const STOP = new Set(`
a about above after again against all am an and any anything are aren as at be because been before being below
between both but by can could couldn d did didn do does doesn doing don down during each else even ever every
few for from further had hadn has hasn have haven having he her here hers herself him himself his how i if in
into is isn it its itself just ll m me might more most much must my myself no nor not now o of off on once only
or other others our ours ourselves out over own re s same shall she should shouldn so some such t than that the
their theirs them themselves then there these they this those through to too under until up us ve very was
wasn we were weren what which while whom will with won would wouldn y you your yours
yourself yourselves
okay ok right yeah yes yep mm mmm hmm um uh er erm ah oh well so just really actually basically maybe perhaps
sort kind bit little lot lots quite rather thing things stuff like say said tell told mean means know think
thought guess suppose go going get got getting let lets gonna wanna want see look looking talk talking
one two first also still back way ask asked question questions start us something anyone someone somebody
sure fine great lovely brilliant good
example examples explain elaborate expand give since
`.split(/\s+/).filter(Boolean));

/** Plurals and forms the stemmer leaves apart. */
const IRREGULAR: Record<string, string> = {
  children: 'child', kids: 'child', kid: 'child', people: 'person', women: 'woman', men: 'man',
  mum: 'parent', mums: 'parent', dad: 'parent', dads: 'parent', mother: 'parent', father: 'parent',
  mothers: 'parent', fathers: 'parent',
};

/**
 * Everyday synonyms of spoken questions, each group meeting on its first word's stem. Only words whose
 * senses agree in most interviews: a wrong pair costs more than a missing one.
 */
const SYNONYMS: string[][] = [
  ['reason', 'why', 'cause', 'caus', 'motiv', 'decid', 'decis'],
  ['hope', 'expect', 'aim', 'goal', 'purpos', 'intend', 'intent', 'achiev'],
  ['benefit', 'advantag', 'gain', 'upsid', 'posit', 'valu'],
  ['disadvantag', 'drawback', 'downsid', 'negat', 'cons', 'problem', 'difficulti', 'difficult', 'harm'],
  ['chang', 'differ', 'evolv', 'alter'],
  ['improv', 'better'],
  ['lawyer', 'solicitor', 'legal', 'barrist', 'counsel'],
  ['chair', 'chairperson', 'chairman', 'chairwoman'],
  ['role', 'part', 'respons', 'job', 'post'],
  ['arrang', 'organis', 'organ', 'set', 'plan', 'schedul', 'book'],
  ['happen', 'occur'],
  ['idea', 'suggest', 'propos', 'initi'],
  ['worri', 'concern', 'anxious', 'anxieti', 'fear'],
  ['agre', 'agreement', 'consensus'],
  ['disagre', 'disagreement', 'conflict', 'argument', 'disput', 'stick', 'tension'],
  ['attend', 'present', 'join'],
  ['long', 'length', 'durat', 'year', 'month'],
  ['often', 'frequent', 'mani', 'regular'],
  ['experi', 'background'],
  ['support', 'assist'],
  ['staff', 'team', 'colleagu', 'cowork'],
  ['train', 'cours', 'develop', 'learn'],
  ['feel', 'felt', 'feelings'],
  ['view', 'opinion', 'wish', 'voic', 'perspect'],
  ['meet', 'meeting'],
  ['famili', 'household'],
  ['school', 'classroom', 'class'],
  ['pupil', 'student', 'child'],
  ['doctor', 'medic', 'registrar', 'physician', 'gp'],
  ['tire', 'tired', 'exhaust', 'fatigu', 'sleepi'],
  ['unsaf', 'danger', 'safe', 'risk'],
  ['sleep', 'rest', 'nap'],
  ['eat', 'food', 'meal', 'snack', 'diet'],
  ['health', 'wellb', 'wellbeing'],
  ['workload', 'busi', 'busiest', 'pressur', 'overload'],
  ['contact', 'touch', 'email'],
  ['call', 'phone', 'ring', 'rang'],
  ['els', 'add', 'addit'],
  ['typic', 'usual', 'normal', 'common'],
  ['special', 'unusu', 'particular'],
];

const CANONICAL = new Map<string, string>();
for (const group of SYNONYMS) {
  for (const w of group) if (!CANONICAL.has(w)) CANONICAL.set(w, group[0]);
}

/** A word's stem (lower case), or undefined for a stop word. */
function stemOf(word: string): string | undefined {
  if (STOP.has(word)) return undefined;
  const irregular = IRREGULAR[word];
  let s = irregular ?? word;
  if (!irregular && /^\p{Ll}+$/u.test(word)) {
    try {
      s = porter2(word);
    } catch {
      s = word;
    }
  }
  if (STOP.has(s)) return undefined;
  return CANONICAL.get(s) ?? CANONICAL.get(word) ?? s;
}

/** The words of a text, lower case, apostrophes' endings split off ("children's" → children, s). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Acronyms written in capitals (`PPM`, `LBPs`, `SEN`), lower-cased, plural `s` removed. */
export function acronymsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])(\p{Lu}{2,6})s?(?![\p{L}\p{N}])/gu)) out.push(m[1].toLowerCase());
  return out;
}

/**
 * The stems of a text's content words, one per occurrence, and the acronyms of its word runs that `known`
 * holds: "pre-proceedings meeting" gives `ppm` as well, so a question that says PPM meets a turn that
 * spells it out. A run's first and last words must be content words, so "looked at" is no "LA".
 */
export function termsOf(text: string, known: ReadonlySet<string>): string[] {
  const words = wordsOf(text);
  const out: string[] = [];
  for (const w of words) {
    if (w.length < 2 && !/\p{N}/u.test(w)) continue;
    // `PPMs`, `TMs`: the plural of an acronym the guide uses is that acronym.
    const s = w.endsWith('s') && known.has(w.slice(0, -1)) ? w.slice(0, -1) : stemOf(w);
    if (s !== undefined) out.push(s);
  }
  if (known.size) {
    for (let i = 0; i < words.length; i++) {
      if (STOP.has(words[i])) continue;
      let initials = words[i][0];
      for (let n = 1; n < 4 && i + n < words.length; n++) {
        initials += words[i + n][0];
        if (!STOP.has(words[i + n]) && known.has(initials)) out.push(initials);
      }
    }
  }
  return out;
}
