import fc from "fast-check";
import { parse, parseDocument, LineCounter } from "yaml";
import { describe, expect, it } from "vitest";
import { parseBlockSubset } from "../../src/desired/block-subset-parser.js";
import { PositionIndex } from "../../src/desired/position-index.js";

const fast = (text: string) => parseBlockSubset(text, new PositionIndex(text, "t.yaml"));

/** Random block-style YAML built from the pieces collaborators files are made of, plus odd ones. */
const scalar = fc.oneof(
  {
    arbitrary: fc.constantFrom("alice_q", "write", "true", "False", "null", "~", "12", "-3", "007"),
    weight: 4,
  },
  {
    arbitrary: fc.constantFrom(
      "2027-03-31",
      "a b",
      "a#b",
      "a # comment",
      "x:y",
      "'q'",
      '"dq"',
      "'it''s'",
      "-x",
    ),
    weight: 4,
  },
  { arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,8}$/), weight: 4 },
  {
    arbitrary: fc.constantFrom("1.5", "1e3", ".inf", "0x1F", '"a\\tb"', "[a, b]", "{ a: 1 }", "&anchor v"),
    weight: 1,
  },
  { arbitrary: fc.constantFrom("*alias", "!tag v", "|", "> folded", "a: b", "- item", "", "'"), weight: 1 },
);
const key = fc.oneof(
  {
    arbitrary: fc.constantFrom("user", "permission", "team", "id", "name", "k", "a.b", "under_score"),
    weight: 8,
  },
  { arbitrary: fc.constantFrom("true", "null", "x y", "1"), weight: 1 },
);
const entries = <T>(value: fc.Arbitrary<T>) =>
  fc.uniqueArray(fc.tuple(key, value), { minLength: 1, maxLength: 4, selector: ([k]) => k });

type Tree = string | { map: [string, Tree][] } | { seq: Tree[] };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.record({ map: entries(tie("node")) }),
    fc.record({ seq: fc.array(tie("node"), { minLength: 1, maxLength: 4 }) }),
  ),
})).node;

function render(node: Tree, indent: number, indentless: boolean): string[] {
  const pad = " ".repeat(indent);
  if (typeof node === "string") return [`${pad}${node}`];
  if ("map" in node) {
    return node.map.flatMap(([k, v]) => {
      if (typeof v === "string") return [`${pad}${k}: ${v}`];
      const childIndent = "seq" in v && indentless ? indent : indent + 2;
      return [`${pad}${k}:`, ...render(v, childIndent, indentless)];
    });
  }
  return node.seq.flatMap((item) => {
    if (typeof item === "string") return [`${pad}- ${item}`];
    const [first = "", ...rest] = render(item, indent + 2, indentless);
    return "map" in item ? [`${pad}- ${first.trimStart()}`, ...rest] : [`${pad}-`, first, ...rest];
  });
}

describe("the block-subset fast path", () => {
  it("agrees with the yaml package whenever it accepts a document", () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.record({ map: entries(tree) }),
        fc.boolean(),
        fc.constantFrom("\n", "\r\n"),
        (root, indentless, eol) => {
          const text = render(root, 0, indentless).join(eol) + eol;
          const ours = fast(text);
          if (ours === undefined) return; // gave up: the full parser takes over
          accepted++;
          const doc = parseDocument(text, { uniqueKeys: true });
          expect(doc.errors).toEqual([]);
          expect(ours).toEqual(parse(text));
        },
      ),
      { numRuns: 2000 },
    );
    // Not vacuous: a good share of the random documents take the fast path.
    console.log(`fast path accepted ${accepted} of 2000`);
    expect(accepted).toBeGreaterThan(200);
  });

  it("accepts what collaborators files usually contain", () => {
    const text =
      "---\nversion: 1 # c\nprojects:\n- id: 5\n  name: 'A ''b'' c'\n  collaborators:\n    - user: a.b-c_d\n";
    expect(fast(text)).toEqual(parse(text));
  });

  it.each([
    ["flow collections", "a: [1, 2]\n"],
    ["anchors", "a: &x 1\nb: *x\n"],
    ["block scalars", "a: |\n  text\n"],
    ["multi-line plain scalars", "a: one\n  two\n"],
    ["escapes", 'a: "\\u0041"\n'],
    ["duplicate keys", "a: 1\na: 2\n"],
    ["tabs", "a:\t1\n"],
    ["a second document", "a: 1\n---\nb: 2\n"],
    ["a byte order mark", "\ufeffa: 1\n"],
    ["floats", "a: 1.0\n"],
    ["a top-level scalar", "hello\n"],
    ["an empty file", ""],
  ])("leaves %s to the full parser", (_, text) => {
    expect(fast(text)).toBeUndefined();
  });

  it.each([
    ["a trailing no-break space", "a: x\u00a0\n"],
    ["a no-break space alone", "a: \u00a0\n"],
    ["a trailing ideographic space", "- x\u3000\n"],
    ["a trailing space before a comment", "a: x\u00a0 # c\n"],
    ["a tab alone after the colon", "a: \t\n"],
    ["a tab after a null", "a: ~\t \n"],
    ["a stray carriage return", "a: 1\r\r\nb: 2\n"],
    ["a carriage return then spaces", "a: x\r  \n"],
    ["a lone carriage return at the end", "a: x\r"],
    ["a document marker then a no-break space", "--- \u00a0\na: 1\n"],
    ["a no-break space before a key's colon", "a\u00a0: 1\n"],
    ["a no-break space after a quoted scalar", "a: 'x'\u00a0\n"],
    ["a tab after a quoted scalar", "a: 'x'\t\n"],
  ])("never reads %s differently from the yaml package", (_, text) => {
    const ours = fast(text);
    if (ours === undefined) return;
    const doc = parseDocument(text, { uniqueKeys: true, strict: true });
    expect(doc.errors).toEqual([]);
    expect(ours).toEqual(doc.toJS());
  });

  it("records the same positions as the full parser would", () => {
    const text =
      "version: 1\nprojects:\n  - id: 7\n    collaborators:\n    - user: a\n      permission: write\n";
    const index = new PositionIndex(text, "p.yaml");
    const value = parseBlockSubset(text, index);
    const lineCounter = new LineCounter();
    parseDocument(text, { lineCounter });
    expect(index.locate(value, ["projects", 0, "collaborators", 0])).toEqual({
      file: "p.yaml",
      line: 5,
      col: 7,
    });
    expect(index.locate(value, ["projects", 0, "collaborators", 0, "permission"])).toEqual({
      file: "p.yaml",
      line: 6,
      col: 19,
    });
    expect(index.locate(value, ["projects", 0, "collaborators", 0, "permission"], "key")).toEqual({
      file: "p.yaml",
      line: 6,
      col: 7,
    });
    expect(index.locate(value, ["projects", 0, "missing"])).toEqual({ file: "p.yaml", line: 3, col: 5 });
  });
});
