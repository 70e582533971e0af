import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Every TypeScript source file under `dir` (relative to src), tests excluded. */
function sources(dir: string): string[] {
  return readdirSync(path.join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => path.join(dir, file));
}

/** The modules `file` imports (static `import … from` and `export … from` specifiers), resolved against src. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]/g)];
  return specifiers
    .map((match) => match[1] ?? '')
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.normalize(path.join(path.dirname(file), specifier)));
}

/**
 * The hot path's seams (issue 14, docs/architecture.md): modules reach `verify/` only through
 * `verify/ports.ts`, and `verify/` does not reach into the security module (its observer is
 * wired in by services.ts). A new import across either line fails here, naming the file.
 */
describe('module boundaries', () => {
  it('modules import from verify/ only through verify/ports', () => {
    const crossings = sources('modules').flatMap((file) =>
      importsOf(file)
        .filter(
          (target) => target.startsWith(`verify${path.sep}`) && target !== path.join('verify', 'ports.js'),
        )
        .map((target) => `${file} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('verify/ does not import the security module', () => {
    const crossings = sources('verify').flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(path.join('modules', 'security')))
        .map((target) => `${file} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('sees the imports it checks (the scan is not vacuous)', () => {
    expect(importsOf(path.join('modules', 'security', 'security-monitor.ts'))).toContain(
      path.join('verify', 'ports.js'),
    );
    expect(importsOf('services.ts')).toContain(path.join('modules', 'security', 'security-monitor.js'));
  });
});

/**
 * One service context (issue 14.4): procedures are adapters; permissions are checked inside
 * the services, which tRPC, REST and the CLI all call, so no entry point can skip a check.
 */
describe('permissions live in the services', () => {
  const procedures = sources('trpc/routers');

  it('no procedure checks permissions or builds its own context', () => {
    const offenders = procedures.filter((file) =>
      /\b(requireOrg|requireSpace|can|principalCan)\(|ctx\.(scope|actor)\b/.test(
        readFileSync(path.join(SRC, file), 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('every procedure inside an organization hands its service the ServiceContext', () => {
    const orgProcedures = procedures.filter((file) =>
      /\borgProcedure\b/.test(readFileSync(path.join(SRC, file), 'utf8')),
    );
    expect(orgProcedures.length).toBeGreaterThan(40);
    const without = orgProcedures.filter(
      (file) => !readFileSync(path.join(SRC, file), 'utf8').includes('ctx.service'),
    );
    expect(without).toEqual([]);
  });
});
