import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeThrown } from './errors.ts';
import { isTypeScript } from './module-loader.ts';

/**
 * A TypeScript spec compiled once, on the main thread, for the search workers (docs/performance.md, "Worker
 * start-up"). Node 20 can import TypeScript only through tsx's loader, which runs on a thread of its own in every
 * worker and cost each one about 0.3 s of CPU before it could load the spec. Instead esbuild bundles the spec's own
 * files (those it reaches by relative imports) into one ES module, held in a `data:` URL; every package it imports
 * (`interleave`, `zod`, …) stays an import, of the file Node would load for it, so the workers share those modules
 * with their own code as before. A worker imports the bundle, checks that it gives the same spec (identity.ts), and
 * loads the file through tsx instead when it does not.
 *
 * The bundle is only made where it cannot change what the code means: from the compiled package (the sources of
 * this repository run through tsx anyway), with no loader, preload or export condition in Node's options (they
 * could resolve a package differently), when every package import resolves to JavaScript in that package, and when
 * the code of the spec's own files reads no `import.meta`, `__dirname`, `__filename`, `require` or `exports` and has
 * no `import()` left once esbuild has bundled those of local files (each would see the bundle's URL, or a CommonJS
 * shim, instead of the file's own), and has no class or JSX (compiled by tsconfig options, which tsx and esbuild may
 * take from different files).
 */
export type SpecBundle = { url: string } | { reason: string };

/** Node options under which a package may resolve to another file than esbuild finds (the workers inherit them). */
const RESOLUTION_OPTIONS = /^(--conditions|-C|--loader|--experimental-loader|--import|--require|-r|--preserve-symlinks|--experimental-default-type|--experimental-specifier-resolution)(=|$)/;

/**
 * What makes a file mean something else once bundled (see above), looked for in esbuild's output: types and comments
 * are gone there, an `import()` of a local file is bundled (of a package, it names the package's file), and a
 * `require` or CommonJS file shows as such. And classes: how their fields and decorators compile depends on tsconfig
 * options, which tsx takes from the tsconfig of the working folder and esbuild from the one nearest each file.
 */
const FILE_BOUND = /\bimport\.meta\b|\b__dirname\b|\b__filename\b|\b(?:__)?require\b|\bmodule\.exports\b|\bexports\.|\bimport\s*\((?!"(?:file|node):)|\bclass\b/g;

/** Files Node imports without a loader: what a package import may resolve to. */
const PLAIN_JAVASCRIPT = /\.(m?js|cjs|json)$/;

/** Whether this module runs from the compiled package (dist/), not from the repository's TypeScript sources. */
const COMPILED = import.meta.url.endsWith('.js');

const bundles = new Map<string, Promise<SpecBundle>>();

/**
 * The bundle the workers of a search load `url` from, made once per process and file; null when they load the file
 * itself (a JavaScript spec, the repository's sources, Node options that touch resolution). The promise never rejects.
 */
export function specBundleFor(url: string): Promise<SpecBundle> | null {
  if (!COMPILED || !isTypeScript(url) || !url.startsWith('file:') || resolutionOptions() !== null) return null;
  let bundle = bundles.get(url);
  if (bundle === undefined) {
    bundle = bundleSpec(fileURLToPath(url));
    bundles.set(url, bundle);
  }
  return bundle;
}

/** The first of Node's options (command line or NODE_OPTIONS) that may change how a package resolves, or null. */
export function resolutionOptions(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string | null {
  for (const arg of [...execArgv, ...nodeOptions.split(/\s+/)]) if (RESOLUTION_OPTIONS.test(arg)) return arg;
  return null;
}

/** Bundles the spec file `file` (see above); a file that cannot be bundled safely gives the reason. */
export async function bundleSpec(file: string): Promise<SpecBundle> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    return { reason: `esbuild is not available: ${describeThrown(e)}` };
  }
  const refused: string[] = [];
  try {
    const built = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: path.dirname(file),
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      // As tsx compiles (its defaults): for this Node, keeping functions' names.
      target: `node${process.versions.node}`,
      keepNames: true,
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'packages-stay-imports',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, async (args) => {
              if (args.pluginData === 'inner') return undefined;
              if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true };
              const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
              if (found.errors.length > 0 || found.external) return { errors: found.errors };
              // Not a package's file: a tsconfig `paths` alias, which tsx may resolve by another tsconfig.
              if (!inPackageNamed(found.path, packageName(args.path))) refused.push(`'${args.path}' resolves to ${found.path}, which is not in a package of that name`);
              else if (!PLAIN_JAVASCRIPT.test(found.path)) refused.push(`'${args.path}' resolves to ${found.path}, which Node cannot import without a loader`);
              return { path: pathToFileURL(found.path).href, external: true };
            });
          },
        },
      ],
    });
    if (refused.length > 0) return { reason: refused[0]! };
    // JSX compiles by tsconfig options too (see FILE_BOUND).
    const jsx = Object.keys(built.metafile.inputs).find((f) => /\.[jt]sx$/.test(f));
    if (jsx !== undefined) return { reason: `${path.resolve(path.dirname(file), jsx)} is JSX` };
    const code = built.outputFiles[0]!.text;
    const bound = fileBound(code);
    if (bound !== null) return { reason: `${sourceAt(code, bound.index, path.dirname(file))} uses '${bound[0].replace(/^__/, '')}'` };
    return { url: `data:text/javascript;base64,${Buffer.from(code).toString('base64')}` };
  } catch (e) {
    const first = (e as { errors?: { text?: unknown }[] }).errors?.[0]?.text;
    return { reason: `esbuild could not bundle ${file}: ${typeof first === 'string' ? first : describeThrown(e).split('\n')[0]}` };
  }
}

/** The package a bare specifier names: `zod` of `zod/mini`, `@scope/name` of `@scope/name/sub`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/**
 * Whether `file` lies in a package called `name`: a package.json above it has that name (every one up to the root is
 * read: a package's folders may have package.json files of their own, such as `{ "type": "module" }`). True in
 * node_modules, for a package's reference to itself and for a linked workspace package; false for a folder that a
 * tsconfig alias names.
 */
function inPackageNamed(file: string, name: string): boolean {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === name) return true;
      } catch {
        // not JSON: not the package's
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * The first FILE_BOUND match in a file's code (not in the `// path` line before it), else in esbuild's helpers
 * before the first file (its `require` shim, there when some file uses `require`; the file then reads `__require`).
 * Null when there is none.
 */
function fileBound(code: string): RegExpExecArray | null {
  const firstFile = code.search(/^\/\/ /m);
  let first: RegExpExecArray | null = null;
  for (const m of code.matchAll(FILE_BOUND)) {
    if (code.startsWith('// ', code.lastIndexOf('\n', m.index) + 1)) continue; // a file's `// path` line
    if (m.index >= firstFile) return m;
    first ??= m;
  }
  return first;
}

/** The file whose code is at `index` of esbuild's output: each file's code follows a `// path` line (relative to `dir`). */
function sourceAt(code: string, index: number, dir: string): string {
  let file = '(the bundle)';
  for (const m of code.slice(0, index).matchAll(/^\/\/ (.+)$/gm)) file = path.resolve(dir, m[1]!);
  return file;
}
