import type { SourceLocation } from "../model/source-location.js";

export type PathSegment = string | number;

/**
 * Maps the plain JS values of a parsed YAML file back to where they were written. Both parsers
 * (the fast block-subset one and the full `yaml` one) fill it; line:col is computed only when a
 * diagnostic or a grant asks for it.
 *
 * Per container one flat array of character offsets: [start, ...] followed, for a sequence, by
 * the offset of each item, and for a mapping by key and value offsets of each key in order.
 * Flat arrays rather than records or a Map per mapping: indexing 250,000 entries must cost less
 * than parsing them.
 */
export class PositionIndex {
  private readonly containers = new Map<object, number[]>();
  /** Key order, only where it can differ from Object.keys (integer-like keys sort first in JS). */
  private readonly keyOrders = new Map<object, readonly string[]>();
  private lineStarts: number[] | undefined;

  constructor(
    private readonly text: string,
    readonly file: string,
  ) {}

  /** Records a container; `offsets` starts with the container's own offset (see the class comment). */
  set(container: object, offsets: number[], keyOrder?: readonly string[]): void {
    this.containers.set(container, offsets);
    if (keyOrder !== undefined) this.keyOrders.set(container, keyOrder);
  }

  /** 1-based line and column of a character offset. */
  location(offset: number): SourceLocation {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { file: this.file, line: low + 1, col: offset - (starts[low] ?? 0) + 1 };
  }

  /** Where a mapping or sequence starts (for a compact `- user: x` item: the first key). */
  nodeOffset(container: object): number {
    return this.containers.get(container)?.[0] ?? 0;
  }

  keyOffset(mapping: object, key: string): number {
    return this.pairOffset(mapping, key, 1);
  }

  valueOffset(mapping: object, key: string): number {
    return this.pairOffset(mapping, key, 2);
  }

  itemOffset(sequence: object, index: number): number {
    const offsets = this.containers.get(sequence);
    return offsets?.[index + 1] ?? offsets?.[0] ?? 0;
  }

  private pairOffset(mapping: object, key: string, part: 1 | 2): number {
    const offsets = this.containers.get(mapping);
    if (offsets === undefined) return 0;
    const i = this.keyIndex(mapping, key);
    return i === -1 ? (offsets[0] ?? 0) : (offsets[2 * i + part] ?? offsets[0] ?? 0);
  }

  /** Position of a key in its mapping's order; for-in rather than Object.keys: no array per lookup. */
  private keyIndex(mapping: object, key: string): number {
    const order = this.keyOrders.get(mapping);
    if (order !== undefined) return order.indexOf(key);
    let i = 0;
    for (const candidate in mapping) {
      if (candidate === key) return i;
      i++;
    }
    return -1;
  }

  /**
   * Location of the node at `path` below `root` (its key when `part` is "key"). A path that does
   * not resolve all the way points at the deepest node that exists.
   */
  locate(root: unknown, path: readonly PathSegment[], part: "key" | "value" = "value"): SourceLocation {
    let node: unknown = root;
    let offset = isContainer(root) ? this.nodeOffset(root) : 0;
    for (const [i, segment] of path.entries()) {
      if (!isContainer(node)) break;
      const last = i === path.length - 1;
      if (Array.isArray(node)) {
        const index = typeof segment === "number" ? segment : Number(segment);
        if (!Number.isInteger(index) || index < 0 || index >= node.length) break;
        offset = this.itemOffset(node, index);
        node = node[index];
      } else {
        const key = String(segment);
        if (!Object.hasOwn(node, key)) break;
        offset = last && part === "key" ? this.keyOffset(node, key) : this.valueOffset(node, key);
        node = (node as Record<string, unknown>)[key];
      }
    }
    return this.location(offset);
  }
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  let at = text.indexOf("\n");
  while (at !== -1) {
    starts.push(at + 1);
    at = text.indexOf("\n", at + 1);
  }
  return starts;
}
