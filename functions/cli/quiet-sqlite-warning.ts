/**
 * Node 22 warns on standard error the first time `node:sqlite` loads ("SQLite is an experimental
 * feature"). The command line's standard error is for the administrator, and that line says nothing
 * about their data, so it is dropped — only that one; every other warning is printed as usual. Imported
 * first by the entry point, before anything loads `node:sqlite`.
 */
const emitWarning = process.emitWarning.bind(process);

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.startsWith('SQLite is an experimental feature')) return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

export {};
