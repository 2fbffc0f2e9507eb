import type { PositionIndex } from "./position-index.js";

/*
 * Why this exists: the `yaml` package parses about 2 MB/s, so a 10 MB file (10,000 projects) took
 * ~6 s to read. Almost every collaborators.yaml is written in plain block style, which this
 * parser reads ~20× faster. It accepts a strict subset (block mappings and sequences, plain and
 * single-line quoted scalars, comments) and gives up — returns undefined — on anything else: flow
 * collections, anchors, tags, block scalars, multi-line scalars, escapes, odd indentation,
 * duplicate keys. Then the full `yaml` parser runs, so behaviour and error messages always come
 * from the well-kept library; this is only a fast path, checked against it by property tests.
 */

class Unsupported extends Error {}

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// Control characters, BOM, non-characters and backslashes (escapes): left to the full parser.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_FULL_PARSER = /[\u0000-\u001f\u007f-\u009f\ufeff\ufffe\uffff\\]/;
const PLAIN_FIRST_INDICATORS = new Set("[]{},#&*!|>'\"%@`?:".split(""));
const NULL_PLAIN = /^(?:~|null|Null|NULL)$/;
const INT_PLAIN = /^[-+]?[0-9]+$/;
const OTHER_NUMBER_PLAIN =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0o[0-7]+|0x[0-9a-fA-F]+)$/;

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

export function parseBlockSubset(text: string, index: PositionIndex): unknown {
  try {
    return new BlockSubsetParser(text, index).parseDocument();
  } catch (error) {
    // RangeError: nesting deeper than the stack; the full parser reports that properly.
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}

class BlockSubsetParser {
  /** Significant lines only (not blank, not comment): start offset, indentation, end of content. */
  private readonly starts: number[] = [];
  private readonly indents: number[] = [];
  private readonly ends: number[] = [];
  private cur = 0;
  private readonly simpleKeys = new Map<string, boolean>();

  constructor(
    private readonly text: string,
    private readonly index: PositionIndex,
  ) {}

  parseDocument(): unknown {
    this.scanLines();
    if (this.starts.length === 0 || this.indents[0] !== 0) throw new Unsupported();
    const root = this.parseNode(0);
    if (this.cur !== this.starts.length) throw new Unsupported();
    return root;
  }

  private scanLines(): void {
    const text = this.text;
    const length = text.length;
    if (text.charCodeAt(0) === 0xfeff) throw new Unsupported();
    let pos = 0;
    let first = true;
    while (pos < length) {
      let end = text.indexOf("\n", pos);
      if (end === -1) end = length;
      let contentEnd = end;
      // CR only as part of CRLF: the yaml package keeps a lone CR at the very end as content.
      if (end < length && contentEnd > pos && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
      let i = pos;
      while (i < contentEnd && text.charCodeAt(i) === SPACE) i++;
      if (i < contentEnd) {
        const c = text.charCodeAt(i);
        if (c === 9) throw new Unsupported();
        if (c !== HASH) {
          if (i === pos && (c === DASH || c === 46 || c === 37)) {
            const head = text.slice(i, Math.min(i + 4, contentEnd));
            // A leading `---` is common and harmless; other markers and directives are not.
            if (first && (head === "---" || head === "--- ")) {
              if (!/^ *$/.test(text.slice(i + 3, contentEnd))) throw new Unsupported();
              pos = end + 1;
              first = false;
              continue;
            }
            if (c === 37 || /^(?:---|\.\.\.)(?:\s|$)/.test(head)) throw new Unsupported();
          }
          this.starts.push(pos);
          this.indents.push(i - pos);
          this.ends.push(contentEnd);
          first = false;
        }
      }
      pos = end + 1;
    }
  }

  private parseNode(col: number): unknown {
    const p = (this.starts[this.cur] ?? 0) + col;
    if (this.isSeqItem(p)) return this.parseSeq(col);
    if (this.keyColon(p, this.ends[this.cur] ?? 0) >= 0) return this.parseMap(col);
    throw new Unsupported();
  }

  private isSeqItem(p: number): boolean {
    const e = this.ends[this.cur] ?? 0;
    return this.text.charCodeAt(p) === DASH && (p + 1 === e || this.text.charCodeAt(p + 1) === SPACE);
  }

  private parseMap(col: number): Record<string, unknown> {
    const text = this.text;
    const map: Record<string, unknown> = {};
    const startLine = this.cur;
    const offsets = [(this.starts[startLine] ?? 0) + col];
    this.index.set(map, offsets);
    while (this.cur < this.starts.length) {
      const indent = this.indents[this.cur] ?? 0;
      if (this.cur !== startLine) {
        if (indent < col) break;
        if (indent > col) throw new Unsupported();
      }
      const p = (this.starts[this.cur] ?? 0) + col;
      const e = this.ends[this.cur] ?? 0;
      const colon = this.keyColon(p, e);
      if (colon < 0) {
        if (this.isSeqItem(p)) break; // a sequence after the map at its indentation: the parent decides
        throw new Unsupported();
      }
      const key = trimSpaces(text.slice(p, colon));
      if (!this.isSimpleKey(key) || Object.hasOwn(map, key)) throw new Unsupported();
      let v = colon + 1;
      while (v < e && text.charCodeAt(v) === SPACE) v++;
      let value: unknown;
      let valueOffset = p;
      if (v === e || text.charCodeAt(v) === HASH) {
        this.cur++;
        if (this.cur < this.starts.length) {
          const next = this.indents[this.cur] ?? 0;
          const nextStart = (this.starts[this.cur] ?? 0) + next;
          if (next > col) {
            value = this.parseNode(next);
            valueOffset = nextStart;
          } else if (next === col && this.isSeqItem(nextStart)) {
            value = this.parseSeq(col); // YAML allows a block sequence at its key's indentation
            valueOffset = nextStart;
          } else value = null;
        } else value = null;
      } else {
        value = this.scalar(v, e);
        valueOffset = v;
        this.cur++;
      }
      map[key] = value;
      offsets.push(p, valueOffset);
    }
    return map;
  }

  /** Cached: a file has few distinct keys and 250,000 uses of them. */
  private isSimpleKey(key: string): boolean {
    let ok = this.simpleKeys.get(key);
    if (ok === undefined) {
      ok = SIMPLE_KEY.test(key) && key !== "__proto__" && resolvePlain(key) === key;
      this.simpleKeys.set(key, ok);
    }
    return ok;
  }

  private parseSeq(col: number): unknown[] {
    const text = this.text;
    const seq: unknown[] = [];
    const startLine = this.cur;
    const items = [(this.starts[startLine] ?? 0) + col];
    this.index.set(seq, items);
    while (this.cur < this.starts.length) {
      const indent = this.indents[this.cur] ?? 0;
      if (this.cur !== startLine) {
        if (indent < col) break;
        if (indent > col) throw new Unsupported();
      }
      const lineStart = this.starts[this.cur] ?? 0;
      const p = lineStart + col;
      if (!this.isSeqItem(p)) break;
      const e = this.ends[this.cur] ?? 0;
      let r = p + 1;
      while (r < e && text.charCodeAt(r) === SPACE) r++;
      if (r === e || text.charCodeAt(r) === HASH) {
        this.cur++;
        const next = this.cur < this.starts.length ? (this.indents[this.cur] ?? 0) : -1;
        if (next > col) {
          items.push((this.starts[this.cur] ?? 0) + next);
          seq.push(this.parseNode(next));
        } else {
          items.push(p);
          seq.push(null);
        }
      } else if (text.charCodeAt(r) === DASH && (r + 1 === e || text.charCodeAt(r + 1) === SPACE)) {
        throw new Unsupported(); // `- - x`: rare, left to the full parser
      } else if (this.keyColon(r, e) >= 0) {
        items.push(r);
        seq.push(this.parseMap(r - lineStart));
      } else {
        items.push(r);
        seq.push(this.scalar(r, e));
        this.cur++;
      }
    }
    return seq;
  }

  /** Offset of the `:` ending a plain key starting at p, -1 if the content is a scalar, or gives up. */
  private keyColon(p: number, e: number): number {
    const text = this.text;
    const first = text.charCodeAt(p);
    if (first === 34 || first === 39) {
      const close = this.quotedEnd(p, e);
      let after = close + 1;
      while (after < e && text.charCodeAt(after) === SPACE) after++;
      if (after < e && text.charCodeAt(after) === COLON) throw new Unsupported(); // quoted key
      return -1;
    }
    for (let q = p; q < e; q++) {
      const c = text.charCodeAt(q);
      if (c === COLON && (q + 1 === e || text.charCodeAt(q + 1) === SPACE)) return q;
      if (c === HASH && q > p && text.charCodeAt(q - 1) === SPACE) return -1;
    }
    return -1;
  }

  private quotedEnd(p: number, e: number): number {
    const text = this.text;
    const quote = text[p] ?? "";
    let j = p + 1;
    for (;;) {
      const k = text.indexOf(quote, j);
      if (k === -1 || k >= e) throw new Unsupported(); // spans lines
      if (quote === "'" && text[k + 1] === "'") {
        j = k + 2;
        continue;
      }
      return k;
    }
  }

  private scalar(v: number, e: number): unknown {
    const text = this.text;
    const first = text[v] ?? "";
    if (first === '"' || first === "'") {
      const close = this.quotedEnd(v, e);
      const rest = text.slice(close + 1, e);
      if (!/^ *$|^ +#/.test(rest)) throw new Unsupported();
      const body = text.slice(v + 1, close);
      if (NEEDS_FULL_PARSER.test(body)) throw new Unsupported();
      return first === "'" ? body.replaceAll("''", "'") : body;
    }
    if (PLAIN_FIRST_INDICATORS.has(first)) throw new Unsupported();
    if (first === "-" && (v + 1 === e || text.charCodeAt(v + 1) === SPACE)) throw new Unsupported();
    let raw = text.slice(v, e);
    const comment = raw.indexOf(" #");
    if (comment !== -1) raw = raw.slice(0, comment);
    raw = trimSpaces(raw);
    if (raw.includes(": ") || raw.endsWith(":") || NEEDS_FULL_PARSER.test(raw)) throw new Unsupported();
    return resolvePlain(raw);
  }
}

/**
 * Only U+0020: String#trimEnd also strips tabs, CR and Unicode spaces (U+00A0, U+3000…), which YAML
 * keeps as content; what is left is then checked, so a tab or CR makes the fast path give up.
 */
function trimSpaces(raw: string): string {
  let end = raw.length;
  while (end > 0 && raw.charCodeAt(end - 1) === SPACE) end--;
  return end === raw.length ? raw : raw.slice(0, end);
}

/** YAML 1.2 core schema, as the `yaml` package resolves it; rarer number forms go to the full parser. */
function resolvePlain(raw: string): unknown {
  const c = raw.charCodeAt(0);
  if (c === 116 || c === 84 || c === 102 || c === 70) {
    if (raw === "true" || raw === "True" || raw === "TRUE") return true;
    if (raw === "false" || raw === "False" || raw === "FALSE") return false;
  }
  if (NULL_PLAIN.test(raw)) return null;
  if (INT_PLAIN.test(raw)) {
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw new Unsupported();
    return n;
  }
  if (OTHER_NUMBER_PLAIN.test(raw)) throw new Unsupported();
  return raw;
}
