/**
 * `npm run build`: the Azure Functions app as it is deployed. Compiles what the Azure entry point reaches
 * (functions/ and shared/, never the agent, the local host or the CLI) to `dist/` with tsconfig.dist.json,
 * writes `dist/package.json` with `main` and only the production dependencies the compiled code requires
 * (versions as pinned in package.json), and copies host.json. `--install` then runs
 * `npm install --omit=dev` in dist, `--out <dir>` builds elsewhere than dist/.
 *
 *   node --import tsx scripts/build-app.ts [--out dist] [--install]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const MAIN = 'functions/azure/main.js';

interface RootPackage {
  readonly name: string;
  readonly version: string;
  readonly engines?: Record<string, string>;
  readonly dependencies: Record<string, string>;
}

function argValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function compiledFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The package a bare specifier names (`@scope/name/deep` → `@scope/name`), or null for a path or built-in. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return builtinModules.includes(name) ? null : name;
}

/** Every package the compiled files require. */
function requiredPackages(out: string): Set<string> {
  const found = new Set<string>();
  for (const file of compiledFiles(out))
    for (const match of readFileSync(file, 'utf8').matchAll(/\brequire\(["']([^"']+)["']\)/g)) {
      const name = packageOf(match[1] ?? '');
      if (name) found.add(name);
    }
  return found;
}

function dependenciesFor(out: string, root: RootPackage): Record<string, string> {
  const needed = [...requiredPackages(out)].sort();
  const missing = needed.filter((name) => !(name in root.dependencies));
  if (missing.length > 0)
    throw new Error(`the app requires packages that are not production dependencies: ${missing.join(', ')}`);
  return Object.fromEntries(needed.map((name) => [name, root.dependencies[name]!]));
}

export function buildApp(out: string, install: boolean): void {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.dist.json'), '--outDir', out], { stdio: 'inherit' });
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as RootPackage;
  const manifest = {
    name: `${root.name}-functions`,
    version: root.version,
    private: true,
    description: 'hr2ad control plane as an Azure Functions app',
    main: MAIN,
    ...(root.engines ? { engines: root.engines } : {}),
    dependencies: dependenciesFor(out, root),
  };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(ROOT, 'host.json'), join(out, 'host.json'));
  if (install)
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: out, stdio: 'inherit' });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const out = resolve(argValue(args, '--out') ?? join(ROOT, 'dist'));
  buildApp(out, args.includes('--install'));
  process.stdout.write(`built the Functions app in ${out}\n`);
}
