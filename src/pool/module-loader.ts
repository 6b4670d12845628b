/**
 * Loads a user's worker module: plain `import()` for JavaScript, tsx's `tsImport` for TypeScript
 * (`.ts`, `.mts`, `.cts`), tsx being an optional peer dependency.
 *
 * @internal
 */

const TYPESCRIPT = /\.(?:c|m)?tsx?$/i;

/** Whether `href` names a TypeScript module (by its extension, query and hash ignored). */
export function isTypeScriptModule(href: string): boolean {
  let pathname = href;
  try {
    pathname = new URL(href).pathname;
  } catch {
    // not a URL: test the string itself
  }
  return TYPESCRIPT.test(pathname);
}

/** Thrown when a TypeScript module is asked for but tsx cannot be imported. */
export class TsxMissingError extends Error {}

/** Imports `href` and returns its namespace object. */
export async function loadModule(href: string): Promise<Record<string, unknown>> {
  if (!isTypeScriptModule(href)) return (await import(href)) as Record<string, unknown>;
  let tsImport: (specifier: string, parentURL: string) => Promise<unknown>;
  try {
    const api = (await import('tsx/esm/api')) as {
      tsImport: (specifier: string, parentURL: string) => Promise<unknown>;
    };
    tsImport = api.tsImport;
  } catch (error) {
    throw new TsxMissingError(
      `Cannot load the TypeScript worker module ${href}: install tsx (npm install --save-dev tsx) or compile the module to JavaScript`,
      { cause: error },
    );
  }
  return (await tsImport(href, import.meta.url)) as Record<string, unknown>;
}
