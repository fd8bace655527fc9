// The UI's messages, in both languages: valid ICU, the same arguments, plural forms where a count
// names a thing, and distinct Hindi for distinct actions.
// Run: NODE_ENV=test node --import tsx --test web/src/i18n/i18n.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, formatMessage, localeOf } from './format.ts';
import type { Lang } from './i18n.tsx';
import { messages } from './messages.all.ts';

const langs: Lang[] = ['en', 'hi'];
const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface AstNode { type: number; value?: string; options?: Record<string, { value: AstNode[] }>; children?: AstNode[] }

/** Argument names of a message, with the kind of each (plural or simple). */
function argsOf(text: string, lang: Lang): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (ast: AstNode[]) => {
    for (const el of ast) {
      if (el.type === 1) out.set(el.value!, out.get(el.value!) ?? 'simple');
      if (el.type === 6) out.set(el.value!, 'plural');
      for (const o of Object.values(el.options ?? {})) walk(o.value);
      if (el.children) walk(el.children);
    }
  };
  const f = compile(text, localeOf(lang)).format;
  if (f) walk(f.getAst() as unknown as AstNode[]);
  return out;
}

test('every message parses as ICU in both languages, with the same arguments', () => {
  const bad: string[] = [];
  for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[]) {
    const found: Partial<Record<Lang, Map<string, string>>> = {};
    for (const lang of langs) {
      try {
        found[lang] = argsOf(messages[lang][key], lang);
      } catch (e) {
        bad.push(`${lang} ${key}: ${(e as Error).message}`);
      }
    }
    const en = [...(found.en ?? new Map()).keys()].sort().join(',');
    const hi = [...(found.hi ?? new Map()).keys()].sort().join(',');
    if (found.en && found.hi && en !== hi) bad.push(`${key}: arguments en {${en}} hi {${hi}}`);
    // A count with plural forms in English is formatted by the same rules (Indian grouping) in Hindi.
    for (const [arg, kind] of found.en ?? []) {
      if (kind === 'plural' && found.hi?.get(arg) !== 'plural') bad.push(`${key}: {${arg}} is plural in English only`);
    }
  }
  assert.deepEqual(bad, []);
});

test('a message without plural forms reads as its text with the arguments put in (no quoting surprises)', () => {
  const bad: string[] = [];
  for (const lang of langs) {
    for (const [key, text] of Object.entries(messages[lang])) {
      const args = argsOf(text, lang);
      if ([...args.values()].includes('plural')) continue;
      const params = Object.fromEntries([...args.keys()].map((a) => [a, `«${a}»`]));
      const expected = text.replace(/\{(\w+)\}/g, (_, a: string) => `«${a}»`);
      const got = formatMessage(text, localeOf(lang), params);
      if (got !== expected) bad.push(`${lang} ${key}: ${JSON.stringify(got)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('plural messages: "1 token", "2 tokens", Indian digit grouping, in both languages', () => {
  const t = (lang: Lang, key: keyof typeof messages.en, params: Record<string, string | number>) =>
    formatMessage(messages[lang][key], localeOf(lang), params);
  assert.equal(t('en', 'opd.total', { count: 1 }), '1 token');
  assert.equal(t('en', 'opd.total', { count: 2 }), '2 tokens');
  assert.equal(t('en', 'opd.total', { count: 123456 }), '1,23,456 tokens');
  assert.equal(t('hi', 'opd.total', { count: 1 }), '1 टोकन');
  assert.equal(t('hi', 'opd.total', { count: 123456 }), '1,23,456 टोकन');
  // A count already formatted by num() still picks the right form.
  assert.equal(t('en', 'opd.total', { count: '1,234' }), '1,234 tokens');
  assert.equal(t('en', 'users.total', { count: 1 }), '1 user');
  assert.equal(t('en', 'users.total', { count: 3 }), '3 users');
  assert.equal(t('en', 'hmis.serverViolations', { count: 1 }), 'The server\'s validation found 1 problem:');
  assert.equal(t('en', 'hmis.serverViolations', { count: 2 }), 'The server\'s validation found 2 problems:');
  assert.equal(t('hi', 'hmis.serverViolations', { count: 1 }), 'सर्वर की जाँच में 1 समस्या मिली:');
  assert.equal(t('hi', 'hmis.serverViolations', { count: 2 }), 'सर्वर की जाँच में 2 समस्याएँ मिलीं:');
  assert.equal(t('en', 'idsp.weeks', { n: 1 }), '1 week');
  assert.equal(t('en', 'idsp.weeks', { n: 4 }), '4 weeks');
  assert.equal(t('en', 'patients.ageYears', { age: 1 }), '1 year');
  assert.equal(t('en', 'patients.ageYears', { age: 34 }), '34 years');
  assert.equal(t('hi', 'tele.position', { n: 1 }), 'कतार में पहले स्थान पर');
  assert.equal(t('hi', 'tele.position', { n: '2' }), 'कतार में दूसरे स्थान पर');
  assert.equal(t('hi', 'tele.position', { n: 5 }), 'कतार में 5वें स्थान पर');
});

test('no English message says "(s)" or puts a bare count before a plural noun', () => {
  const bad: string[] = [];
  for (const [key, text] of Object.entries(messages.en)) {
    if (text.includes('(s)')) bad.push(`${key}: ${text}`);
    const args = argsOf(text, 'en');
    // "{count} tokens", "{n} days", "{cases} cases": the count needs plural forms.
    for (const m of text.matchAll(/\{(\w+)\} (?:[a-z]+ )?([a-z]+s)\b/g)) {
      if (args.get(m[1]!) === 'simple' && !['is', 'was', 'has', 'does', 'this', 'as'].includes(m[2]!)) bad.push(`${key}: ${text}`);
    }
  }
  assert.deepEqual(bad, []);
});

/** Keys shown as the text of a button (or given as a form's/dialog's action label) anywhere in the UI. */
function actionKeys(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.tsx')) {
        const s = fs.readFileSync(p, 'utf8');
        for (const b of s.matchAll(/<button\b[\s\S]*?<\/button>/g)) for (const k of b[0].matchAll(/\bt\(\s*'([\w.]+)'/g)) out.add(k[1]!);
        for (const k of s.matchAll(/<\w*(?:Form|Button|Dialog|Confirm)\b[^>]*?\b\w*[lL]abel=\{\s*t\(\s*'([\w.]+)'/g)) out.add(k[1]!);
      }
    }
  };
  walk(srcDir);
  return out;
}

test('distinct actions have distinct Hindi labels', () => {
  const actions = [...actionKeys()].filter((k) => k in messages.en) as (keyof typeof messages.en)[];
  assert.ok(actions.length > 50, `found ${actions.length} action labels`);
  assert.ok(actions.includes('opd.registerVisit') && actions.includes('visits.new'));
  const bad: string[] = [];
  for (const a of actions) {
    for (const b of actions) {
      if (a >= b) continue;
      if (messages.en[a].toLowerCase() === messages.en[b].toLowerCase()) continue;
      if (messages.hi[a] === messages.hi[b]) bad.push(`${a} "${messages.en[a]}" and ${b} "${messages.en[b]}" both read "${messages.hi[a]}"`);
    }
  }
  // Issuing an OPD token and recording a visit are different acts: neither Hindi label may be the other's plus a word.
  for (const [a, b] of [['visits.new', 'opd.registerVisit'], ['visits.new', 'opd.registerHere']] as const) {
    if (messages.hi[b].includes(messages.hi[a]) || messages.hi[a].includes(messages.hi[b])) {
      bad.push(`${a} "${messages.hi[a]}" and ${b} "${messages.hi[b]}" read alike`);
    }
  }
  assert.deepEqual(bad, []);
});
