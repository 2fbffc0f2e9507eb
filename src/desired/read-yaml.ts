import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Diagnostic } from "../model/diagnostic.js";
import { DIAGNOSTIC_CODES, MAX_ALIAS_NODES, type DiagnosticCode } from "./diagnostic-codes.js";
import { parseBlockSubset } from "./block-subset-parser.js";
import { errorAt } from "./make-diagnostic.js";
import { PositionIndex } from "./position-index.js";

export interface ReadYamlResult {
  /** The document as plain JS; undefined when it could not be read (see errors). */
  readonly value: unknown;
  readonly index: PositionIndex;
  readonly errors: readonly Diagnostic[];
}

// The stack runs out before any sensible collaborators file gets this deep.
const TOO_DEEP = "the document nests too deeply to be a collaborators file";

/** A problem found while turning the AST into values; becomes one located diagnostic. */
class BuildProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Text → plain JS value plus the positions of every node. Never throws on bad input. */
export function readYaml(text: string, file: string): ReadYamlResult {
  const index = new PositionIndex(text, file);
  const fail = (code: DiagnosticCode, message: string, offset: number) => ({
    value: undefined,
    index,
    errors: [errorAt(code, message, index.location(offset))],
  });

  const nul = text.indexOf("\0");
  if (nul !== -1) {
    return fail(
      DIAGNOSTIC_CODES.configNotText,
      "this is not a text file (it contains a NUL byte); expected a YAML collaborators file",
      nul,
    );
  }
  const fast = parseBlockSubset(text, index);
  if (fast !== undefined) return { value: fast, index, errors: [] };

  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true });
  } catch (error) {
    if (error instanceof RangeError) return fail(DIAGNOSTIC_CODES.configSyntax, TOO_DEEP, 0);
    throw error;
  }
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((error) => {
      const at = error.linePos?.[0] ?? { line: 1, col: 1 };
      const message = (error.message.split("\n")[0] ?? error.message).replace(
        / at line \d+, column \d+:?$/,
        "",
      );
      return errorAt(DIAGNOSTIC_CODES.configSyntax, `${message} (${error.code})`, { file, ...at });
    });
    return { value: undefined, index, errors };
  }
  if (doc.contents === null) {
    return fail(DIAGNOSTIC_CODES.configEmpty, "the file is empty; it should start with `version: 1`", 0);
  }
  try {
    return { value: new NodeBuilder(doc, index).build(doc.contents, false), index, errors: [] };
  } catch (error) {
    if (error instanceof RangeError) return fail(DIAGNOSTIC_CODES.configSyntax, TOO_DEEP, 0);
    if (!(error instanceof BuildProblem)) throw error;
    return fail(DIAGNOSTIC_CODES.configSyntax, error.message, error.offset);
  }
}

/** Turns the yaml AST into plain values, recording positions and bounding alias expansion. */
class NodeBuilder {
  private aliasNodes = 0;
  /** Alias targets being expanded right now: meeting one again is a cycle. */
  private readonly expanding = new Set<unknown>();

  constructor(
    private readonly doc: Document,
    private readonly index: PositionIndex,
  ) {}

  build(node: unknown, inAlias: boolean): unknown {
    if (inAlias && ++this.aliasNodes > MAX_ALIAS_NODES) {
      throw new BuildProblem(
        `aliases expand to more than ${MAX_ALIAS_NODES} nodes; refusing to expand further (an alias bomb?)`,
        offsetOf(node),
      );
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined) {
        throw new BuildProblem(
          `alias *${node.source} refers to no anchor &${node.source} before it`,
          offsetOf(node),
        );
      }
      if (this.expanding.has(target)) {
        throw new BuildProblem(
          `alias *${node.source} refers to a node that contains it (a cycle)`,
          offsetOf(node),
        );
      }
      this.expanding.add(target);
      const value = this.build(target, true);
      this.expanding.delete(target);
      return value;
    }
    if (isMap(node)) {
      const map: Record<string, unknown> = {};
      const keys: string[] = [];
      const offsets = [offsetOf(node)];
      this.index.set(map, offsets, keys);
      for (const pair of node.items) {
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : JSON.stringify(this.build(keyNode, inAlias));
        const keyOffset = offsetOf(keyNode, offsetOf(node));
        const valueNode = pair.value;
        const value = valueNode === null ? null : this.build(valueNode, inAlias);
        const valueOffset = isEmptyScalar(valueNode) ? keyOffset : offsetOf(valueNode, keyOffset);
        // defineProperty: a key named __proto__ must stay data, never reach the prototype.
        Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
        keys.push(key);
        offsets.push(keyOffset, valueOffset);
      }
      return map;
    }
    if (isSeq(node)) {
      const seq: unknown[] = [];
      const items = [offsetOf(node)];
      this.index.set(seq, items);
      for (const item of node.items) {
        items.push(offsetOf(item, offsetOf(node)));
        seq.push(this.build(item, inAlias));
      }
      return seq;
    }
    if (isScalar(node)) return node.value;
    return null;
  }
}

function isEmptyScalar(node: unknown): boolean {
  return node === null || (isScalar(node) && node.value === null && node.source === "");
}

function offsetOf(node: unknown, fallback = 0): number {
  const range = (node as Node | null | undefined)?.range;
  return range?.[0] ?? fallback;
}
