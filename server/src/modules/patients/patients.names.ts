/**
 * Matching personal names across scripts and spellings, so that a name typed in Devanagari finds a patient
 * registered in Latin letters (and the other way round), and small misspellings still match.
 *
 * Two steps:
 * 1. `devanagariToLatin` romanises Devanagari the way Hindi names are usually written in Latin letters
 *    (रमेश कुमार → Ramesh Kumar): inherent `a` after each consonant, dropped at the end of a word and
 *    in the middle where Hindi drops it (कमला → Kamla, जगदीश → Jagdish), anusvara as n/m, क्ष → ksh, ज्ञ → gy.
 * 2. `phoneticKey` folds any Latin spelling of a name to one short lower-case key: long vowels and
 *    diphthongs reduced (Geeta/Gita, Pooja/Puja, Chaudhary/Choudhary), e≈i and o≈u, aspiration dropped
 *    (Sharma/Sarma), b/v/w merged (Devi/Debi), doubled letters collapsed (Mohammad/Mohamad), and the
 *    short `a`/`e` that spellings add or leave out removed (Krishna/Krishan, Surendra/Surender, Kamala/Kamla).
 *
 * `similarity` is pg_trgm's trigram similarity of the two keys, so the database can rank candidates with
 * `similarity(name_key, $1)` on a stored key column and get the same numbers as this module.
 */

/** Which script a name is written in. */
export type NameScript = 'devanagari' | 'latin' | 'mixed';

// ---------------------------------------------------------------- Devanagari tables
const CONSONANTS: Record<string, string> = {
  'क': 'k', 'ख': 'kh', 'ग': 'g', 'घ': 'gh', 'ङ': 'n',
  'च': 'ch', 'छ': 'chh', 'ज': 'j', 'झ': 'jh', 'ञ': 'n',
  'ट': 't', 'ठ': 'th', 'ड': 'd', 'ढ': 'dh', 'ण': 'n',
  'त': 't', 'थ': 'th', 'द': 'd', 'ध': 'dh', 'न': 'n', 'ऩ': 'n',
  'प': 'p', 'फ': 'ph', 'ब': 'b', 'भ': 'bh', 'म': 'm',
  'य': 'y', 'र': 'r', 'ऱ': 'r', 'ल': 'l', 'ळ': 'l', 'ऴ': 'l', 'व': 'v',
  'श': 'sh', 'ष': 'sh', 'स': 's', 'ह': 'h',
};
/** Consonant + nukta (Urdu and Persian sounds, the flapped ड़ ढ़); NFC splits क़ ज़ फ़ ड़ … into letter + U+093C. */
const NUKTA_FORMS: Record<string, string> = {
  'क': 'q', 'ख': 'kh', 'ग': 'gh', 'ज': 'z', 'ड': 'r', 'ढ': 'rh', 'फ': 'f', 'य': 'y', 'न': 'n', 'र': 'r', 'ळ': 'l',
};
const INDEPENDENT_VOWELS: Record<string, string> = {
  'अ': 'a', 'आ': 'aa', 'इ': 'i', 'ई': 'ii', 'उ': 'u', 'ऊ': 'uu', 'ऋ': 'ri', 'ॠ': 'ri', 'ऌ': 'li', 'ॡ': 'li',
  'ए': 'e', 'ऐ': 'ai', 'ओ': 'o', 'औ': 'au', 'ऍ': 'e', 'ऎ': 'e', 'ऑ': 'o', 'ऒ': 'o', 'ॲ': 'e', 'ऄ': 'a',
};
const MATRAS: Record<string, string> = {
  'ा': 'aa', 'ि': 'i', 'ी': 'ii', 'ु': 'u', 'ू': 'uu', 'ृ': 'ri', 'ॄ': 'ri', 'ॢ': 'li', 'ॣ': 'li',
  'े': 'e', 'ै': 'ai', 'ो': 'o', 'ौ': 'au', 'ॅ': 'e', 'ॆ': 'e', 'ॉ': 'o', 'ॊ': 'o', 'ॏ': 'au', 'ऺ': 'o', 'ऻ': 'a',
};
/** How each vowel is written in readable romanised names: length is not marked (सुनीता → Sunita, पूजा → Puja). */
const READABLE_VOWEL: Record<string, string> = { aa: 'a', ii: 'i', uu: 'u' };
const VIRAMA = '\u094D';
const NUKTA = '\u093C';
const ANUSVARA = '\u0902';
const CHANDRABINDU = '\u0901';
const VISARGA = '\u0903';
const NASAL_CONSONANTS = new Set(['n', 'm']);
const LABIALS = new Set(['p', 'ph', 'b', 'bh', 'm']);
const SIBILANTS = new Set(['s', 'sh']);
const SONORANTS = new Set(['r', 'y', 'v', 'l', 'n', 'm']);

/** One sound of a Devanagari word: a consonant, a vowel (`schwa` for the inherent a), a nasal mark or visarga. */
type Segment =
  | { kind: 'consonant'; latin: string }
  | { kind: 'vowel'; latin: string; schwa: boolean }
  | { kind: 'nasal'; anusvara: boolean }
  | { kind: 'visarga' };

const DEVANAGARI_LETTER = /[\u0900-\u0963\u0971-\u097F]/;
const DEVANAGARI_RUN = /[\u0900-\u0963\u0971-\u097F\u200C\u200D]+/g;
const LATIN_LETTER = /[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]/;

// ---------------------------------------------------------------- Devanagari → segments
/** Spellings rewritten before reading: ज्ञ is said "gy" in Hindi; ॐ is ओम्; joiners carry no sound. */
function preprocessDevanagari(word: string): string {
  return word.normalize('NFC').replace(/[\u200C\u200D]/g, '').replace(/ज्ञ/g, 'ग्य').replace(/ॐ/g, 'ओम्');
}

/** Splits one Devanagari word into consonants, vowels (with the inherent a made explicit) and marks. */
function segmentsOf(word: string): Segment[] {
  const chars = [...preprocessDevanagari(word)];
  const segments: Segment[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch in CONSONANTS) {
      let latin = CONSONANTS[ch];
      if (chars[i + 1] === NUKTA) { latin = NUKTA_FORMS[ch] ?? latin; i++; }
      segments.push({ kind: 'consonant', latin });
      const next = chars[i + 1];
      if (next === VIRAMA) { i++; continue; }
      if (next !== undefined && next in MATRAS) { segments.push({ kind: 'vowel', latin: MATRAS[next], schwa: false }); i++; continue; }
      segments.push({ kind: 'vowel', latin: 'a', schwa: true });
    } else if (ch in INDEPENDENT_VOWELS) {
      segments.push({ kind: 'vowel', latin: INDEPENDENT_VOWELS[ch], schwa: false });
    } else if (ch === ANUSVARA || ch === CHANDRABINDU) {
      segments.push({ kind: 'nasal', anusvara: ch === ANUSVARA });
    } else if (ch === VISARGA) {
      segments.push({ kind: 'visarga' });
    }
    // avagraha, stray matras or viramas and other signs carry no sound of their own in a name
  }
  return segments;
}

const isVowel = (s: Segment | undefined) => s?.kind === 'vowel';
const isConsonant = (s: Segment | undefined) => s?.kind === 'consonant';
const isSchwa = (s: Segment | undefined) => s?.kind === 'vowel' && s.schwa;

/**
 * Drops the inherent a where Hindi does not say it: at the end of a word (रमेश → Ramesh) unless the
 * word is one syllable or ends in a cluster (कृष्ण → Krishna, मिश्र → Mishra; but आनन्द → Anand), and,
 * reading left to right, after a vowel and one consonant when a consonant and a vowel follow
 * (कमला → Kamla, जगदीश → Jagdish, हंसराज → Hansraj) or a consonant + r/v cluster does (ओमप्रकाश → Omprakash).
 */
function dropSchwas(segments: Segment[]): Segment[] {
  const s = [...segments];
  const last = s.length - 1;
  if (isSchwa(s[last]) && s.filter(isVowel).length > 1 && !endsInCluster(s)) s.pop();
  for (let i = 2; i < s.length - 2; i++) {
    if (isSchwa(s[i]) && isConsonant(s[i - 1]) && syllableEndsAt(s, i - 2) && isConsonant(s[i + 1])
      && (isVowel(s[i + 2]) || (startsOnsetCluster(s, i + 1) && isVowel(s[i + 3])))) {
      s.splice(i, 1);
    }
  }
  return s;
}

/** True when segment `j` ends a syllable: a vowel, or a nasal (anusvara or half न/म) between a vowel and an obstruent (हंस, सुन्दर). */
function syllableEndsAt(s: Segment[], j: number): boolean {
  const seg = s[j];
  if (isVowel(seg)) return true;
  const nasal = seg?.kind === 'nasal' || (seg?.kind === 'consonant' && NASAL_CONSONANTS.has(seg.latin));
  const next = s[j + 1];
  return nasal && isVowel(s[j - 1]) && next?.kind === 'consonant' && !SONORANTS.has(next.latin) && next.latin !== 'h';
}

/** True when segments `j`, `j+1` are a consonant + r/v cluster that can open a syllable (प्र, द्व), sibilants aside (स्व). */
function startsOnsetCluster(s: Segment[], j: number): boolean {
  const [first, second] = [s[j], s[j + 1]];
  return first?.kind === 'consonant' && second?.kind === 'consonant' && !SIBILANTS.has(first.latin)
    && (second.latin === 'r' || second.latin === 'v');
}

/**
 * True when a final inherent a is said because the word ends in a cluster whose second consonant is a
 * sonorant (कृष्ण → Krishna, मिश्र → Mishra, सत्य → Satya, सूर्य → Surya); not after nasal + consonant
 * (आनन्द → Anand), r + consonant (धर्म → Dharm, पार्थ → Parth) or two obstruents (दक्ष → Daksh, भट्ट → Bhatt).
 */
function endsInCluster(s: Segment[]): boolean {
  const [c0, c1] = [s[s.length - 3], s[s.length - 2]];
  if (c0?.kind !== 'consonant' || c1?.kind !== 'consonant') return false;
  if (NASAL_CONSONANTS.has(c0.latin) || !SONORANTS.has(c1.latin)) return false;
  return c0.latin !== 'r' || c1.latin === 'y';
}

/** Writes segments out in lower-case Latin letters. */
function renderSegments(s: Segment[]): string {
  let out = '';
  s.forEach((seg, i) => {
    if (seg.kind === 'consonant') out += seg.latin;
    else if (seg.kind === 'vowel') out += READABLE_VOWEL[seg.latin] ?? seg.latin;
    else if (seg.kind === 'visarga') out += 'h';
    else out += nasalBefore(seg.anusvara, s[i + 1]);
  });
  return out;
}

/** Anusvara is m before p/b/m (चंपा → Champa) and ng before h (सिंह → Singh); otherwise, and chandrabindu always, n. */
function nasalBefore(anusvara: boolean, next: Segment | undefined): string {
  if (!anusvara || next?.kind !== 'consonant') return 'n';
  if (LABIALS.has(next.latin)) return 'm';
  return next.latin === 'h' ? 'ng' : 'n';
}

/**
 * Second halves of compound names (ओम|प्रकाश, अमर|नाथ, मोहन|लाल, हर|प्रीत). Each half is romanised on its
 * own, because the inherent a that Hindi drops depends on where the halves meet.
 */
const COMPOUND_ENDINGS = [
  'नाथ', 'जीत', 'प्रीत', 'प्रकाश', 'चरण', 'चंद', 'चन्द', 'चंद्र', 'चन्द्र', 'वीर', 'बीर', 'पाल', 'लाल', 'दास', 'देव', 'कुमार',
  'प्रसाद', 'नारायण', 'मोहन', 'दीप', 'दत्त', 'जोत', 'किशन', 'राज', 'राम', 'वती', 'मती', 'मति', 'पति', 'भान', 'वंत', 'वन्त', 'सिंह',
].sort((a, b) => b.length - a.length);

/** Splits a Devanagari word before a known compound ending, unless the ending is glued on by a virama (सरस्|वती). */
function splitCompound(word: string): string[] {
  for (const ending of COMPOUND_ENDINGS) {
    if (word.length <= ending.length || !word.endsWith(ending)) continue;
    const head = word.slice(0, -ending.length);
    if (!head.endsWith(VIRAMA) && segmentsOf(head).some(isVowel)) return [head, ending];
  }
  return [word];
}

/** One Devanagari word in lower-case Latin letters. */
function romaniseWord(word: string): string {
  return splitCompound(preprocessDevanagari(word)).map((part) => renderSegments(dropSchwas(segmentsOf(part)))).join('');
}

/** Romanises every Devanagari run of `text` with `word`, leaving other characters alone; Devanagari digits and dandas become ASCII. */
function romanise(text: string, word: (latin: string, runStart: number) => string): string {
  return text
    .replace(DEVANAGARI_RUN, (run, offset: number) => word(romaniseWord(run), offset))
    .replace(/[\u0966-\u096F]/g, (d) => String(d.charCodeAt(0) - 0x0966))
    .replace(/[\u0964\u0965]/g, '.');
}

/** Romanises the Devanagari in a name for people to read beside it, title-cased: `रमेश कुमार` → `Ramesh Kumar`. */
export function devanagariToLatin(text: string): string {
  const source = String(text ?? '');
  return romanise(source, (latin, start) => {
    const startsWord = start === 0 || !LATIN_LETTER.test(source[start - 1]);
    return startsWord ? latin.charAt(0).toUpperCase() + latin.slice(1) : latin;
  });
}

/** Says whether a name is written in Devanagari, Latin letters or both. */
export function scriptOf(name: string): NameScript {
  const text = String(name ?? '');
  const devanagari = DEVANAGARI_LETTER.test(text);
  const latin = LATIN_LETTER.test(text);
  if (devanagari && latin) return 'mixed';
  return devanagari ? 'devanagari' : 'latin';
}

// ---------------------------------------------------------------- Latin → phonetic key
/** Titles dropped from names before matching (Smt. Sunita Devi = Sunita Devi), compared by phonetic key. */
const HONORIFICS = ['mr', 'mrs', 'ms', 'dr', 'smt', 'shrimati', 'shriman'];
/** Abbreviations and spellings that stand for a whole name: Md./Mohd. for Mohammad, Bengali Chowdhury for Chaudhary. */
const ALIASES: [RegExp, string][] = [
  [/^(md|mohd|mhd)$/, 'mohammad'],
  [/^ch?(au|ou|ow|o)dh?ur[iy]$/, 'chaudhari'],
];
const unalias = (word: string) => ALIASES.find(([pattern]) => pattern.test(word))?.[1] ?? word;
const VOWEL = /[aeiou]/;
const vowelAt = (w: string, i: number) => i >= 0 && i < w.length && VOWEL.test(w[i]);
const consonantAt = (w: string, i: number) => i >= 0 && i < w.length && !VOWEL.test(w[i]);

/** Spelling-level folds: letters that stand for the same sound (x = ks, ph = f, z = j, c = k/s, silent e of -ore, …). */
function foldLetters(w: string): string {
  return w
    .replace(/ore$/, 'or')
    .replace(/x/g, 'ks')
    .replace(/cch/g, 'ch')
    .replace(/ck/g, 'k')
    .replace(/q/g, 'k')
    .replace(/ph/g, 'f')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c(?!h)/g, 'k')
    .replace(/z/g, 'j');
}

/** Long vowels and diphthongs reduced: aa → a, ee/ii → i, oo/uu → u, au/ou/ow → u, ai/ei/ay/ey → i, final consonant + y → i, ia → iya. */
function foldVowels(w: string): string {
  return w
    .replace(/ow(?![aeiou])/g, 'u')
    .replace(/aa/g, 'a').replace(/ee|ii/g, 'i').replace(/oo|uu/g, 'u')
    .replace(/au|ou/g, 'u')
    .replace(/ai|ei/g, 'i')
    .replace(/[ae]y(?![aeiou])/g, 'i')
    .replace(/([^aeiou])y$/, '$1i')
    .replace(/i(?=a)/g, 'iy');
}

/** Sound-level folds: aspiration dropped (bh → b, sh → s, chh → c), w/b → v, m → n before labials, doubles collapsed. */
function foldConsonants(w: string): string {
  return w
    .replace(/([^aeiou])h+/g, '$1')
    .replace(/[wb]/g, 'v')
    .replace(/m(?=[pfv])/g, 'n')
    .replace(/(.)\1+/g, '$1');
}

/**
 * Removes the short vowels that spellings of one name disagree on: `er` before a consonant is `ar`
 * (Verma/Varma); a final `a` after a consonant goes in words of two or more syllables or after a cluster
 * (Sharma → sharm, and the hurried Shrma too); a short `a` goes
 * after a vowel (or vowel + n/m) and one consonant when a consonant and a vowel, a consonant + r/v and a
 * vowel, or the word end follow (Kamala → kamla, Haraprit → harprit, Kumar → kumr, Krishan → krishn); and
 * `a`/`e` goes before a final r or d after any consonant (Surender → surendr, Mohammed → mohammd).
 */
function dropShortVowels(word: string): string {
  let w = word.replace(/er(?=[^aeiou])/g, 'ar');
  const syllables = (w.match(/[aeiou]+/g) ?? []).length;
  if (/[^aeiou]a$/.test(w) && (syllables > 1 || /[^aeiou]{2}a$/.test(w))) w = w.slice(0, -1);
  for (let i = 1; i < w.length - 1; i++) {
    const final = i === w.length - 2;
    const followed = final || vowelAt(w, i + 2) || (onsetClusterAt(w, i + 1) && vowelAt(w, i + 3));
    const betweenSingles = w[i] === 'a' && syllableEndsIn(w, i - 2) && consonantAt(w, i - 1) && consonantAt(w, i + 1) && followed;
    const beforeFinalRD = (w[i] === 'a' || w[i] === 'e') && final && /[rd]/.test(w[i + 1]) && consonantAt(w, i - 1)
      && VOWEL.test(w.slice(0, i - 1));
    if (betweenSingles || beforeFinalRD) { w = w.slice(0, i) + w.slice(i + 1); i--; }
  }
  return w;
}

/** True when letter `j` ends a syllable: a vowel, or n/m between a vowel and an obstruent (hans|raj, sun|dari). */
const syllableEndsIn = (w: string, j: number) => vowelAt(w, j)
  || (/[nm]/.test(w[j] ?? '') && vowelAt(w, j - 1) && /[^aeiouhlmnrvy]/.test(w[j + 1] ?? 'a'));
/** True when letters `j`, `j+1` are a consonant + r/v that can open a syllable (pr, dv), s aside (sv). */
const onsetClusterAt = (w: string, j: number) => consonantAt(w, j) && w[j] !== 's' && /[rv]/.test(w[j + 1] ?? '');

/** The phonetic key of one lower-case Latin word. */
function wordKey(word: string): string {
  const w = dropShortVowels(foldConsonants(foldVowels(foldLetters(unalias(word)))));
  return w.replace(/e/g, 'i').replace(/o/g, 'u').replace(/(.)\1+/g, '$1');
}

/** The lower-case Latin words of a name in any script. */
function latinWords(name: string): string[] {
  const latin = romanise(String(name ?? ''), (word) => ` ${word} `)
    .normalize('NFD').replace(/[\u0300-\u036F]/g, '')
    .toLowerCase().replace(/['’`]/g, '');
  return latin.split(/[^a-z]+/).filter(Boolean);
}

let honorificKeys: Set<string> | undefined;
/** True for the key of a title such as Smt., Shrimati (श्रीमती) or Dr. */
const isHonorific = (key: string) => (honorificKeys ??= new Set(HONORIFICS.map(wordKey))).has(key);

/** Folds a personal name in Devanagari or Latin letters to a short key shared by its spellings in both scripts. */
export function phoneticKey(name: string): string {
  const keys = latinWords(name).map(wordKey).filter(Boolean);
  const named = keys.filter((key) => !isHonorific(key));
  return (named.length ? named : keys).join(' ');
}

/** The phonetic key of each word of a name, without repeats, for indexing. */
export function nameTokens(name: string): string[] {
  return [...new Set(phoneticKey(name).split(' ').filter(Boolean))];
}

// ---------------------------------------------------------------- trigram similarity (pg_trgm)
/** pg_trgm's trigrams of a text: each alphanumeric word lower-cased, padded with two spaces in front and one behind. */
export function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const word of String(text ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

/** pg_trgm `similarity()` of two texts as they are: shared trigrams over all trigrams, 0 when neither has any. */
export function trigramSimilarity(a: string, b: string): number {
  const [ta, tb] = [trigrams(a), trigrams(b)];
  let shared = 0;
  for (const g of ta) if (tb.has(g)) shared++;
  const all = ta.size + tb.size - shared;
  return all === 0 ? 0 : shared / all;
}

/** How alike two names sound, 0..1, in either script: pg_trgm similarity of their phonetic keys. */
export function similarity(a: string, b: string): number {
  return trigramSimilarity(phoneticKey(a), phoneticKey(b));
}
