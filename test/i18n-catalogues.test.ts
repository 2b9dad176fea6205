// Every language has every message (issue 20): run in Node on the catalogues themselves, so a
// string added to en.ts without its translations fails here, naming the language and the key.
// What is checked, per language of src/shared/languages.ts:
//   - the catalogue file exists and has every section and key of en.ts, and nothing else;
//   - no text is empty, and none is the English but the keys the file lists in `same` (each of
//     which must really be the English);
//   - every message with parameters, called with marked values (strings) and with numbers across
//     the language's plural categories, keeps every value it is given, shows the number, leaves no
//     template or "undefined"/"NaN" behind, and says something other than the English.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { LANGS, SOURCE_LANG, type Lang } from '../src/shared/languages.js';

type Catalogue = Record<string, Record<string, unknown>> & { same?: readonly string[] };
const load = async (tag: Lang): Promise<Catalogue> => (await import(`../src/web/i18n/${tag}.ts`)) as Catalogue;

/**
 * Each function message of the English catalogue with its parameters' types, read from the source
 * (en.ts and en-create.ts, which it re-exports): `create.filesSummary` → ['number', 'string', 'string'].
 */
function parameterTypes(): Map<string, ('string' | 'number')[]> {
  const found = new Map<string, ('string' | 'number')[]>();
  for (const file of ['src/web/i18n/en.ts', 'src/web/i18n/en-create.ts']) readParameters(file, found);
  return found;
}

function readParameters(file: string, found: Map<string, ('string' | 'number')[]>): void {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  source.forEachChild((node) => {
    if (!ts.isVariableStatement(node)) return;
    for (const decl of node.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || decl.initializer === undefined || !ts.isObjectLiteralExpression(decl.initializer)) continue;
      for (const prop of decl.initializer.properties) {
        if (!ts.isPropertyAssignment(prop) || !ts.isArrowFunction(prop.initializer)) continue;
        const types = prop.initializer.parameters.map((p) => {
          const t = p.type?.getText(source);
          if (t !== 'string' && t !== 'number') throw new Error(`${decl.name.getText(source)}.${prop.name.getText(source)}: parameter ${p.name.getText(source)} needs the type string or number`);
          return t;
        });
        found.set(`${decl.name.getText(source)}.${prop.name.getText(source)}`, types);
      }
    }
  });
}

const PARAMS = parameterTypes();
const SECTIONS = ['common', 'create', 'open', 'reveal', 'stateless', 'manage', 'request', 'respond', 'combine', 'age', 'mine', 'notFound'];
/** Numbers that between them reach every plural category of the languages here (zero, one, two, few, many, other). */
const COUNTS = [0, 1, 2, 3, 4, 5, 7, 11, 12, 21, 22, 25, 100, 101, 102, 111, 1000];
const mark = (i: number): string => `⟦${String(i)}⟧`;
const shown = globalThis as { hushLocale?: string };
afterEach(() => {
  delete shown.hushLocale;
});

/** The message called with marked strings and the count `n` for every number parameter. */
function say(f: (...args: unknown[]) => string, types: ('string' | 'number')[], n: number): string {
  return f(...types.map((t, i) => (t === 'number' ? n : mark(i))));
}

describe('the catalogues', () => {
  it('en.ts has the sections the pages use, and every function message declares its parameter types', async () => {
    const en = await load(SOURCE_LANG);
    expect(Object.keys(en).filter((k) => k !== 'same')).toEqual(SECTIONS);
    expect(PARAMS.size).toBeGreaterThan(40);
    // Both files of the catalogue are read: the create page's messages live in en-create.ts.
    expect(PARAMS.get('create.filesSummary')).toEqual(['number', 'string', 'string']);
    expect(PARAMS.get('manage.stateOn')).toEqual(['string', 'string']);
  });

  it.each(LANGS.filter((l) => l !== SOURCE_LANG))('%s: every key, translated, with every value it is given', async (tag) => {
    const en = await load(SOURCE_LANG);
    const cat = await load(tag);
    const same = new Set(cat.same ?? []);
    const problems: string[] = [];
    expect(Object.keys(cat).filter((k) => k !== 'same').sort()).toEqual([...SECTIONS].sort());
    for (const section of SECTIONS) {
      expect(Object.keys(cat[section]!), `${tag}: the keys of ${section}`).toEqual(Object.keys(en[section]!));
      for (const [key, source] of Object.entries(en[section]!)) {
        const name = `${section}.${key}`;
        const text = cat[section]![key];
        if (typeof source === 'string') {
          if (typeof text !== 'string' || text.trim() === '') problems.push(`${name}: empty or not text`);
          else if (text === source && !same.has(name)) problems.push(`${name}: still the English “${text}”`);
          else if (text !== source && same.has(name)) problems.push(`${name}: listed in same, but translated`);
          continue;
        }
        const types = PARAMS.get(name);
        if (types === undefined || typeof text !== 'function') {
          problems.push(`${name}: not a message with parameters`);
          continue;
        }
        for (const n of COUNTS) {
          shown.hushLocale = SOURCE_LANG;
          const english = say(source as (...a: unknown[]) => string, types, n);
          shown.hushLocale = tag;
          const said = say(text as (...a: unknown[]) => string, types, n);
          const lost = types.flatMap((t, i) => (t === 'string' && !said.includes(mark(i)) ? [mark(i)] : []));
          if (lost.length > 0) problems.push(`${name}(n=${String(n)}): loses ${lost.join(', ')}: ${said}`);
          if (/\$\{|undefined|NaN|\[object /.test(said)) problems.push(`${name}(n=${String(n)}): ${said}`);
          // A message that is only its values and punctuation ("⟦0⟧ — ⟦1⟧. ") may well stay as it is.
          const words = english.replace(/⟦\d+⟧/g, '').replace(/[\p{P}\p{S}\p{N}\s]/gu, '');
          if (said === english && words !== '' && !same.has(name)) problems.push(`${name}(n=${String(n)}): still the English`);
          // Past the words for one and two ("once", "twice", "مرتين"), the number itself is shown, in Western or the locale's digits.
          if (types.includes('number') && n >= 3) {
            const digits = [String(n), new Intl.NumberFormat(tag).format(n), new Intl.NumberFormat('en').format(n)];
            if (!digits.some((d) => said.includes(d))) problems.push(`${name}(n=${String(n)}): the number is missing: ${said}`);
          }
        }
      }
    }
    expect(problems, `${tag}:\n${problems.join('\n')}`).toEqual([]);
  });
});

describe('punctuation around formatted values', () => {
  it('a sentence ending in a duration does not double the period of an abbreviated unit (German "59 Min.")', async () => {
    const cat = (await load('de')) as unknown as Record<string, unknown>;
    const found: string[] = [];
    for (const section of Object.values(cat)) {
      if (typeof section !== 'object' || section === null) continue;
      const expiresIn = (section as Record<string, unknown>).expiresIn as ((...a: string[]) => string) | undefined;
      if (typeof expiresIn === 'function' && expiresIn.length === 1) found.push(expiresIn('23 Std., 59 Min.'), expiresIn('3 Tage'));
    }
    expect(found.length).toBeGreaterThanOrEqual(4);
    for (const s of found) expect(s, s).toMatch(/[^.]\.$/);
    expect(found).toContain('Läuft ab in 23 Std., 59 Min.');
  });
});
