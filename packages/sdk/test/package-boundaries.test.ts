/**
 * What the published package may depend on (SPEC §9): at run time only `@keysmith/domain`
 * and its own files; framework types only as type imports in their adapter; nothing of the
 * API's internals or zod anywhere in `src` (so the emitted .d.ts cannot reference them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(SDK_DIR, 'src');

const TYPE_ONLY_ALLOWED: Record<string, string> = {
  fastify: 'middleware/fastify.ts',
  hono: 'middleware/hono.ts',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Each `import … from 'x'` / `export … from 'x'` / `import('x')`, and whether it is type-only. */
function imports(source: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms;
  for (const match of source.matchAll(statement)) {
    found.push({ specifier: match[3] ?? '', typeOnly: match[2] !== undefined });
  }
  for (const match of source.matchAll(/import\(\s*'([^']+)'\s*\)/g)) {
    found.push({ specifier: match[1] ?? '', typeOnly: false });
  }
  return found;
}

describe('package boundaries', () => {
  const files = sourceFiles(SRC).map((file) => ({
    name: path.relative(SRC, file),
    source: readFileSync(file, 'utf8'),
  }));

  it('src imports at run time only its own files and @keysmith/domain', () => {
    const offending = files.flatMap(({ name, source }) =>
      imports(source)
        .filter(({ specifier, typeOnly }) => {
          if (specifier.startsWith('./') || specifier.startsWith('../')) {
            return path.resolve(path.dirname(path.join(SRC, name)), specifier).startsWith(SRC) === false;
          }
          if (specifier === '@keysmith/domain') return false;
          return !(typeOnly && TYPE_ONLY_ALLOWED[specifier] === name);
        })
        .map(({ specifier }) => `${name}: ${specifier}`),
    );
    expect(offending).toEqual([]);
    expect(files.length).toBeGreaterThan(5);
  });

  it('src code never uses zod, the API package or Node built-ins', () => {
    for (const { name, source } of files) {
      // Code only: doc comments may show Node usage (`process.env.KEYSMITH_ROOT_KEY`).
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      expect(code, name).not.toMatch(/from 'zod'|apps\/api|@keysmith\/api|from 'node:|\bBuffer\b|process\./);
    }
  });

  it('declares @keysmith/domain as its only runtime dependency', () => {
    const manifest = JSON.parse(readFileSync(path.join(SDK_DIR, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).toEqual(['@keysmith/domain']);
  });
});
