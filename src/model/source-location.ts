/** A place in a file, 1-based, so that every diagnostic and every change can point at its origin. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** `file:line:col`, the form editors and terminals turn into links. */
export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
